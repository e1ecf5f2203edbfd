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

	"github.com/mmcdole/gofeed"

	"github.com/vigie-watch/vigie/internal/vigietest"
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
	u := vigietest.NewUpstream(t)
	first := vigietest.RSSItem{Title: "Reconnaissance faciale : premier article", Link: "https://news.example/1", Date: "Mon, 02 Jun 2025 08:00:00 +0000"}
	u.Set("/healthy.rss", vigietest.RSS(first), "application/rss+xml")
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
	fmt.Fprintf(&b, "  - {name: healthy, url: %s}\n", u.URL("/healthy.rss"))
	h := vigietest.New(t, vigietest.ParseConfig(t, b.String()), vigietest.Options{})

	ctx, cancel := context.WithCancel(context.Background())
	h.Engine.Start(ctx)
	defer func() {
		cancel()
		h.Engine.Stop(context.Background())
	}()
	atom := func() *gofeed.Feed { return h.Feed("/feed.atom") }
	vigietest.WaitFor(t, 2*period+20*time.Second, "the first item", func() bool { return hasTitle(atom(), first.Title) })

	second := vigietest.RSSItem{Title: "Reconnaissance faciale : deuxième article", Link: "https://news.example/2", Date: "Mon, 02 Jun 2025 09:00:00 +0000"}
	u.Set("/healthy.rss", vigietest.RSS(second, first), "application/rss+xml")
	added := time.Now()
	vigietest.WaitFor(t, 30*time.Second, "the new item", func() bool { return hasTitle(atom(), second.Title) })
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
		w.Write(vigietest.RSS(vigietest.RSSItem{Title: "Reconnaissance faciale" + r.URL.Path, Link: "https://news.example" + r.URL.Path}))
	}))
	t.Cleanup(srv.Close)
	var b strings.Builder
	b.WriteString("database: unused.db\nconcurrency: 8\nfeed: {title: Test, url: http://vigie.example/feed.atom}\nkeywords: [reconnaissance faciale]\nsources:\n")
	for i := range 40 {
		fmt.Fprintf(&b, "  - {name: s%d, url: %s/s%d}\n", i, srv.URL, i)
	}
	h := vigietest.New(t, vigietest.ParseConfig(t, b.String()), vigietest.Options{})
	for _, r := range h.Engine.FetchAll(context.Background()) {
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
