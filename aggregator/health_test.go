package aggregator_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigie-watch/vigie/aggregator"
	"github.com/vigie-watch/vigie/internal/config"
	"github.com/vigie-watch/vigie/internal/watch"
)

// clock is a fake clock the engine reads through Options.Now.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Now().UTC().Truncate(time.Second)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// scripted is an upstream whose answer to each path a test sets with a
// handler, and which records the requests it got.
type scripted struct {
	mu       sync.Mutex
	handlers map[string]http.HandlerFunc
	requests map[string][]*http.Request
	srv      *httptest.Server
}

func newScripted(t *testing.T) *scripted {
	s := &scripted{handlers: map[string]http.HandlerFunc{}, requests: map[string][]*http.Request{}}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		h := s.handlers[r.URL.Path]
		s.requests[r.URL.Path] = append(s.requests[r.URL.Path], r.Clone(context.Background()))
		s.mu.Unlock()
		if h == nil {
			http.NotFound(w, r)
			return
		}
		h(w, r)
	}))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *scripted) handle(path string, h http.HandlerFunc) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.handlers[path] = h
}

func (s *scripted) hits(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.requests[path])
}

func (s *scripted) last(path string) *http.Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	rs := s.requests[path]
	if len(rs) == 0 {
		return nil
	}
	return rs[len(rs)-1]
}

func (s *scripted) url(path string) string { return s.srv.URL + path }

// status answers with code and the given headers.
func status(code int, header ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i+1 < len(header); i += 2 {
			w.Header().Set(header[i], header[i+1])
		}
		w.WriteHeader(code)
	}
}

// body answers 200 with b.
func body(ctype string, b []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", ctype)
		w.Write(b)
	}
}

// oneSource is a config whose sources are the given name/URL pairs.
func oneSource(t *testing.T, nameURL ...string) *config.Config {
	t.Helper()
	var b strings.Builder
	b.WriteString("database: unused.db\nfeed:\n  title: Test\n  url: http://vigie.example/feed.atom\nkeywords: [reconnaissance faciale]\nsources:\n")
	for i := 0; i+1 < len(nameURL); i += 2 {
		fmt.Fprintf(&b, "  - {name: %q, url: %q}\n", nameURL[i], nameURL[i+1])
	}
	return parseConfig(t, b.String())
}

func sourceState(t *testing.T, h *harness, name string) watch.SourceState {
	t.Helper()
	st, err := h.store.Source(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

var okFeed = rss(rssItem{"Reconnaissance faciale : un article", "https://news.example/a", "Mon, 02 Jun 2025 08:00:00 +0000"})

func TestBackoffGrowsUntilASuccess(t *testing.T) {
	up := newScripted(t)
	up.handle("/feed", status(http.StatusInternalServerError))
	clk := newClock()
	h := newEngineHarness(t, oneSource(t, "src", up.url("/feed")), aggregator.Options{Now: clk.Now})
	src := h.cfg.Sources[0]
	ctx := context.Background()

	r := h.engine.FetchSource(ctx, src)
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
		h.engine.FetchSource(ctx, src)
		st = sourceState(t, h, "src")
		if st.ConsecutiveFailures != n {
			t.Fatalf("failures: got %d, want %d", st.ConsecutiveFailures, n)
		}
		want := min(time.Minute<<(n-2), 6*time.Hour)
		got := st.NextAttempt.Sub(now)
		if lo, hi := want*8/10, want*12/10; got < lo || got > hi {
			t.Errorf("after %d failures: got a wait of %s, want %s ± 20 %%", n, got, want)
		}
		hits := up.hits("/feed")
		clk.Set(st.NextAttempt.Add(-time.Second))
		r := h.engine.FetchSource(ctx, src)
		if r.Skipped == "" || r.Err != nil || up.hits("/feed") != hits {
			t.Fatalf("before the next attempt: got skipped %q, error %v, %d requests; want skipped and no request",
				r.Skipped, r.Err, up.hits("/feed")-hits)
		}
		clk.Set(st.NextAttempt)
	}

	up.handle("/feed", body("application/rss+xml", okFeed))
	r = h.engine.FetchSource(ctx, src)
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
			up := newScripted(t)
			up.handle("/feed", status(code, "Retry-After", "120"))
			clk := newClock()
			h := newEngineHarness(t, oneSource(t, "src", up.url("/feed")), aggregator.Options{Now: clk.Now})
			src := h.cfg.Sources[0]
			ctx := context.Background()
			start := clk.Now()

			h.engine.FetchSource(ctx, src)
			st := sourceState(t, h, "src")
			if st.NextAttempt.Before(start.Add(120*time.Second)) || st.LastStatus != code {
				t.Fatalf("got next attempt %v, status %d; want at least %v, %d", st.NextAttempt, st.LastStatus, start.Add(120*time.Second), code)
			}
			clk.Set(start.Add(119 * time.Second))
			if r := h.engine.FetchSource(ctx, src); r.Skipped == "" || up.hits("/feed") != 1 {
				t.Errorf("before Retry-After: got skipped %q and %d requests, want skipped and 1", r.Skipped, up.hits("/feed"))
			}
			up.handle("/feed", body("application/rss+xml", okFeed))
			clk.Set(st.NextAttempt)
			if r := h.engine.FetchSource(ctx, src); r.Err != nil || r.Skipped != "" || r.New != 1 {
				t.Errorf("after Retry-After: got error %v, skipped %q, %d new; want a success", r.Err, r.Skipped, r.New)
			}
		})
	}
}

func TestGoneStopsPollingUntilTheURLChanges(t *testing.T) {
	up := newScripted(t)
	up.handle("/old", status(http.StatusGone))
	up.handle("/new", body("application/rss+xml", okFeed))
	clk := newClock()
	h := newEngineHarness(t, oneSource(t, "src", up.url("/old")), aggregator.Options{Now: clk.Now})
	ctx := context.Background()

	r := h.engine.FetchSource(ctx, h.cfg.Sources[0])
	if r.Err == nil || r.Status != http.StatusGone {
		t.Fatalf("got status %d, error %v; want 410 and an error", r.Status, r.Err)
	}
	st := sourceState(t, h, "src")
	if !st.Gone || st.LastStatus != http.StatusGone {
		t.Fatalf("got gone %v, status %d; want true, 410", st.Gone, st.LastStatus)
	}
	for _, later := range []time.Duration{time.Minute, 7 * time.Hour, 30 * 24 * time.Hour} {
		clk.Set(clk.Now().Add(later))
		r := h.engine.FetchSource(ctx, h.cfg.Sources[0])
		if !strings.Contains(r.Skipped, "gone (410)") || up.hits("/old") != 1 {
			t.Errorf("%s later: got skipped %q and %d requests; want skipped as gone and 1 request", later, r.Skipped, up.hits("/old"))
		}
	}

	if err := h.engine.Apply(ctx, oneSource(t, "src", up.url("/new"))); err != nil {
		t.Fatal(err)
	}
	r = h.engine.FetchSource(ctx, h.engine.Config().Sources[0])
	if r.Err != nil || r.Skipped != "" || r.New != 1 {
		t.Fatalf("new URL: got error %v, skipped %q, %d new; want a success", r.Err, r.Skipped, r.New)
	}
	if st := sourceState(t, h, "src"); st.Gone || st.URL != up.url("/new") {
		t.Errorf("new URL: got gone %v, url %q; want false, %q", st.Gone, st.URL, up.url("/new"))
	}
}

func TestPermanentRedirectIsFollowedAndLogged(t *testing.T) {
	up := newScripted(t)
	up.handle("/old", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/new", http.StatusMovedPermanently)
	})
	up.handle("/new", body("application/rss+xml", okFeed))
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, nil))
	h := newEngineHarness(t, oneSource(t, "src", up.url("/old")), aggregator.Options{Logger: logger})

	r := h.engine.FetchSource(context.Background(), h.cfg.Sources[0])
	if r.Err != nil || r.New != 1 {
		t.Fatalf("got error %v, %d new; want a success and 1 new", r.Err, r.New)
	}
	if want := "new_url=" + up.url("/new"); !strings.Contains(logs.String(), want) {
		t.Errorf("logs: got\n%s\nwant a line with %s", logs.String(), want)
	}
	if !hasTitle(h.atom(), "Reconnaissance faciale : un article") {
		t.Errorf("the item of the new URL is not published")
	}
}

func TestConditionalGet(t *testing.T) {
	const etag, lastMod = `"v1"`, "Mon, 02 Jun 2025 08:00:00 GMT"
	up := newScripted(t)
	up.handle("/feed", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		w.Header().Set("Last-Modified", lastMod)
		body("application/rss+xml", okFeed)(w, r)
	})
	clk := newClock()
	h := newEngineHarness(t, oneSource(t, "src", up.url("/feed")), aggregator.Options{Now: clk.Now})
	ctx := context.Background()
	src := h.cfg.Sources[0]

	if r := h.engine.FetchSource(ctx, src); r.Err != nil || r.New != 1 {
		t.Fatalf("first fetch: got error %v, %d new; want 1 new", r.Err, r.New)
	}
	if got := up.last("/feed").Header.Get("If-None-Match"); got != "" {
		t.Errorf("first request: got If-None-Match %q, want none", got)
	}
	before := storiesBySource(t, h.store)

	clk.Set(clk.Now().Add(time.Hour))
	r := h.engine.FetchSource(ctx, src)
	req := up.last("/feed")
	if got := req.Header.Get("If-None-Match"); got != etag {
		t.Errorf("If-None-Match: got %q, want %q", got, etag)
	}
	if got := req.Header.Get("If-Modified-Since"); got != lastMod {
		t.Errorf("If-Modified-Since: got %q, want %q", got, lastMod)
	}
	if r.Err != nil || !r.NotModified || r.New != 0 || r.Updated != 0 || r.Outcome() != watch.OutcomeNotModified {
		t.Errorf("second fetch: got %+v, want not modified and nothing new", r)
	}
	if after := storiesBySource(t, h.store); after["src"] != before["src"] {
		t.Errorf("stories: got %d, want %d", after["src"], before["src"])
	}
	st := sourceState(t, h, "src")
	if st.ETag != etag || st.LastModified != lastMod || st.LastStatus != 304 || !st.LastSuccess.Equal(clk.Now()) || st.ItemsSeen != 1 {
		t.Errorf("state after 304: got %+v; want the validators kept, status 304, last success now, 1 item", st)
	}
}

func TestCharsets(t *testing.T) {
	u := newUpstream(t)
	u.serve(t, "/latin9.rss", "latin9.rss", "application/rss+xml; charset=ISO-8859-15")
	u.serve(t, "/utf8.rss", "utf8-labelled-latin9.rss", "application/rss+xml; charset=ISO-8859-15")
	h := newEngineHarness(t, oneSource(t, "latin9", u.url("/latin9.rss"), "mislabelled", u.url("/utf8.rss")), aggregator.Options{})
	h.fetchAll()

	const want = "Reconnaissance faciale : un marché à 5 € pour le cœur de la VSA"
	f := h.atom()
	if len(f.Items) != 2 {
		t.Fatalf("got %d entries, want 2: %q", len(f.Items), titles(f))
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
	u := newUpstream(t)
	clk := newClock()
	first := clk.Now()
	feed := func(soon time.Time) {
		b := rss(
			rssItem{"Reconnaissance faciale : sans date", "https://news.example/undated", ""},
			rssItem{"Reconnaissance faciale : en 2099", "https://news.example/future", "Thu, 01 Jan 2099 08:00:00 +0000"},
			rssItem{"Reconnaissance faciale : dans cinq minutes", "https://news.example/soon", soon.Format(time.RFC1123Z)},
			rssItem{"Reconnaissance faciale : daté", "https://news.example/dated", "Mon, 02 Jun 2025 08:00:00 +0000"},
		)
		u.set("/feed", b, "application/rss+xml")
	}
	feed(first.Add(5 * time.Minute))
	h := newEngineHarness(t, oneSource(t, "src", u.url("/feed")), aggregator.Options{Now: clk.Now})
	h.fetchAll()
	// A second pass an hour later must keep the first-seen dates.
	clk.Set(first.Add(time.Hour))
	h.fetchAll()

	want := map[string]time.Time{
		"Reconnaissance faciale : sans date":         first,
		"Reconnaissance faciale : en 2099":           first,
		"Reconnaissance faciale : dans cinq minutes": first,
		"Reconnaissance faciale : daté":              time.Date(2025, 6, 2, 8, 0, 0, 0, time.UTC),
	}
	f := h.atom()
	if len(f.Items) != len(want) {
		t.Fatalf("got %d entries, want %d: %q", len(f.Items), len(want), titles(f))
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

// blocking answers once release is closed, and tells started of each request.
func blocking(started chan<- struct{}, release <-chan struct{}) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		started <- struct{}{}
		select {
		case <-release:
			body("application/rss+xml", okFeed)(w, r)
		case <-r.Context().Done():
		}
	}
}

func TestOneCycleOfASourceAtATime(t *testing.T) {
	up := newScripted(t)
	started, release := make(chan struct{}, 2), make(chan struct{})
	up.handle("/feed", blocking(started, release))
	h := newEngineHarness(t, oneSource(t, "src", up.url("/feed")), aggregator.Options{})
	ctx := context.Background()
	first := make(chan watch.Report)
	go func() { first <- h.engine.FetchSource(ctx, h.cfg.Sources[0]) }()
	<-started

	r := h.engine.FetchSource(ctx, h.cfg.Sources[0])
	if r.Skipped == "" || up.hits("/feed") != 1 {
		t.Errorf("second cycle while the first runs: got skipped %q and %d requests, want skipped and 1", r.Skipped, up.hits("/feed"))
	}
	close(release)
	if r := <-first; r.Err != nil || r.New != 1 {
		t.Errorf("first cycle: got error %v, %d new; want 1 new", r.Err, r.New)
	}
	if r := h.engine.FetchSource(ctx, h.cfg.Sources[0]); r.Skipped != "" || r.Err != nil {
		t.Errorf("cycle after the first: got skipped %q, error %v; want it to run", r.Skipped, r.Err)
	}
}

func TestStoppingIsNotAFailure(t *testing.T) {
	up := newScripted(t)
	started := make(chan struct{}, 1)
	up.handle("/feed", blocking(started, nil))
	h := newEngineHarness(t, oneSource(t, "src", up.url("/feed")), aggregator.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan watch.Report)
	go func() { done <- h.engine.FetchSource(ctx, h.cfg.Sources[0]) }()
	<-started
	cancel()
	if r := <-done; r.Err == nil {
		t.Errorf("got no error, want the cancellation")
	}
	if st := sourceState(t, h, "src"); st.ConsecutiveFailures != 0 || st.LastError != "" {
		t.Errorf("got %d failures, error %q; want the source's health untouched", st.ConsecutiveFailures, st.LastError)
	}
}
