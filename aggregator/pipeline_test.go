package aggregator_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/vigie-watch/vigie/aggregator"
	"github.com/vigie-watch/vigie/internal/fetch"
	"github.com/vigie-watch/vigie/internal/store"
	"github.com/vigie-watch/vigie/internal/vigietest"
	"github.com/vigie-watch/vigie/internal/watch"
)

// heldWrites is the real store whose Ingest calls wait until released,
// counting the sources waiting in it.
type heldWrites struct {
	*store.Store
	mu      sync.Mutex
	waiting int
	most    int
	arrived chan int // the number waiting, after each arrival
	release chan struct{}
	once    sync.Once
}

// open lets every write waiting, and every later one, go on.
func (h *heldWrites) open() { h.once.Do(func() { close(h.release) }) }

func (h *heldWrites) Ingest(ctx context.Context, st watch.SourceState, items []watch.Incoming, now time.Time) (watch.IngestResult, error) {
	h.mu.Lock()
	h.waiting++
	h.most = max(h.most, h.waiting)
	n := h.waiting
	h.mu.Unlock()
	h.arrived <- n
	<-h.release
	h.mu.Lock()
	h.waiting--
	h.mu.Unlock()
	return h.Store.Ingest(ctx, st, items, now)
}

// pipelineEngine returns an engine with concurrency 1 over n sources of
// one item each, on a store whose writes wait until released.
func pipelineEngine(t *testing.T, n int) (*aggregator.Engine, *heldWrites) {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write(vigietest.RSS(vigietest.RSSItem{Title: "Reconnaissance faciale" + r.URL.Path, Link: "https://news.example" + r.URL.Path}))
	}))
	t.Cleanup(srv.Close)
	held := &heldWrites{Store: openStore(t), arrived: make(chan int, n), release: make(chan struct{})}
	t.Cleanup(held.open) // a failed test does not leave its cycles waiting
	eng, err := aggregator.New(manySources(t, n, srv.URL, "concurrency: 1\n"), held, fetch.NewClient(fetch.ClientOptions{}), aggregator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return eng, held
}

// TestParsingGoesOnWhileTheWriterWaits: with one parsing slot, sources
// are parsed while an earlier one waits for the writer, and wait there
// together (so that they can share a commit), up to four per parsing
// slot; every item is then stored.
func TestParsingGoesOnWhileTheWriterWaits(t *testing.T) {
	const sources = 10
	eng, held := pipelineEngine(t, sources)
	done := make(chan []watch.Report)
	go func() { done <- eng.FetchAll(context.Background()) }()
	deadline := time.After(30 * time.Second)
	for n := 0; n < 4; {
		select {
		case n = <-held.arrived:
		case <-deadline:
			t.Fatalf("sources waiting for the writer at once: %d after 30 s, want 4 (parsing stopped while a write waited)", n)
		}
	}
	// A fifth would be a source beyond the budget: give it time to show.
	select {
	case n := <-held.arrived:
		t.Fatalf("sources waiting for the writer at once: %d, want at most 4 with concurrency 1", n)
	case <-time.After(200 * time.Millisecond):
	}
	held.open()
	reports := <-done
	stored := 0
	for _, r := range reports {
		if r.Err != nil {
			t.Errorf("%s: %v", r.Source, r.Err)
		}
		stored += r.New
	}
	if stored != sources || held.most > 4 {
		t.Errorf("got %d stories stored, at most %d sources waiting; want %d, at most 4", stored, held.most, sources)
	}
}
