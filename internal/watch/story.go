package watch

import "time"

// Incoming is an item fetched from a source, with the keywords it matched
// in each feed it is published in (topic "" is the main feed; an item that
// is published nowhere has no entry).
type Incoming struct {
	Item
	Matches map[string][]string
	// WantPage asks for the item's page: its source is full_text, so the
	// page is fetched for each new version of the item.
	WantPage bool
	// MatchText, when set, matches a stored story's text with its page:
	// the store calls it when the item updates a story whose page it
	// holds, so that the story keeps what its page matched.
	MatchText func(Text) map[string][]string
}

// IngestResult counts what one source's cycle stored.
type IngestResult struct {
	Seen      int // items in the fetched feed
	New       int // stories created
	Updated   int // stories whose text changed upstream
	Published int // new or updated stories that are published somewhere
}

// Text is what matching reads of a stored story.
type Text struct {
	Title, Summary, Content string
	Categories              []string
	Page                    string // main text of the page the story links to, when fetched
}

// Summary is what listings show of a stored story.
type Summary struct {
	EntryID   string
	Link      string
	Source    string
	Published time.Time
}
