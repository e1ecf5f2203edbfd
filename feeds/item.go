// Package feeds reads and writes feed documents. Inbound, it turns RSS,
// Atom, JSON Feed and the Senate's questions export into watch.Items,
// whatever their character set, dates and relative links. Outbound, it
// renders the merged feed's watch.Entries as Atom, RSS 2.0 and JSON Feed,
// with sanitised HTML. It does no I/O of its own: internal/fetch brings the
// bytes.
package feeds

import (
	"time"

	"github.com/vigie-watch/vigie/internal/watch"
)

// Feed is a parsed upstream feed.
type Feed struct {
	Title string
	Link  string // the site's home page, when the feed names one
	Items []watch.Item
	// BadCharRefs counts the character references to characters XML
	// forbids (&#0;) that were dropped so that the feed could be read.
	BadCharRefs int
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
