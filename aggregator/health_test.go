package aggregator_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/vigie-watch/vigie/aggregator"
	"github.com/vigie-watch/vigie/internal/config"
	"github.com/vigie-watch/vigie/internal/vigietest"
	"github.com/vigie-watch/vigie/internal/watch"
)

// newClock is a fake clock set to now, to the second.
func newClock() *vigietest.Clock { return vigietest.NewClock(time.Now().UTC().Truncate(time.Second)) }

// onClock wires vigie on one source, "src" at url, on a fake clock.
func onClock(t *testing.T, url string) (*vigietest.Harness, *vigietest.Clock) {
	t.Helper()
	clk := newClock()
	return vigietest.New(t, oneSource(t, "src", url), vigietest.Options{Engine: aggregator.Options{Now: clk.Now}}), clk
}

// oneSource is a config whose sources are the given name/URL pairs.
func oneSource(t *testing.T, nameURL ...string) *config.Config {
	t.Helper()
	var b strings.Builder
	b.WriteString("database: unused.db\nfeed:\n  title: Test\n  url: http://vigie.example/feed.atom\nkeywords: [reconnaissance faciale]\nsources:\n")
	for i := 0; i+1 < len(nameURL); i += 2 {
		fmt.Fprintf(&b, "  - {name: %q, url: %q}\n", nameURL[i], nameURL[i+1])
	}
	return vigietest.ParseConfig(t, b.String())
}

func sourceState(t *testing.T, h *vigietest.Harness, name string) watch.SourceState {
	t.Helper()
	st, err := h.Store.Source(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

var okFeed = vigietest.RSS(vigietest.RSSItem{Title: "Reconnaissance faciale : un article", Link: "https://news.example/a", Date: "Mon, 02 Jun 2025 08:00:00 +0000"})

func TestBackoffGrowsUntilASuccess(t *testing.T) {
	up := vigietest.NewUpstream(t)
	up.Handle("/feed", vigietest.Status(http.StatusInternalServerError))
	h, clk := onClock(t, up.URL("/feed"))
	src := h.Config.Sources[0]
	ctx := context.Background()

	r := h.Engine.FetchSource(ctx, src)
	if r.Err == nil || r.Status != 500 {
		t.Fatalf("first fetch: got status %d, error %v; want 500 and an error", r.Status, r.Err)
	}
	st := sourceState(t, h, "src")
	if st.ConsecutiveFailures != 1 || !st.NextAttempt.IsZero() || st.LastStatus != 500 || !strings.Contains(st.LastError, "500") {
		t.Fatalf("after one failure: got %d failures, next attempt %v, status %d, error %q; want 1, none (the schedule retries), 500, the status",
			st.ConsecutiveFailures, st.NextAttempt, st.LastStatus, st.LastError)
	}
	for n := 2; n <= 12; n++ {
		now := clk.Now()
		h.Engine.FetchSource(ctx, src)
		st = sourceState(t, h, "src")
		if st.ConsecutiveFailures != n {
			t.Fatalf("failures: got %d, want %d", st.ConsecutiveFailures, n)
		}
		want := min(time.Minute<<(n-2), 6*time.Hour)
		got := st.NextAttempt.Sub(now)
		if lo, hi := want*8/10, want*12/10; got < lo || got > hi {
			t.Errorf("after %d failures: got a wait of %s, want %s ± 20 %%", n, got, want)
		}
		hits := up.Hits("/feed")
		clk.Set(st.NextAttempt.Add(-time.Second))
		r := h.Engine.FetchSource(ctx, src)
		if r.Skipped == "" || r.Err != nil || up.Hits("/feed") != hits {
			t.Fatalf("before the next attempt: got skipped %q, error %v, %d requests; want skipped and no request",
				r.Skipped, r.Err, up.Hits("/feed")-hits)
		}
		clk.Set(st.NextAttempt)
	}

	up.Handle("/feed", vigietest.Body("application/rss+xml", okFeed))
	r = h.Engine.FetchSource(ctx, src)
	if r.Err != nil || r.New != 1 {
		t.Fatalf("recovery: got error %v, %d new; want none and 1", r.Err, r.New)
	}
	st = sourceState(t, h, "src")
	if st.ConsecutiveFailures != 0 || !st.NextAttempt.IsZero() || st.LastError != "" || !st.LastSuccess.Equal(clk.Now()) || st.LastStatus != 200 || st.ItemsSeen != 1 {
		t.Errorf("after a success: got %+v; want failures, next attempt and error reset, last success now, status 200, 1 item", st)
	}
}

func TestRetryAfterIsHonoured(t *testing.T) {
	for _, code := range []int{http.StatusTooManyRequests, http.StatusServiceUnavailable} {
		t.Run(fmt.Sprint(code), func(t *testing.T) {
			up := vigietest.NewUpstream(t)
			up.Handle("/feed", vigietest.Status(code, "Retry-After", "120"))
			h, clk := onClock(t, up.URL("/feed"))
			src := h.Config.Sources[0]
			ctx := context.Background()
			start := clk.Now()

			h.Engine.FetchSource(ctx, src)
			st := sourceState(t, h, "src")
			if st.NextAttempt.Before(start.Add(120*time.Second)) || st.LastStatus != code {
				t.Fatalf("got next attempt %v, status %d; want at least %v, %d", st.NextAttempt, st.LastStatus, start.Add(120*time.Second), code)
			}
			clk.Set(start.Add(119 * time.Second))
			if r := h.Engine.FetchSource(ctx, src); r.Skipped == "" || up.Hits("/feed") != 1 {
				t.Errorf("before Retry-After: got skipped %q and %d requests, want skipped and 1", r.Skipped, up.Hits("/feed"))
			}
			up.Handle("/feed", vigietest.Body("application/rss+xml", okFeed))
			clk.Set(st.NextAttempt)
			if r := h.Engine.FetchSource(ctx, src); r.Err != nil || r.Skipped != "" || r.New != 1 {
				t.Errorf("after Retry-After: got error %v, skipped %q, %d new; want a success", r.Err, r.Skipped, r.New)
			}
		})
	}
}

func TestGoneStopsPollingUntilTheURLChanges(t *testing.T) {
	up := vigietest.NewUpstream(t)
	up.Handle("/old", vigietest.Status(http.StatusGone))
	up.Handle("/new", vigietest.Body("application/rss+xml", okFeed))
	h, clk := onClock(t, up.URL("/old"))
	ctx := context.Background()

	r := h.Engine.FetchSource(ctx, h.Config.Sources[0])
	if r.Err == nil || r.Status != http.StatusGone {
		t.Fatalf("got status %d, error %v; want 410 and an error", r.Status, r.Err)
	}
	st := sourceState(t, h, "src")
	if !st.Gone || st.LastStatus != http.StatusGone {
		t.Fatalf("got gone %v, status %d; want true, 410", st.Gone, st.LastStatus)
	}
	for _, later := range []time.Duration{time.Minute, 7 * time.Hour, 30 * 24 * time.Hour} {
		clk.Add(later)
		r := h.Engine.FetchSource(ctx, h.Config.Sources[0])
		if !strings.Contains(r.Skipped, "gone (410)") || up.Hits("/old") != 1 {
			t.Errorf("%s later: got skipped %q and %d requests; want skipped as gone and 1 request", later, r.Skipped, up.Hits("/old"))
		}
	}

	if err := h.Engine.Apply(ctx, oneSource(t, "src", up.URL("/new"))); err != nil {
		t.Fatal(err)
	}
	r = h.Engine.FetchSource(ctx, h.Engine.Config().Sources[0])
	if r.Err != nil || r.Skipped != "" || r.New != 1 {
		t.Fatalf("new URL: got error %v, skipped %q, %d new; want a success", r.Err, r.Skipped, r.New)
	}
	if st := sourceState(t, h, "src"); st.Gone || st.URL != up.URL("/new") {
		t.Errorf("new URL: got gone %v, url %q; want false, %q", st.Gone, st.URL, up.URL("/new"))
	}
}

func TestPermanentRedirectIsFollowedAndLogged(t *testing.T) {
	up := vigietest.NewUpstream(t)
	up.HandleFunc("/old", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/new", http.StatusMovedPermanently)
	})
	up.Handle("/new", vigietest.Body("application/rss+xml", okFeed))
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, nil))
	h := vigietest.New(t, oneSource(t, "src", up.URL("/old")), vigietest.Options{Engine: aggregator.Options{Logger: logger}})

	r := h.Engine.FetchSource(context.Background(), h.Config.Sources[0])
	if r.Err != nil || r.New != 1 {
		t.Fatalf("got error %v, %d new; want a success and 1 new", r.Err, r.New)
	}
	if want := "new_url=" + up.URL("/new"); !strings.Contains(logs.String(), want) {
		t.Errorf("logs: got\n%s\nwant a line with %s", logs.String(), want)
	}
	if !hasTitle(h.Feed("/feed.atom"), "Reconnaissance faciale : un article") {
		t.Errorf("the item of the new URL is not published")
	}
}

func TestConditionalGet(t *testing.T) {
	const etag, lastMod = `"v1"`, "Mon, 02 Jun 2025 08:00:00 GMT"
	up := vigietest.NewUpstream(t)
	up.HandleFunc("/feed", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		vigietest.Body("application/rss+xml", okFeed, "ETag", etag, "Last-Modified", lastMod)(w, r)
	})
	h, clk := onClock(t, up.URL("/feed"))
	ctx := context.Background()
	src := h.Config.Sources[0]

	if r := h.Engine.FetchSource(ctx, src); r.Err != nil || r.New != 1 {
		t.Fatalf("first fetch: got error %v, %d new; want 1 new", r.Err, r.New)
	}
	if got := up.Last("/feed").Header.Get("If-None-Match"); got != "" {
		t.Errorf("first request: got If-None-Match %q, want none", got)
	}
	before := storiesBySource(t, h.Store)

	clk.Add(time.Hour)
	r := h.Engine.FetchSource(ctx, src)
	req := up.Last("/feed")
	if got := req.Header.Get("If-None-Match"); got != etag {
		t.Errorf("If-None-Match: got %q, want %q", got, etag)
	}
	if got := req.Header.Get("If-Modified-Since"); got != lastMod {
		t.Errorf("If-Modified-Since: got %q, want %q", got, lastMod)
	}
	if r.Err != nil || !r.NotModified || r.New != 0 || r.Updated != 0 || r.Outcome() != watch.OutcomeNotModified {
		t.Errorf("second fetch: got %+v, want not modified and nothing new", r)
	}
	if after := storiesBySource(t, h.Store); after["src"] != before["src"] {
		t.Errorf("stories: got %d, want %d", after["src"], before["src"])
	}
	st := sourceState(t, h, "src")
	if st.ETag != etag || st.LastModified != lastMod || st.LastStatus != 304 || !st.LastSuccess.Equal(clk.Now()) || st.ItemsSeen != 1 {
		t.Errorf("state after 304: got %+v; want the validators kept, status 304, last success now, 1 item", st)
	}
}

func TestCharsets(t *testing.T) {
	u := vigietest.NewUpstream(t)
	u.Set("/latin9.rss", vigietest.Fixture(t, "latin9.rss"), "application/rss+xml; charset=ISO-8859-15")
	u.Set("/utf8.rss", vigietest.Fixture(t, "utf8-labelled-latin9.rss"), "application/rss+xml; charset=ISO-8859-15")
	h := vigietest.New(t, oneSource(t, "latin9", u.URL("/latin9.rss"), "mislabelled", u.URL("/utf8.rss")), vigietest.Options{})
	h.FetchAll()

	const want = "Reconnaissance faciale : un marché à 5 € pour le cœur de la VSA"
	f := h.Feed("/feed.atom")
	if len(f.Items) != 2 {
		t.Fatalf("got %d entries, want 2: %q", len(f.Items), vigietest.Titles(f))
	}
	for _, it := range f.Items {
		if it.Title != want {
			t.Errorf("%s: title: got %q, want %q", it.Link, it.Title, want)
		}
		if !strings.Contains(it.Description, "sénateur") || !strings.Contains(it.Description, "œuvre") {
			t.Errorf("%s: summary: got %q, want sénateur and œuvre in it", it.Link, it.Description)
		}
	}
}

func TestItemDates(t *testing.T) {
	u := vigietest.NewUpstream(t)
	clk := newClock()
	first := clk.Now()
	feed := func(soon time.Time) {
		b := vigietest.RSS(
			vigietest.RSSItem{Title: "Reconnaissance faciale : sans date", Link: "https://news.example/undated"},
			vigietest.RSSItem{Title: "Reconnaissance faciale : en 2099", Link: "https://news.example/future", Date: "Thu, 01 Jan 2099 08:00:00 +0000"},
			vigietest.RSSItem{Title: "Reconnaissance faciale : dans cinq minutes", Link: "https://news.example/soon", Date: soon.Format(time.RFC1123Z)},
			vigietest.RSSItem{Title: "Reconnaissance faciale : daté", Link: "https://news.example/dated", Date: "Mon, 02 Jun 2025 08:00:00 +0000"},
		)
		u.Set("/feed", b, "application/rss+xml")
	}
	feed(first.Add(5 * time.Minute))
	h := vigietest.New(t, oneSource(t, "src", u.URL("/feed")), vigietest.Options{Engine: aggregator.Options{Now: clk.Now}})
	h.FetchAll()
	// A second pass an hour later must keep the first-seen dates.
	clk.Set(first.Add(time.Hour))
	h.FetchAll()

	want := map[string]time.Time{
		"Reconnaissance faciale : sans date":         first,
		"Reconnaissance faciale : en 2099":           first,
		"Reconnaissance faciale : dans cinq minutes": first,
		"Reconnaissance faciale : daté":              time.Date(2025, 6, 2, 8, 0, 0, 0, time.UTC),
	}
	f := h.Feed("/feed.atom")
	if len(f.Items) != len(want) {
		t.Fatalf("got %d entries, want %d: %q", len(f.Items), len(want), vigietest.Titles(f))
	}
	for _, it := range f.Items {
		if it.PublishedParsed == nil || !it.PublishedParsed.Equal(want[it.Title]) {
			t.Errorf("%q: published: got %v, want %v", it.Title, it.PublishedParsed, want[it.Title])
		}
		if it.UpdatedParsed == nil || it.UpdatedParsed.After(first.Add(time.Hour)) {
			t.Errorf("%q: updated: got %v, want no later than the last fetch", it.Title, it.UpdatedParsed)
		}
	}
}

func TestOneCycleOfASourceAtATime(t *testing.T) {
	up := vigietest.NewUpstream(t)
	started, release := make(chan struct{}, 2), make(chan struct{})
	up.Handle("/feed", vigietest.Blocking(started, release, vigietest.Body("application/rss+xml", okFeed)))
	h := vigietest.New(t, oneSource(t, "src", up.URL("/feed")), vigietest.Options{})
	ctx := context.Background()
	first := make(chan watch.Report)
	go func() { first <- h.Engine.FetchSource(ctx, h.Config.Sources[0]) }()
	<-started

	r := h.Engine.FetchSource(ctx, h.Config.Sources[0])
	if r.Skipped == "" || up.Hits("/feed") != 1 {
		t.Errorf("second cycle while the first runs: got skipped %q and %d requests, want skipped and 1", r.Skipped, up.Hits("/feed"))
	}
	close(release)
	if r := <-first; r.Err != nil || r.New != 1 {
		t.Errorf("first cycle: got error %v, %d new; want 1 new", r.Err, r.New)
	}
	if r := h.Engine.FetchSource(ctx, h.Config.Sources[0]); r.Skipped != "" || r.Err != nil {
		t.Errorf("cycle after the first: got skipped %q, error %v; want it to run", r.Skipped, r.Err)
	}
}

func TestStoppingIsNotAFailure(t *testing.T) {
	up := vigietest.NewUpstream(t)
	started := make(chan struct{}, 1)
	up.Handle("/feed", vigietest.Blocking(started, nil, nil))
	h := vigietest.New(t, oneSource(t, "src", up.URL("/feed")), vigietest.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan watch.Report)
	go func() { done <- h.Engine.FetchSource(ctx, h.Config.Sources[0]) }()
	<-started
	cancel()
	if r := <-done; r.Err == nil {
		t.Errorf("got no error, want the cancellation")
	}
	if st := sourceState(t, h, "src"); st.ConsecutiveFailures != 0 || st.LastError != "" {
		t.Errorf("got %d failures, error %q; want the source's health untouched", st.ConsecutiveFailures, st.LastError)
	}
}
