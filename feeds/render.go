package feeds

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	gfeeds "github.com/gorilla/feeds"
	"github.com/vigie-watch/vigie/internal/plaintext"
	"github.com/vigie-watch/vigie/internal/watch"
)

// Rendering rules shared by the three formats:
//
//   - Output depends only on the input: no clock, no random ids, entries in
//     the order given (the caller sorts them).
//   - Every text is stripped of characters XML forbids; Summary and Content
//     are sanitised with SanitizeHTML and their relative URLs resolved
//     against the entry's link.
//   - Times are rendered in UTC, to the second. An entry's updated time is
//     the later of Updated and Published; an entry with neither takes the
//     feed's. The feed's updated time is the later of Meta.Updated and the
//     newest entry; with neither it is the Unix epoch.
//   - An entry whose ID was already seen is dropped: readers key on ids.
//   - Links are written as valid URI references (RFC 3986): characters a
//     URI may not hold, such as the brackets of franceinfo's
//     "#xtor=RSS-3-[lestitres]" or spaces, are percent-encoded, since
//     validators reject them and strict readers drop the link. Ids are
//     never touched. Only absolute http and https URLs are published
//     (publicURL): any other link is dropped, the entry kept.
//   - Titles and texts are capped (render_limits.go).

// Generator names vigie in the feeds it renders.
const (
	generatorName = "vigie"
	generatorURI  = "https://github.com/vigie-watch/vigie"
)

// Format is an output format of the merged feed.
type Format string

// The formats Render knows.
const (
	FormatAtom Format = "atom"
	FormatRSS  Format = "rss"
	FormatJSON Format = "json"
)

// ErrUnknownFormat is returned by ParseFormat and Render for a format they
// do not know.
var ErrUnknownFormat = errors.New("unknown feed format")

// ErrMissingID is returned when an entry has no ID: ids are what readers
// dedupe on, so the renderer never makes one up.
var ErrMissingID = errors.New("entry has no id")

// ParseFormat parses a format name ("atom", "rss" or "json", any case).
func ParseFormat(s string) (Format, error) {
	f := Format(strings.ToLower(strings.TrimSpace(s)))
	switch f {
	case FormatAtom, FormatRSS, FormatJSON:
		return f, nil
	}
	return "", fmt.Errorf("%w: %q", ErrUnknownFormat, s)
}

// ContentType returns the media type to serve the format with, or "" for an
// unknown format.
func (f Format) ContentType() string {
	switch f {
	case FormatAtom:
		return "application/atom+xml; charset=utf-8"
	case FormatRSS:
		return "application/rss+xml; charset=utf-8"
	case FormatJSON:
		return "application/feed+json; charset=utf-8"
	}
	return ""
}

// Render renders the merged feed in format f.
func Render(f Format, meta Meta, entries []watch.Entry) ([]byte, error) {
	switch f {
	case FormatAtom:
		return RenderAtom(meta, entries)
	case FormatRSS:
		return RenderRSS(meta, entries)
	case FormatJSON:
		return RenderJSON(meta, entries)
	}
	return nil, fmt.Errorf("render: %w: %q", ErrUnknownFormat, string(f))
}

// prepared is the input once cleaned, sanitised and dated, ready for any
// format.
type prepared struct {
	meta    Meta
	updated time.Time
	entries []preparedEntry
}

// preparedEntry is an watch.Entry whose Summary and Content hold sanitised HTML.
type preparedEntry struct {
	watch.Entry
	summaryText string // Summary as plain text
}

// prepare validates and cleans the input. It never modifies entries.
func prepare(meta Meta, entries []watch.Entry) (*prepared, error) {
	p := &prepared{
		meta: Meta{
			Title:    cleanText(meta.Title),
			ID:       cleanText(meta.ID),
			SelfURL:  publicURL(meta.SelfURL),
			HTMLURL:  publicURL(meta.HTMLURL),
			Language: cleanText(meta.Language),
		},
		entries: make([]preparedEntry, 0, len(entries)),
	}
	seen := make(map[string]bool, len(entries))
	if p.meta.ID == "" {
		p.meta.ID = p.meta.SelfURL
	}
	if p.meta.ID == "" {
		return nil, errors.New("feed has no id and no self url")
	}
	p.updated = utc(meta.Updated)
	for i, e := range entries {
		id := cleanText(strings.TrimSpace(e.ID))
		if id == "" {
			return nil, fmt.Errorf("entry %d (%q): %w", i, e.Title, ErrMissingID)
		}
		if seen[id] {
			continue
		}
		seen[id] = true
		link := publicURL(e.Link)
		base := baseURL(link)
		pe := preparedEntry{
			Entry: watch.Entry{
				ID:         id,
				Title:      capTitle(cleanText(e.Title)),
				Link:       link,
				Summary:    sanitizeHTML(capHTML(e.Summary), base),
				Content:    sanitizeHTML(capHTML(withPage(e)), base),
				Author:     strings.TrimSpace(cleanText(e.Author)),
				Published:  utc(e.Published),
				Updated:    utc(e.Updated),
				Source:     strings.TrimSpace(cleanText(e.Source)),
				SourceURL:  publicURL(e.SourceURL),
				SourceSite: publicURL(e.SourceSite),
				Keywords:   keywords(e.Keywords),
			},
		}
		pe.summaryText = plaintext.FromHTML(pe.Summary)
		if strings.TrimSpace(pe.Title) == "" {
			pe.Title = untitled(pe)
		}
		if pe.Updated.Before(pe.Published) {
			pe.Updated = pe.Published
		}
		if pe.Updated.After(p.updated) {
			p.updated = pe.Updated
		}
		p.entries = append(p.entries, pe)
	}
	if p.updated.IsZero() {
		p.updated = time.Unix(0, 0).UTC()
	}
	for i := range p.entries {
		if p.entries[i].Updated.IsZero() {
			p.entries[i].Updated = p.updated
		}
	}
	return p, nil
}

// gorilla builds the gorilla/feeds model of the feed, the common base that
// each format then extends.
func (p *prepared) gorilla() *gfeeds.Feed {
	f := &gfeeds.Feed{
		Title:       p.meta.Title,
		Link:        &gfeeds.Link{Href: p.meta.HTMLURL, Rel: "alternate", Type: "text/html"},
		Description: p.meta.Title,
		Author:      &gfeeds.Author{Name: generatorName},
		Updated:     p.updated,
		Id:          p.meta.ID,
		Items:       make([]*gfeeds.Item, 0, len(p.entries)),
	}
	for _, e := range p.entries {
		it := &gfeeds.Item{
			Title:       e.Title,
			Link:        &gfeeds.Link{Href: e.Link, Rel: "alternate", Type: "text/html"},
			Description: e.Summary,
			Id:          e.ID,
			IsPermaLink: "false",
			Updated:     e.Updated,
			Created:     e.Published,
			Content:     e.Content,
		}
		if e.Author != "" {
			it.Author = &gfeeds.Author{Name: e.Author}
		}
		f.Items = append(f.Items, it)
	}
	return f
}

// untitled returns a title for an entry that has none, since validators
// reject blank titles and readers list entries by title: the start of its
// text, else its link, else its id.
func untitled(e preparedEntry) string {
	text := e.summaryText
	if text == "" {
		text = plaintext.FromHTML(e.Content)
	}
	if text == "" {
		return cmp.Or(e.Link, e.ID)
	}
	return plaintext.Truncate(text, untitledRunes)
}

// untitledRunes bounds the title made from an entry's text.
const untitledRunes = 100

// keywords returns the non-empty keywords, trimmed, first occurrence kept.
func keywords(in []string) []string {
	var out []string
	for _, k := range in {
		k = strings.TrimSpace(cleanText(k))
		if k != "" && !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return out
}

// utc returns t in UTC truncated to the second, keeping the zero time zero.
func utc(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC().Truncate(time.Second)
}

// uriRef percent-encodes, after the authority, the bytes that a URI
// reference may not hold: non-ASCII bytes, spaces, brackets, quotes, and a
// "%" that starts no escape. The scheme and authority (IPv6 brackets,
// internationalised host names) are kept as they are.
func uriRef(s string) string {
	start := 0
	if i := strings.Index(s, "://"); i >= 0 {
		start = i + len("://")
		if j := strings.IndexAny(s[start:], "/?#"); j >= 0 {
			start += j
		} else {
			start = len(s)
		}
	}
	var b strings.Builder
	for i := start; i < len(s); i++ {
		c := s[i]
		ok := uriByte(c) || c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2])
		if ok && b.Len() > 0 {
			b.WriteByte(c)
		} else if !ok {
			if b.Len() == 0 {
				b.Grow(len(s) + 16)
				b.WriteString(s[:i])
			}
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	if b.Len() == 0 {
		return s
	}
	return b.String()
}

// uriByte reports whether c may appear as it is in the path, query or
// fragment of a URI: unreserved and reserved characters, less the brackets
// (RFC 3986 section 2). "%" is checked by the caller.
func uriByte(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("-._~:/?#@!$&'()*+,;=", c) >= 0
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
