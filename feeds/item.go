// Package feeds moves feeds in and out of vigie: fetching over HTTP
// (conditional requests, limits, character sets), parsing RSS, Atom, JSON
// Feed and the Senate's questions export into one Item type, and rendering
// the merged feed as Atom, RSS 2.0 and JSON Feed.
package feeds

import "time"

// Item is one entry of an upstream source, whatever its format. Text fields
// are valid UTF-8; Summary and Content may hold HTML as the source gave it.
type Item struct {
	GUID       string
	Link       string // absolute URL of the original article
	Title      string
	Summary    string
	Content    string
	Author     string
	Categories []string
	Published  time.Time // zero when the source gave no usable date
	Updated    time.Time // zero when the source gave no usable date
}

// Feed is a parsed upstream feed.
type Feed struct {
	Title string
	Link  string // the site's home page, when the feed names one
	Items []Item
}

// Entry is one story of the merged feed, as the publisher renders it.
type Entry struct {
	ID         string // stable tag: URI, never changes
	Title      string
	Link       string
	Summary    string // HTML, sanitised by the renderer
	Content    string // HTML, sanitised by the renderer
	Author     string
	Published  time.Time
	Updated    time.Time
	Source     string // name of the source that carried the story first
	SourceURL  string // URL of that source's feed
	SourceSite string // home page of that source, when known
	Keywords   []string
}

// Meta describes the merged feed itself.
type Meta struct {
	Title    string
	ID       string // stable id of the feed, e.g. its URL
	SelfURL  string // public URL of this rendering (rel="self")
	HTMLURL  string // the page for people (rel="alternate")
	Language string // e.g. "fr"
	Updated  time.Time
}
