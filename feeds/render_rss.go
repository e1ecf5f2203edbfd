package feeds

import (
	"fmt"
	"time"

	gfeeds "github.com/gorilla/feeds"
	"github.com/vigie-watch/vigie/internal/watch"
)

// rssDoc extends gorilla's <rss> root with the atom and dc namespaces and
// our channel, which shadows gorilla's.
type rssDoc struct {
	gfeeds.RssFeedXml
	AtomNS  string      `xml:"xmlns:atom,attr"`
	DCNS    string      `xml:"xmlns:dc,attr"`
	Channel *rssChannel `xml:"channel"`
}

// rssChannel extends gorilla's channel with an atom:link rel="self" and
// items that carry several categories, a source and dc:creator.
type rssChannel struct {
	*gfeeds.RssFeed
	AtomLink *rssAtomLink `xml:"atom:link,omitempty"`
	Items    []*rssItem   `xml:"item"`
}

// Title and Link shadow gorilla's, in the same order, so that an item
// whose link was dropped has no empty <link>.
type rssItem struct {
	Title string `xml:"title"`
	Link  string `xml:"link,omitempty"`
	*gfeeds.RssItem
	Creator    string     `xml:"dc:creator,omitempty"`
	Categories []string   `xml:"category"`
	Source     *rssSource `xml:"source,omitempty"`
}

// rssAtomLink is gorilla's AtomLink under the atom prefix (the element
// name of gorilla's type is fixed to "link").
type rssAtomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr"`
}

type rssSource struct {
	URL  string `xml:"url,attr"`
	Name string `xml:",chardata"`
}

// RenderRSS renders the merged feed as RSS 2.0. The guid of an item is its
// watch.Entry.ID with isPermaLink="false"; authors go in dc:creator since RSS's
// own author element must be an e-mail address.
func RenderRSS(meta Meta, entries []watch.Entry) ([]byte, error) {
	p, err := prepare(meta, entries)
	if err != nil {
		return nil, fmt.Errorf("render rss: %w", err)
	}
	base := (&gfeeds.Rss{Feed: p.gorilla()}).RssFeed()
	base.Language = p.meta.Language
	base.ManagingEditor = "" // gorilla writes " (vigie)": not an address
	base.Generator = generatorName
	base.PubDate = rssTime(p.updated)
	base.LastBuildDate = rssTime(p.updated)
	ch := &rssChannel{RssFeed: base, Items: make([]*rssItem, 0, len(base.Items))}
	if p.meta.SelfURL != "" {
		ch.AtomLink = &rssAtomLink{Href: p.meta.SelfURL, Rel: "self", Type: "application/rss+xml"}
	}
	for i, gi := range base.Items {
		e := p.entries[i]
		gi.Author = ""
		if gi.Description == "" {
			gi.Description = e.Content
		}
		if !e.Published.IsZero() {
			gi.PubDate = rssTime(e.Published)
		} else {
			gi.PubDate = rssTime(e.Updated)
		}
		it := &rssItem{Title: gi.Title, Link: gi.Link, RssItem: gi, Creator: e.Author, Categories: e.Keywords}
		if e.SourceURL != "" {
			it.Source = &rssSource{URL: e.SourceURL, Name: e.Source}
			if it.Source.Name == "" {
				it.Source.Name = e.SourceURL
			}
		}
		ch.Items = append(ch.Items, it)
	}
	base.Items = nil
	root := rssDoc{
		RssFeedXml: *base.FeedXml().(*gfeeds.RssFeedXml),
		AtomNS:     "http://www.w3.org/2005/Atom",
		DCNS:       "http://purl.org/dc/elements/1.1/",
		Channel:    ch,
	}
	root.RssFeedXml.Channel = nil
	return marshalXML(root)
}

func rssTime(t time.Time) string { return t.UTC().Format(time.RFC1123Z) }
