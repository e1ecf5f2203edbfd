package watch

import "time"

// Status is a source's health, as `vigie status`, the HTML page and
// /metrics report it.
type Status string

// The statuses of a source. The value is the Prometheus label; String is
// what `vigie status` prints.
const (
	StatusOK           Status = "ok"            // its last cycle succeeded (or got 304)
	StatusFailing      Status = "failing"       // its last cycle failed: retried on schedule, after a backoff
	StatusGone         Status = "gone"          // it answered 410 Gone: no longer fetched until its URL changes
	StatusNeverFetched Status = "never_fetched" // not fetched yet: new, or its URL changed
)

// Statuses lists every status, in the order above.
var Statuses = []Status{StatusOK, StatusFailing, StatusGone, StatusNeverFetched}

// String returns the status in words: "never fetched" for StatusNeverFetched.
func (s Status) String() string {
	if s == StatusNeverFetched {
		return "never fetched"
	}
	return string(s)
}

// Problem reports whether the status calls for a person to look: a failing
// or gone source.
func (s Status) Problem() bool {
	return s == StatusFailing || s == StatusGone
}

// Health is a configured source's health at one time.
type Health struct {
	Name   string
	URL    string      // the configured URL
	Status Status      //
	State  SourceState // stored for this URL; zero when none is
	// Next is when the source will be fetched next: its schedule's first
	// tick once any backoff is over. Zero when it is gone or not scheduled.
	Next time.Time
}
