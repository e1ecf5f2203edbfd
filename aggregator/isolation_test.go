package aggregator_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigie-watch/vigie/internal/store"
	"github.com/vigie-watch/vigie/internal/vigietest"
	"github.com/vigie-watch/vigie/internal/watch"
)

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
func hostile(t *testing.T) *vigietest.Upstream {
	u := vigietest.NewUpstream(t)
	matching := vigietest.RSS(vigietest.RSSItem{Title: "Reconnaissance faciale : fuite", Link: "https://bad.example/1"})
	for i := range 4 {
		u.Handle(fmt.Sprintf("/stalled%d", i), vigietest.Hang())
	}
	u.Set("/broken", matching[:len(matching)-40], "application/rss+xml")
	u.Handle("/500", vigietest.Status(http.StatusInternalServerError))
	u.Set("/html", []byte("<!DOCTYPE html><html><head><title>Reconnaissance faciale</title></head><body><p>Reconnaissance faciale</p></body></html>"),
		"text/html; charset=utf-8")
	u.HandleFunc("/endless", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Sans fin</title>`))
		for i := 0; r.Context().Err() == nil; i++ {
			if _, err := fmt.Fprintf(w, "<item><title>Reconnaissance faciale %d</title><link>https://bad.example/e%d</link></item>\n", i, i); err != nil {
				return
			}
		}
	})
	var items []vigietest.RSSItem
	for i := 0; i < 3000; i++ {
		items = append(items, vigietest.RSSItem{Title: fmt.Sprintf("Reconnaissance faciale %d", i), Link: fmt.Sprintf("https://bad.example/h%d", i)})
	}
	u.Set("/huge", vigietest.RSS(items...), "application/rss+xml") // about 250 KiB, over the 64 KiB cap
	return u
}

func TestHostileSourcesDoNotDelayAHealthyOne(t *testing.T) {
	u := vigietest.NewUpstream(t)
	first := vigietest.RSSItem{Title: "Reconnaissance faciale : premier article", Link: "https://news.example/1", Date: "Mon, 02 Jun 2025 08:00:00 +0000"}
	u.Set("/healthy.rss", vigietest.RSS(first), "application/rss+xml")
	bad := hostile(t)
	// One slot of concurrency: stalled sources must not hold it.
	cfg := vigietest.ParseConfig(t, fmt.Sprintf(`database: unused.db
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
`, u.URL("/healthy.rss"), bad.URL("")))
	h := vigietest.New(t, cfg, vigietest.Options{})

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	h.Engine.Start(ctx)
	stopped := false
	defer func() {
		if !stopped {
			cancel()
			h.Engine.Stop(context.Background())
		}
	}()

	// Every source is being fetched; the stalled ones hang until their
	// timeout. The new item must come with the healthy source's next tick.
	time.Sleep(300 * time.Millisecond)

	second := vigietest.RSSItem{Title: "Reconnaissance faciale : deuxième article", Link: "https://news.example/2", Date: "Mon, 02 Jun 2025 09:00:00 +0000"}
	u.Set("/healthy.rss", vigietest.RSS(second, first), "application/rss+xml")
	added := time.Now()
	vigietest.WaitFor(t, 20*time.Second, "the new item", func() bool { return hasTitle(h.Feed("/feed.atom"), second.Title) })
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
		vigietest.WaitFor(t, 10*time.Second, w.source+" to fail", func() bool {
			var err error
			st, err = h.Store.Source(context.Background(), w.source)
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
	healthy, err := h.Store.Source(context.Background(), "healthy")
	if err != nil {
		t.Fatal(err)
	}
	if healthy.LastError != "" || healthy.ConsecutiveFailures != 0 || healthy.ItemsSeen != 2 {
		t.Errorf("healthy: got error %q, %d failures, %d items seen; want none, 0, 2", healthy.LastError, healthy.ConsecutiveFailures, healthy.ItemsSeen)
	}

	stopAt := time.Now()
	cancel()
	if err := h.Engine.Stop(context.Background()); err != nil {
		t.Errorf("stop: %v", err)
	}
	stopped = true
	if took := time.Since(stopAt); took > 3*time.Second {
		t.Errorf("stop took %s, want it prompt", took)
	}
	if got := storiesBySource(t, h.Store); len(got) != 1 || got["healthy"] != 2 {
		t.Errorf("stored stories by source: got %v, want only healthy's 2", got)
	}
	if f := h.Feed("/feed.atom"); len(f.Items) != 2 || !hasTitle(f, first.Title) {
		got := vigietest.Titles(f)
		t.Errorf("published: got %q, want the healthy source's 2 items", got)
	}
}

func TestRequestsInFlightAreBounded(t *testing.T) {
	const sources = 40
	var mu sync.Mutex
	inFlight, most := 0, 0
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		inFlight++
		most = max(most, inFlight)
		mu.Unlock()
		// Long enough for the engine to start every request its bound allows,
		// even on a loaded machine.
		time.Sleep(300 * time.Millisecond)
		mu.Lock()
		inFlight--
		mu.Unlock()
		vigietest.Body("application/rss+xml", vigietest.RSS(vigietest.RSSItem{Title: "Reconnaissance faciale" + r.URL.Path, Link: "https://news.example" + r.URL.Path}))(w, r)
	})
	var b strings.Builder
	b.WriteString("database: unused.db\nconcurrency: 1\nfeed: {title: Test, url: http://vigie.example/feed.atom}\nkeywords: [reconnaissance faciale]\nsources:\n")
	for i := range sources {
		// Each source on a host of its own: the per-host limit is not what
		// this test measures.
		u := vigietest.NewUpstream(t)
		u.Handle(fmt.Sprintf("/s%d", i), slow)
		fmt.Fprintf(&b, "  - {name: s%d, url: %s}\n", i, u.URL(fmt.Sprintf("/s%d", i)))
	}
	h := vigietest.New(t, vigietest.ParseConfig(t, b.String()), vigietest.Options{})

	for _, r := range h.Engine.FetchAll(context.Background()) {
		if r.Err != nil {
			t.Errorf("%s: %v", r.Source, r.Err)
		}
	}
	// One slot of concurrency allows 16 requests in flight: more than one
	// (a slow network does not serialise the sources), never more than 16.
	if most < 2 || most > 16 {
		t.Errorf("requests in flight at most: got %d, want between 2 and 16", most)
	}
	if got := storiesBySource(t, h.Store); len(got) != sources {
		t.Errorf("sources with stored stories: got %d, want %d", len(got), sources)
	}

	// A reload that raises concurrency to 8 allows 32 requests in flight.
	cfg := vigietest.ParseConfig(t, strings.Replace(b.String(), "concurrency: 1", "concurrency: 8", 1))
	if err := h.Engine.Apply(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	most = 0
	mu.Unlock()
	h.Engine.FetchAll(context.Background())
	if most <= 16 {
		t.Errorf("requests in flight at most after raising concurrency to 8: got %d, want more than 16", most)
	}
}
