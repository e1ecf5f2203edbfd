package watch

import "time"

// Passage is the part of a page's text around a keyword found in it: its
// sentence, or about 40 words of it. Before and After start and end with
// "…" when the sentence was cut.
type Passage struct {
	Keyword string
	Before  string
	Match   string // the keyword as the page writes it
	After   string
}

// String returns the passage in plain text, the keyword between « ».
func (p Passage) String() string {
	return p.Before + "«" + p.Match + "»" + p.After
}

// PageTask is a stored story whose page is due to be fetched: a new or
// changed item of a full-text source, a failed page to retry, or a Senate
// question whose answer is awaited.
type PageTask struct {
	EntryID string
	Link    string
	Text    Text // the story's text, to match with the page's
	Tries   int  // failed attempts so far
}

// PageResult is what fetching a story's page came to.
type PageResult struct {
	EntryID string
	Text    string // the page's main text; "" when the fetch failed
	// Record marks a page that is a public record, shown whole in the
	// entry (a Senate question and its answer), not in passages.
	Record  bool
	Err     string    // why the page could not be read; "" on success
	Tries   int       // failed attempts, this one included
	NextDue time.Time // when to fetch it again; zero when done
	// Matches are the story's matches with the page text (as in
	// Incoming); nil when the fetch failed, which leaves them unchanged.
	Matches map[string][]string
	// Announce, when set, is the title of an entry of its own that
	// announces what the page now says (a ministry's answer to a Senate
	// question): readers rarely show an updated entry again. It is
	// created once, with a stable id, linking the story's page.
	Announce string
}

// PageHealth sums up a source's page fetches of one cycle.
type PageHealth struct {
	Fetched   int    // pages read
	Failed    int    // pages that could not be read
	LastError string // the last failure, "" when none
}
