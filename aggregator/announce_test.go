package aggregator_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/vigie-watch/vigie/aggregator"
	"github.com/vigie-watch/vigie/internal/vigietest"
)

// announced returns the titles of the merged feed that start with prefix.
func announced(f *gofeed.Feed, prefix string) []string {
	var out []string
	for _, it := range f.Items {
		if strings.HasPrefix(it.Title, prefix) {
			out = append(out, it.Title)
		}
	}
	return out
}

// announceHarness runs one source on a clock the test moves.
func announceHarness(t *testing.T, extra string) (*vigietest.Harness, *vigietest.Upstream, *time.Time) {
	u := vigietest.NewUpstream(t)
	u.Set("/feed.rss", articleFeed("un article", "1"), "application/rss+xml")
	cfg := vigietest.ParseConfig(t, fmt.Sprintf(`database: unused.db
feed: {title: Test, url: http://vigie.example/feed.atom}
keywords: [reconnaissance faciale]
sources:
  - {name: franceinfo, url: %s}
%s`, u.URL("/feed.rss"), extra))
	now := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	h := vigietest.New(t, cfg, vigietest.Options{Engine: aggregator.Options{Now: func() time.Time { return now }}})
	return h, u, &now
}

// articleFeed is an RSS feed of one matching article.
func articleFeed(title, id string) []byte {
	return vigietest.RSS(vigietest.RSSItem{Title: "Reconnaissance faciale : " + title, Link: "https://news.example/" + id})
}

// at runs one cycle at start + d.
func at(t *testing.T, h *vigietest.Harness, now *time.Time, start time.Time, d time.Duration) {
	t.Helper()
	*now = start.Add(d)
	h.Engine.FetchAll(context.Background())
}

// TestFailingSourceIsAnnouncedOnce breaks a source from hour 8 to hour
// 41: one entry says so once it has failed for a day (counted from its
// first failure), one when it recovers, and both stay published when the
// keywords change.
func TestFailingSourceIsAnnouncedOnce(t *testing.T) {
	h, u, now := announceHarness(t, "")
	start := *now
	at(t, h, now, start, 0)
	u.Set("/feed.rss", []byte("<html><body>maintenance</body></html>"), "text/html")
	for _, d := range []time.Duration{8 * time.Hour, 16 * time.Hour} {
		at(t, h, now, start, d)
		if got := announced(h.Feed("/feed.atom"), "Source franceinfo"); len(got) != 0 {
			t.Fatalf("after %s of failure: got %q, want no announcement yet", d, got)
		}
	}
	at(t, h, now, start, 25*time.Hour)
	at(t, h, now, start, 33*time.Hour)
	f := h.Feed("/feed.atom")
	failing := announced(f, "Source franceinfo en échec depuis 25 h : ")
	if len(failing) != 1 || !strings.Contains(failing[0], "HTML") {
		t.Fatalf("after 33 h of failure: got %q, want one announcement naming the error", vigietest.Titles(f))
	}
	for _, it := range f.Items {
		if strings.HasPrefix(it.Title, "Source franceinfo") && (it.Link != "" || !strings.Contains(it.Content, "franceinfo")) {
			t.Errorf("announcement: link %q, content %q; want no link and a text", it.Link, it.Content)
		}
	}

	u.Set("/feed.rss", articleFeed("un article", "1"), "application/rss+xml")
	at(t, h, now, start, 41*time.Hour)
	at(t, h, now, start, 49*time.Hour)
	f = h.Feed("/feed.atom")
	if got := announced(f, "Source franceinfo rétablie après 33 h d’échec"); len(got) != 1 {
		t.Errorf("after recovery: got %q, want one recovery announcement", vigietest.Titles(f))
	}
	if got := announced(f, "Source franceinfo"); len(got) != 2 {
		t.Errorf("announcements: got %q, want 2", got)
	}

	cfg := vigietest.ParseConfig(t, fmt.Sprintf(`database: unused.db
feed: {title: Test, url: http://vigie.example/feed.atom}
keywords: [VSA]
sources:
  - {name: franceinfo, url: %s}
`, u.URL("/feed.rss")))
	if err := h.Engine.Apply(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	if got := announced(h.Feed("/feed.atom"), "Source franceinfo"); len(got) != 2 {
		t.Errorf("after a keyword edit: got %q, want both announcements kept", vigietest.Titles(h.Feed("/feed.atom")))
	}
}

// TestAnnouncementsOff checks announce_failures: false.
func TestAnnouncementsOff(t *testing.T) {
	h, u, now := announceHarness(t, "announce_failures: false\n")
	start := *now
	at(t, h, now, start, 0)
	u.Set("/feed.rss", []byte("<html></html>"), "text/html")
	for _, d := range []time.Duration{8 * time.Hour, 16 * time.Hour, 25 * time.Hour, 33 * time.Hour} {
		at(t, h, now, start, d)
	}
	if got := announced(h.Feed("/feed.atom"), "Source"); len(got) != 0 {
		t.Errorf("announce_failures: false: got %q, want none", got)
	}
}

// TestEmptySourceIsAnnounced runs a source that answers without items for
// eight days, then with items again.
func TestEmptySourceIsAnnounced(t *testing.T) {
	h, u, now := announceHarness(t, "")
	start := *now
	at(t, h, now, start, 0)
	u.Set("/feed.rss", vigietest.RSS(), "application/rss+xml")
	for day := 1; day <= 8; day++ {
		at(t, h, now, start, time.Duration(day)*24*time.Hour)
		got := announced(h.Feed("/feed.atom"), "Source franceinfo sans article")
		if want := max(0, min(1, day-7)); len(got) != want {
			t.Fatalf("day %d: got %q, want %d announcement", day, got, want)
		}
	}
	u.Set("/feed.rss", articleFeed("la suite", "2"), "application/rss+xml")
	at(t, h, now, start, 9*24*time.Hour)
	if got := announced(h.Feed("/feed.atom"), "Source franceinfo rétablie : de nouveau des articles"); len(got) != 1 {
		t.Errorf("items again: got %q, want one announcement", vigietest.Titles(h.Feed("/feed.atom")))
	}
}
