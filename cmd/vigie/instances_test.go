package main

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/vigie-watch/vigie/internal/vigietest"
)

// seenWithin bounds how long an instance takes to serve a story another
// instance stored: the target is a second; this is a bound on a failure.
const seenWithin = 10 * time.Second

// onceUpstream serves one feed of matching stories. After add, the next
// request, and only that one, also gets a new story: only the instance
// that made it can store the story, so the other can only learn of it
// from the database.
type onceUpstream struct {
	srv        *httptest.Server
	mu         sync.Mutex
	stories    int  // stories every request gets
	pending    bool // the next request gets one more
	deliveries int  // requests that got the added story
}

const onceStories = 3

func newOnceUpstream(t *testing.T) *onceUpstream {
	u := &onceUpstream{stories: onceStories}
	u.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u.mu.Lock()
		n := u.stories
		if u.pending {
			n++
			u.pending = false
			u.deliveries++
		}
		u.mu.Unlock()
		var b strings.Builder
		b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Amont</title><link>https://news.example/</link>`)
		for k := range n {
			fmt.Fprintf(&b, `<item><title>Reconnaissance faciale : épisode %d</title><link>https://news.example/%d</link><guid>story-%d</guid><pubDate>Mon, 02 Jun 2025 %02d:00:00 +0000</pubDate></item>`, k, k, k, 8+k)
		}
		b.WriteString("</channel></rss>")
		w.Header().Set("Content-Type", "application/rss+xml; charset=UTF-8")
		io.WriteString(w, b.String())
	}))
	t.Cleanup(u.srv.Close)
	return u
}

// add makes the next request, and only it, carry the story "épisode N"
// where N is onceStories.
func (u *onceUpstream) add() {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.pending = true
}

func (u *onceUpstream) delivered() int {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.deliveries
}

// served is one answer of a daemon.
type served struct {
	status int
	etag   string
	body   string
}

func getServed(t *testing.T, url string, header ...string) served {
	t.Helper()
	resp, body := vigietest.Get(t, url, header...)
	return served{resp.StatusCode, resp.Header.Get("ETag"), body}
}

// feedIDs returns the ids of a feed's entries.
func feedIDs(t *testing.T, body string) []string {
	t.Helper()
	f, err := gofeed.NewParser().ParseString(body)
	if err != nil {
		t.Fatalf("parse feed: %v\n%s", err, body)
	}
	ids := make([]string, len(f.Items))
	for i, it := range f.Items {
		ids[i] = it.GUID
	}
	return ids
}

// TestInstancesServeTheSameFeed runs two daemons on one PostgreSQL
// database, each on its own port: both serve the same feeds, byte for
// byte, with the same ETags, so a reader's conditional request to one
// is answered 304 by the other; and a story one of them stores is served
// by the other within seenWithin, though the other never fetched it.
func TestInstancesServeTheSameFeed(t *testing.T) {
	dir, bin, database := twoDaemonsSetup(t)
	u := newOnceUpstream(t)
	cfg := filepath.Join(dir, "config.yaml")
	replaceFile(t, cfg, fmt.Sprintf(`listen: 127.0.0.1:0
database: %q
schedule: "@every 1s"
feed:
  title: Deux instances
  url: http://vigie.example/feed.atom
keywords: [reconnaissance faciale]
sources:
  - name: amont
    url: %s/feed.rss
`, database, u.srv.URL))
	_, a := startBinaryAt(t, bin, cfg)
	_, b := startBinaryAt(t, bin, cfg)

	for _, path := range []string{"/feed.atom", "/feed.json"} {
		var fromA, fromB served
		vigietest.WaitFor(t, waitTimeout, "both instances to serve the same "+path, func() bool {
			fromA, fromB = getServed(t, a+path), getServed(t, b+path)
			return fromA.status == http.StatusOK && fromA == fromB && len(feedIDs(t, fromA.body)) == onceStories
		})
		if fromA.etag == "" {
			t.Fatalf("%s: no ETag", path)
		}
		if got := getServed(t, b+path, "If-None-Match", fromA.etag); got.status != http.StatusNotModified {
			t.Errorf("%s of instance B with instance A's ETag %s: status %d, want 304", path, fromA.etag, got.status)
		}
	}

	u.add()
	newStory := fmt.Sprintf("épisode %d", onceStories)
	shows := func(base string) bool { return strings.Contains(getServed(t, base+"/feed.atom").body, newStory) }
	var first, other string
	vigietest.WaitFor(t, waitTimeout, "an instance to store the new story", func() bool {
		switch {
		case shows(a):
			first, other = a, b
		case shows(b):
			first, other = b, a
		}
		return first != ""
	})
	stored := time.Now()
	vigietest.WaitFor(t, seenWithin, "the other instance "+other+" to serve the story "+first+" stored", func() bool { return shows(other) })
	t.Logf("the other instance served the new story %s after the first", time.Since(stored).Round(time.Millisecond))
	if n := u.delivered(); n != 1 {
		t.Fatalf("the new story went to %d requests, want 1: the other instance may have fetched it itself", n)
	}
	fromA, fromB := getServed(t, a+"/feed.atom"), getServed(t, b+"/feed.atom")
	if fromA != fromB {
		t.Errorf("after the new story, the instances serve different feeds:\nA %s %s\nB %s %s", fromA.etag, fromA.body, fromB.etag, fromB.body)
	}
}
