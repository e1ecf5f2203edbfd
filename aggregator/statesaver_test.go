package aggregator_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vigie-watch/vigie/aggregator"
	"github.com/vigie-watch/vigie/internal/config"
	"github.com/vigie-watch/vigie/internal/fetch"
	"github.com/vigie-watch/vigie/internal/store"
	"github.com/vigie-watch/vigie/internal/vigietest"
	"github.com/vigie-watch/vigie/internal/watch"
)

// countingWrites is the real store, counting its write transactions of
// source states.
type countingWrites struct {
	*store.Store
	single, batches atomic.Int64
}

func (c *countingWrites) SaveSource(ctx context.Context, st watch.SourceState) error {
	c.single.Add(1)
	return c.Store.SaveSource(ctx, st)
}

func (c *countingWrites) SaveSources(ctx context.Context, states []watch.SourceState) error {
	c.batches.Add(1)
	return c.Store.SaveSources(ctx, states)
}

// TestNotModifiedStatesAreBatched runs a warm cycle of 300 sources that
// all answer 304: each source's state is recorded (its last attempt and
// success move), in far fewer write transactions than sources.
func TestNotModifiedStatesAreBatched(t *testing.T) {
	const sources = 300
	cfg := manySources(t, sources, unchangingServer(t), "")
	ctx := context.Background()
	st := openStore(t)
	counted := &countingWrites{Store: st}
	now := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	eng, err := aggregator.New(cfg, counted, fetch.NewClient(fetch.ClientOptions{}), aggregator.Options{Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range eng.FetchAll(ctx) {
		if r.Err != nil || r.NotModified {
			t.Fatalf("cold %s: got %+v, want fetched", r.Source, r)
		}
	}
	counted.single.Store(0)
	counted.batches.Store(0)
	now = now.Add(time.Hour)
	for _, r := range eng.FetchAll(ctx) {
		if r.Err != nil || !r.NotModified {
			t.Fatalf("warm %s: got %+v, want 304", r.Source, r)
		}
	}
	states, err := st.Sources(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range states {
		if !s.LastSuccess.Equal(now) || !s.LastAttempt.Equal(now) || s.ItemsSeen != 1 {
			t.Errorf("%s: last success %v, attempt %v, %d items; want %v, %v, 1", s.Name, s.LastSuccess, s.LastAttempt, s.ItemsSeen, now, now)
		}
	}
	writes := counted.single.Load() + counted.batches.Load()
	t.Logf("%d sources answering 304: %d write transactions", sources, writes)
	if writes == 0 || writes > sources/4 {
		t.Errorf("write transactions for %d states: got %d, want at least 1 and at most %d", sources, writes, sources/4)
	}
}

// unchangingServer serves, at every path, a feed of one item under the
// ETag "v1", and answers 304 to a request that sends it back.
func unchangingServer(t *testing.T) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		w.Write(vigietest.RSS(vigietest.RSSItem{Title: "Reconnaissance faciale" + r.URL.Path, Link: "https://news.example" + r.URL.Path}))
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// refusing is the real store, refusing to save the state of one source,
// and any batch of states that holds it.
type refusing struct {
	*store.Store
	name string
}

func (s *refusing) SaveSource(ctx context.Context, st watch.SourceState) error {
	if st.Name == s.name {
		return fmt.Errorf("save %s: refused", st.Name)
	}
	return s.Store.SaveSource(ctx, st)
}

func (s *refusing) SaveSources(ctx context.Context, states []watch.SourceState) error {
	for _, st := range states {
		if st.Name == s.name {
			return fmt.Errorf("save %d states: %s refused", len(states), st.Name)
		}
	}
	return s.Store.SaveSources(ctx, states)
}

// TestOneBadStateFailsOnlyItsCycle: when a batch of states cannot be
// written, each is written on its own, so that the one that cannot be
// fails its own cycle only, and the others are recorded.
func TestOneBadStateFailsOnlyItsCycle(t *testing.T) {
	const sources = 50
	cfg := manySources(t, sources, unchangingServer(t), "")
	ctx := context.Background()
	st := openStore(t)
	now := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	eng, err := aggregator.New(cfg, &refusing{Store: st, name: "s7"}, fetch.NewClient(fetch.ClientOptions{}), aggregator.Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range eng.FetchAll(ctx) {
		if r.Err != nil {
			t.Fatalf("cold %s: %v", r.Source, r.Err)
		}
	}
	cold := now
	now = now.Add(time.Hour)
	for _, r := range eng.FetchAll(ctx) {
		if failed := r.Err != nil; failed != (r.Source == "s7") || !r.NotModified {
			t.Errorf("warm %s: got 304 %v, error %v; want 304, and an error for s7 only", r.Source, r.NotModified, r.Err)
		}
	}
	states, err := st.Sources(ctx)
	if err != nil || len(states) != sources {
		t.Fatalf("got %d states (%v), want %d", len(states), err, sources)
	}
	for _, s := range states {
		want := now
		if s.Name == "s7" {
			want = cold
		}
		if !s.LastSuccess.Equal(want) {
			t.Errorf("%s: last success %v, want %v", s.Name, s.LastSuccess, want)
		}
	}
}

// manySources is the config of n sources s0, s1 ... at base/s0, base/s1 ...,
// watching "reconnaissance faciale", with the settings of extra (YAML
// lines) added.
func manySources(t *testing.T, n int, base, extra string) *config.Config {
	t.Helper()
	var b strings.Builder
	b.WriteString("database: unused.db\nfeed: {title: Test, url: http://vigie.example/feed.atom}\nkeywords: [reconnaissance faciale]\n")
	b.WriteString(extra)
	b.WriteString("sources:\n")
	for i := range n {
		fmt.Fprintf(&b, "  - {name: s%d, url: %s/s%d}\n", i, base, i)
	}
	return vigietest.ParseConfig(t, b.String())
}

// openStore opens a new SQLite store, closed when the test ends.
func openStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "vigie.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}
