// Package watch holds vigie's domain types, shared by every stage of the
// pipeline (sources → fetch → parse → match → store → publish): an item
// read from a source, a story's entry in the merged feed, a source's state
// and the report of its cycle.
//
// It is a leaf: it imports nothing of vigie, so the engine, the store, the
// parsers and the server all speak these types without importing each
// other.
package watch

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
	// Recalls is the GUID, at the same source, of an earlier item this
	// one takes up again: a Senate question re-asking an unanswered one
	// ("Référence de la question rappelée").
	Recalls string
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
	// Passages are the parts of the story's page where its keywords
	// occur (never the whole article).
	Passages []Passage
	// Record is the page's whole text when it is a public record (a
	// Senate question and the ministry's answer), plain text, paragraphs
	// separated by blank lines.
	Record string
	// Recalls is the earlier story this one takes up again (a re-asked
	// Senate question), and RecalledBy the later ones that take it up.
	Recalls    *Related
	RecalledBy []Related
}

// Related names another stored story for a link to it.
type Related struct {
	Title, Link string
}
