package feeds

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"time"

	gfeeds "github.com/gorilla/feeds"
	"github.com/vigie-watch/vigie/internal/watch"
)

// xmlHeader is the XML declaration every XML rendering starts with.
const xmlHeader = `<?xml version="1.0" encoding="utf-8"?>` + "\n"

// atomFeed extends gorilla's AtomFeed with what RFC 4287 feeds need and
// gorilla lacks. encoding/xml lets a field of the outer struct shadow an
// embedded field of the same element name, which is how Link (one) becomes
// Links (self and alternate).
type atomFeed struct {
	*gfeeds.AtomFeed
	Lang      string            `xml:"xml:lang,attr,omitempty"`
	Links     []gfeeds.AtomLink `xml:"link"`
	Generator *atomGenerator    `xml:"generator,omitempty"`
	Entries   []*atomEntry      `xml:"entry"`
}

type atomGenerator struct {
	URI     string `xml:"uri,attr,omitempty"`
	Version string `xml:"version,attr,omitempty"`
	Name    string `xml:",chardata"`
}

// atomEntry extends gorilla's AtomEntry with a typed title, categories with
// a term, and atom:source. gorilla's Published field is used as it is.
type atomEntry struct {
	Title atomText `xml:"title"`
	*gfeeds.AtomEntry
	Categories []atomCategory `xml:"category"`
	Source     *atomSource    `xml:"source,omitempty"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Text string `xml:",chardata"`
}

type atomCategory struct {
	Term  string `xml:"term,attr"`
	Label string `xml:"label,attr,omitempty"`
}

// atomSource is the feed an entry came from (RFC 4287 section 4.2.11).
type atomSource struct {
	ID      string             `xml:"id"`
	Title   string             `xml:"title"`
	Updated string             `xml:"updated"`
	Author  *gfeeds.AtomAuthor `xml:"author,omitempty"`
	Links   []gfeeds.AtomLink  `xml:"link"`
}

// RenderAtom renders the merged feed as Atom 1.0 (RFC 4287). Every entry
// needs an ID.
func RenderAtom(meta Meta, entries []watch.Entry) ([]byte, error) {
	p, err := prepare(meta, entries)
	if err != nil {
		return nil, fmt.Errorf("render atom: %w", err)
	}
	base := (&gfeeds.Atom{Feed: p.gorilla()}).AtomFeed()
	base.Id = p.meta.ID
	base.Link = nil
	base.Subtitle = "" // gorilla copies the description, our title, there
	out := atomFeed{
		AtomFeed:  base,
		Lang:      p.meta.Language,
		Generator: &atomGenerator{URI: generatorURI, Name: generatorName},
		Entries:   make([]*atomEntry, 0, len(base.Entries)),
	}
	if p.meta.SelfURL != "" {
		out.Links = append(out.Links, gfeeds.AtomLink{Href: p.meta.SelfURL, Rel: "self", Type: "application/atom+xml"})
	}
	if p.meta.HTMLURL != "" {
		out.Links = append(out.Links, gfeeds.AtomLink{Href: p.meta.HTMLURL, Rel: "alternate", Type: "text/html"})
	}
	for i, ge := range base.Entries {
		out.Entries = append(out.Entries, newAtomEntry(ge, p.entries[i]))
	}
	base.Entries = nil
	return marshalXML(out)
}

// newAtomEntry completes gorilla's entry ge with what e has and gorilla
// does not render.
func newAtomEntry(ge *gfeeds.AtomEntry, e preparedEntry) *atomEntry {
	ae := &atomEntry{
		Title:     atomText{Type: "text", Text: ge.Title},
		AtomEntry: ge,
	}
	if !e.Published.IsZero() {
		ge.Published = atomTime(e.Published)
	}
	if e.Link == "" {
		// RFC 4287 wants content when there is no alternate link.
		ge.Links = nil
		if ge.Content == nil {
			ge.Content = &gfeeds.AtomContent{Type: "html", Content: e.Summary}
		}
	}
	for _, k := range e.Keywords {
		ae.Categories = append(ae.Categories, atomCategory{Term: k, Label: k})
	}
	if e.SourceURL != "" {
		src := &atomSource{
			ID:      e.SourceURL,
			Title:   e.Source,
			Updated: ge.Updated,
			Links:   []gfeeds.AtomLink{{Href: e.SourceURL, Rel: "self"}},
		}
		if src.Title == "" {
			src.Title = e.SourceURL
		}
		if e.Source != "" {
			src.Author = &gfeeds.AtomAuthor{AtomPerson: gfeeds.AtomPerson{Name: e.Source}}
		}
		if e.SourceSite != "" {
			src.Links = append(src.Links, gfeeds.AtomLink{Href: e.SourceSite, Rel: "alternate", Type: "text/html"})
		}
		ae.Source = src
	}
	return ae
}

func atomTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// marshalXML encodes v, indented, after the XML declaration.
func marshalXML(v any) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(xmlHeader)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("encode xml: %w", err)
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}
