package aggregator_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigie-watch/vigie/aggregator"
	"github.com/vigie-watch/vigie/internal/config"
	"github.com/vigie-watch/vigie/internal/fetch"
	"github.com/vigie-watch/vigie/internal/server"
	"github.com/vigie-watch/vigie/internal/store"
	"github.com/vigie-watch/vigie/internal/watch"
)

// newEngineHarness is newHarness with the fetcher the daemon builds (the
// config's body cap) and the given engine options.
func newEngineHarness(t *testing.T, cfg *config.Config, opts aggregator.Options) *harness {
	t.Helper()
	return newEngineHarnessAt(t, filepath.Join(t.TempDir(), "vigie.db"), cfg, opts)
}

// newEngineHarnessAt is newEngineHarness on the database at dbPath.
func newEngineHarnessAt(t *testing.T, dbPath string, cfg *config.Config, opts aggregator.Options) *harness {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	client := fetch.NewClient(fetch.ClientOptions{UserAgent: "vigie-test", MaxBodyBytes: cfg.MaxBodyBytes})
	eng, err := aggregator.New(cfg, st, client, opts)
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, dbPath: dbPath, cfg: cfg, store: st, engine: eng}
	h.http = server.New(st, eng, server.Options{Logger: slog.New(slog.DiscardHandler)}).Handler()
	return h
}

// rssItem is an item of a feed built by rss.
type rssItem struct{ title, link, date string }

// rss builds an RSS 2.0 feed of items; an item without a date has no pubDate.
func rss(items ...rssItem) []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
		`<rss version="2.0"><channel><title>Test</title><link>https://news.example/</link>` + "\n")
	for _, it := range items {
		fmt.Fprintf(&b, "<item><title>%s</title><link>%s</link><guid>%s</guid>", it.title, it.link, it.link)
		if it.date != "" {
			fmt.Fprintf(&b, "<pubDate>%s</pubDate>", it.date)
		}
		b.WriteString("<description>Un article.</description></item>\n")
	}
	b.WriteString("</channel></rss>\n")
	return []byte(b.String())
}

// storiesBySource counts the stored stories of each source.
func storiesBySource(t *testing.T, st *store.Store) map[string]int {
	t.Helper()
	n := map[string]int{}
	err := st.ForEach(context.Background(), func(_ watch.Text, s watch.Summary) error {
		n[s.Source]++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// hostile serves sources that misbehave in every way a feed can.
func hostile(t *testing.T) *httptest.Server {
	mux := http.NewServeMux()
	matching := rss(rssItem{"Reconnaissance faciale : fuite", "https://bad.example/1", ""})
	stall := func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(40 * time.Second):
			w.Write(matching)
		case <-r.Context().Done():
		}
	}
	for i := range 4 {
		mux.HandleFunc(fmt.Sprintf("/stalled%d", i), stall)
	}
	mux.HandleFunc("/broken", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write(matching[:len(matching)-40])
	})
	mux.HandleFunc("/500", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "boom", http.StatusInternalServerError)
	})
	mux.HandleFunc("/html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte("<!DOCTYPE html><html><head><title>Reconnaissance faciale</title></head><body><p>Reconnaissance faciale</p></body></html>"))
	})
	mux.HandleFunc("/endless", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Sans fin</title>`))
		for i := 0; r.Context().Err() == nil; i++ {
			if _, err := fmt.Fprintf(w, "<item><title>Reconnaissance faciale %d</title><link>https://bad.example/e%d</link></item>\n", i, i); err != nil {
				return
			}
		}
	})
	var items []rssItem
	for i := 0; i < 3000; i++ {
		items = append(items, rssItem{fmt.Sprintf("Reconnaissance faciale %d", i), fmt.Sprintf("https://bad.example/h%d", i), ""})
	}
	huge := rss(items...) // about 250 KiB, over the 64 KiB cap
	mux.HandleFunc("/huge", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write(huge)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func TestHostileSourcesDoNotDelayAHealthyOne(t *testing.T) {
	u := newUpstream(t)
	first := rssItem{"Reconnaissance faciale : premier article", "https://news.example/1", "Mon, 02 Jun 2025 08:00:00 +0000"}
	u.set("/healthy.rss", rss(first), "application/rss+xml")
	bad := hostile(t)
	// One slot of concurrency: stalled sources must not hold it.
	cfg := parseConfig(t, fmt.Sprintf(`database: unused.db
schedule: "@every 1s"
timeout: 2s
max_body_bytes: 65536
concurrency: 1
feed:
  title: Test
  url: http://vigie.example/feed.atom
sources:
  - {name: stalled0, url: %[2]s/stalled0}
  - {name: stalled1, url: %[2]s/stalled1}
  - {name: stalled2, url: %[2]s/stalled2}
  - {name: stalled3, url: %[2]s/stalled3}
  - {name: broken, url: %[2]s/broken}
  - {name: error500, url: %[2]s/500}
  - {name: html, url: %[2]s/html}
  - {name: endless, url: %[2]s/endless}
  - {name: huge, url: %[2]s/huge}
  - {name: healthy, url: %[1]s}
keywords: [reconnaissance faciale]
`, u.url("/healthy.rss"), bad.URL))
	h := newEngineHarness(t, cfg, aggregator.Options{})

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	h.engine.Start(ctx)
	stopped := false
	defer func() {
		if !stopped {
			cancel()
			h.engine.Stop(context.Background())
		}
	}()

	// Every source is being fetched; the stalled ones hang until their
	// timeout. The new item must come with the healthy source's next tick.
	time.Sleep(300 * time.Millisecond)

	second := rssItem{"Reconnaissance faciale : deuxième article", "https://news.example/2", "Mon, 02 Jun 2025 09:00:00 +0000"}
	u.set("/healthy.rss", rss(second, first), "application/rss+xml")
	added := time.Now()
	waitFor(t, 20*time.Second, "the new item", func() bool { return hasTitle(h.atom(), second.title) })
	waited := time.Since(added)
	t.Logf("the healthy source's new item was published %s after it was added", waited.Round(time.Millisecond))
	if limit := time.Second + 5*time.Second; waited > limit {
		t.Errorf("new item published after %s, want within one period plus 5 s (%s)", waited, limit)
	}

	want := []struct {
		source, errPart string
		status          int
	}{
		{"stalled0", "timed out after 2s", 0},
		{"stalled3", "timed out after 2s", 0},
		{"broken", "not a feed", 200},
		{"error500", "500 Internal Server Error", 500},
		{"html", "an HTML page", 200},
		{"endless", "over the limit of 64 KiB", 200},
		{"huge", "too large", 200},
	}
	for _, w := range want {
		var st watch.SourceState
		waitFor(t, 10*time.Second, w.source+" to fail", func() bool {
			var err error
			st, err = h.store.Source(context.Background(), w.source)
			if err != nil {
				t.Fatal(err)
			}
			return st.ConsecutiveFailures >= 1
		})
		if !strings.Contains(st.LastError, w.errPart) {
			t.Errorf("%s: last error: got %q, want it to mention %q", w.source, st.LastError, w.errPart)
		}
		if st.LastStatus != w.status {
			t.Errorf("%s: last status: got %d, want %d", w.source, st.LastStatus, w.status)
		}
		if !st.LastSuccess.IsZero() || st.ItemsSeen != 0 {
			t.Errorf("%s: got last success %v and %d items seen, want none", w.source, st.LastSuccess, st.ItemsSeen)
		}
	}
	healthy, err := h.store.Source(context.Background(), "healthy")
	if err != nil {
		t.Fatal(err)
	}
	if healthy.LastError != "" || healthy.ConsecutiveFailures != 0 || healthy.ItemsSeen != 2 {
		t.Errorf("healthy: got error %q, %d failures, %d items seen; want none, 0, 2", healthy.LastError, healthy.ConsecutiveFailures, healthy.ItemsSeen)
	}

	stopAt := time.Now()
	cancel()
	if err := h.engine.Stop(context.Background()); err != nil {
		t.Errorf("stop: %v", err)
	}
	stopped = true
	if took := time.Since(stopAt); took > 3*time.Second {
		t.Errorf("stop took %s, want it prompt", took)
	}
	if got := storiesBySource(t, h.store); len(got) != 1 || got["healthy"] != 2 {
		t.Errorf("stored stories by source: got %v, want only healthy's 2", got)
	}
	if f := h.atom(); len(f.Items) != 2 || !hasTitle(f, first.title) {
		got := titles(f)
		t.Errorf("published: got %q, want the healthy source's 2 items", got)
	}
}

// waitFor polls cond until it holds, or fails the test after limit.
func waitFor(t *testing.T, limit time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited %s for %s", limit, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestRequestsInFlightAreBounded(t *testing.T) {
	const sources = 40
	var mu sync.Mutex
	inFlight, most := 0, 0
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		inFlight++
		most = max(most, inFlight)
		mu.Unlock()
		time.Sleep(50 * time.Millisecond)
		mu.Lock()
		inFlight--
		mu.Unlock()
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write(rss(rssItem{"Reconnaissance faciale" + r.URL.Path, "https://news.example" + r.URL.Path, ""}))
	})
	var b strings.Builder
	b.WriteString("database: unused.db\nconcurrency: 1\nfeed: {title: Test, url: http://vigie.example/feed.atom}\nkeywords: [reconnaissance faciale]\nsources:\n")
	for i := range sources {
		// Each source on a host of its own: the per-host limit is not what
		// this test measures.
		srv := httptest.NewServer(handler)
		t.Cleanup(srv.Close)
		fmt.Fprintf(&b, "  - {name: s%d, url: %s/s%d}\n", i, srv.URL, i)
	}
	h := newEngineHarness(t, parseConfig(t, b.String()), aggregator.Options{})

	for _, r := range h.engine.FetchAll(context.Background()) {
		if r.Err != nil {
			t.Errorf("%s: %v", r.Source, r.Err)
		}
	}
	// One slot of concurrency allows 16 requests in flight: more than one
	// (a slow network does not serialise the sources), never more than 16.
	if most < 2 || most > 16 {
		t.Errorf("requests in flight at most: got %d, want between 2 and 16", most)
	}
	if got := storiesBySource(t, h.store); len(got) != sources {
		t.Errorf("sources with stored stories: got %d, want %d", len(got), sources)
	}

	// A reload that raises concurrency to 8 allows 32 requests in flight.
	cfg := parseConfig(t, strings.Replace(b.String(), "concurrency: 1", "concurrency: 8", 1))
	if err := h.engine.Apply(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	most = 0
	mu.Unlock()
	h.engine.FetchAll(context.Background())
	if most <= 16 {
		t.Errorf("requests in flight at most after raising concurrency to 8: got %d, want more than 16", most)
	}
}
