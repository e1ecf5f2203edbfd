package watch

import "time"

// Report is the outcome of one source's cycle.
type Report struct {
	Source      string
	Fetched     int  // items in the feed
	New         int  // stories created
	Updated     int  // stories changed upstream
	Published   int  // new or updated stories published in a feed
	NotModified bool // the source answered 304
	SameBody    bool // the source answered 200 with the body last parsed and stored: not parsed again
	Skipped     string
	RowErrors   int // rows of an export that could not be read
	BadCharRefs int // references to characters XML forbids (&#0;), dropped from a feed
	Status      int
	Err         error
	Duration    time.Duration
	Pages       PageHealth // the pages of a full-text source fetched after the feed
}

// Outcome is the result of a source's cycle, as logs, metrics and
// summaries name it.
type Outcome string

// The outcomes of a cycle.
const (
	OutcomeOK          Outcome = "ok"
	OutcomeNotModified Outcome = "not_modified"
	OutcomeSameBody    Outcome = "same_body"
	OutcomeSkipped     Outcome = "skipped"
	OutcomeError       Outcome = "error"
)

// Outcome tells what the cycle came to.
func (r Report) Outcome() Outcome {
	switch {
	case r.Err != nil:
		return OutcomeError
	case r.Skipped != "":
		return OutcomeSkipped
	case r.NotModified:
		return OutcomeNotModified
	case r.SameBody:
		return OutcomeSameBody
	default:
		return OutcomeOK
	}
}
