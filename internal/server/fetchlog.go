package server

import (
	"sync"
	"time"

	"github.com/vigie-watch/vigie/internal/watch"
)

// fetchLogSize is how many recent fetches of each source the page shows.
const fetchLogSize = 24

// FetchLog remembers the last outcomes of each source's fetches, in memory
// (since the daemon started): the engine tells it every fetch, as an
// aggregator Observer, and the page draws them as a strip.
type FetchLog struct {
	now func() time.Time

	mu       sync.Mutex
	bySource map[string][]fetchMark // oldest first, at most fetchLogSize
}

// fetchMark is one fetch of a source.
type fetchMark struct {
	At       time.Time
	Outcome  watch.Outcome
	Status   int
	New      int
	Err      string
	Duration time.Duration
}

// NewFetchLog returns an empty log; now is its clock (time.Now when nil).
func NewFetchLog(now func() time.Time) *FetchLog {
	if now == nil {
		now = time.Now
	}
	return &FetchLog{now: now, bySource: map[string][]fetchMark{}}
}

// Fetched records the outcome of one fetch.
func (l *FetchLog) Fetched(r watch.Report) {
	m := fetchMark{At: l.now(), Outcome: r.Outcome(), Status: r.Status, New: r.New, Duration: r.Duration}
	if r.Err != nil {
		m.Err = r.Err.Error()
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	marks := append(l.bySource[r.Source], m)
	if len(marks) > fetchLogSize {
		marks = append(marks[:0:0], marks[len(marks)-fetchLogSize:]...)
	}
	l.bySource[r.Source] = marks
}

// recent returns the last fetches of source, oldest first.
func (l *FetchLog) recent(source string) []fetchMark {
	if l == nil {
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]fetchMark(nil), l.bySource[source]...)
}
