package aggregator_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/vigie-watch/vigie/aggregator"
)

// stalledHost accepts connections and never answers, until the test ends.
func stalledHost(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	t.Cleanup(func() { close(done); ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() { <-done; c.Close() }()
		}
	}()
	return "http://" + ln.Addr().String()
}

// TestStalledHostsDoNotStarveAHealthyOne runs more stalled sources, each
// on a host of its own, than the shared bound of requests in flight (16 at
// concurrency 1), and sixteen more on one stalled host: a healthy source's
// new item is still published within one period plus 2 s.
func TestStalledHostsDoNotStarveAHealthyOne(t *testing.T) {
	const period = 3 * time.Second
	u := newUpstream(t)
	first := rssItem{"Reconnaissance faciale : premier article", "https://news.example/1", "Mon, 02 Jun 2025 08:00:00 +0000"}
	u.set("/healthy.rss", rss(first), "application/rss+xml")
	var b strings.Builder
	fmt.Fprintf(&b, "database: unused.db\nschedule: \"@every %s\"\ntimeout: 20s\nconcurrency: 1\n", period)
	b.WriteString("feed: {title: Test, url: http://vigie.example/feed.atom}\nkeywords: [reconnaissance faciale]\nsources:\n")
	for i := range 40 {
		fmt.Fprintf(&b, "  - {name: stalled%d, url: %s/feed}\n", i, stalledHost(t))
	}
	shared := stalledHost(t)
	for i := range 16 {
		fmt.Fprintf(&b, "  - {name: shared%d, url: %s/feed%d}\n", i, shared, i)
	}
	fmt.Fprintf(&b, "  - {name: healthy, url: %s}\n", u.url("/healthy.rss"))
	h := newEngineHarness(t, parseConfig(t, b.String()), aggregator.Options{})

	ctx, cancel := context.WithCancel(context.Background())
	h.engine.Start(ctx)
	defer func() {
		cancel()
		h.engine.Stop(context.Background())
	}()
	waitFor(t, 2*period+20*time.Second, "the first item", func() bool { return hasTitle(h.atom(), first.title) })

	second := rssItem{"Reconnaissance faciale : deuxième article", "https://news.example/2", "Mon, 02 Jun 2025 09:00:00 +0000"}
	u.set("/healthy.rss", rss(second, first), "application/rss+xml")
	added := time.Now()
	waitFor(t, 30*time.Second, "the new item", func() bool { return hasTitle(h.atom(), second.title) })
	waited := time.Since(added)
	t.Logf("with 56 stalled sources, the healthy source's new item was published %s after it was added", waited.Round(time.Millisecond))
	if limit := period + 2*time.Second; waited > limit {
		t.Errorf("new item published after %s, want within one period plus 2 s (%s)", waited, limit)
	}
}

// TestHostLimitIsShared checks that the sources of one host never have
// more requests in flight than the client's per-host limit.
func TestHostLimitIsShared(t *testing.T) {
	inFlight, most := make(chan struct{}, 100), 0
	var seen = make(chan int, 100)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		inFlight <- struct{}{}
		seen <- len(inFlight)
		time.Sleep(30 * time.Millisecond)
		<-inFlight
		w.Write(rss(rssItem{"Reconnaissance faciale" + r.URL.Path, "https://news.example" + r.URL.Path, ""}))
	}))
	t.Cleanup(srv.Close)
	var b strings.Builder
	b.WriteString("database: unused.db\nconcurrency: 8\nfeed: {title: Test, url: http://vigie.example/feed.atom}\nkeywords: [reconnaissance faciale]\nsources:\n")
	for i := range 40 {
		fmt.Fprintf(&b, "  - {name: s%d, url: %s/s%d}\n", i, srv.URL, i)
	}
	h := newEngineHarness(t, parseConfig(t, b.String()), aggregator.Options{})
	for _, r := range h.engine.FetchAll(context.Background()) {
		if r.Err != nil {
			t.Errorf("%s: %v", r.Source, r.Err)
		}
	}
	close(seen)
	for n := range seen {
		most = max(most, n)
	}
	if most < 2 || most > 8 {
		t.Errorf("requests in flight to one host at most: got %d, want between 2 and the per-host limit 8", most)
	}
}
