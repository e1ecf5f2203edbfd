package vigietest_test

import (
	"io"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/vigie-watch/vigie/internal/vigietest"
)

func TestUpstreamRoutesAndRecords(t *testing.T) {
	u := vigietest.NewUpstream(t)
	u.Set("/a", []byte("first"), "text/plain; charset=utf-8")
	if resp, body := vigietest.Get(t, u.URL("/a"), "X-Test", "1"); resp.StatusCode != 200 || body != "first" || resp.Header.Get("Content-Type") != "text/plain; charset=utf-8" {
		t.Errorf("GET /a: got %d %q %q, want 200 first text/plain", resp.StatusCode, body, resp.Header.Get("Content-Type"))
	}
	u.Set("/a", []byte("second"), "text/plain")
	if _, body := vigietest.Get(t, u.URL("/a"), "X-Test", "2"); body != "second" {
		t.Errorf("GET /a after Set: got %q, want second", body)
	}
	u.Handle("/tagged", vigietest.Body("application/rss+xml", []byte("<rss/>"), "ETag", `"v1"`))
	if resp, body := vigietest.Get(t, u.URL("/tagged")); resp.Header.Get("ETag") != `"v1"` || body != "<rss/>" {
		t.Errorf("GET /tagged: got ETag %q, body %q; want \"v1\" and <rss/>", resp.Header.Get("ETag"), body)
	}
	if resp, _ := vigietest.Get(t, u.URL("/nothing")); resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET /nothing: got %d, want 404", resp.StatusCode)
	}
	if got := u.Hits("/a"); got != 2 {
		t.Errorf("hits of /a: got %d, want 2", got)
	}
	if got := u.Hits("/nothing"); got != 1 {
		t.Errorf("hits of /nothing: got %d, want 1", got)
	}
	if got := u.Last("/a").Header.Get("X-Test"); got != "2" {
		t.Errorf("last request to /a: got X-Test %q, want 2", got)
	}
	if u.Last("/b") != nil {
		t.Errorf("last request to /b: got one, want nil")
	}
}

func TestStatus(t *testing.T) {
	u := vigietest.NewUpstream(t)
	u.Handle("/busy", vigietest.Status(http.StatusServiceUnavailable, "Retry-After", "120"))
	u.Handle("/same", vigietest.Status(http.StatusNotModified))
	resp, body := vigietest.Get(t, u.URL("/busy"))
	if resp.StatusCode != 503 || resp.Header.Get("Retry-After") != "120" || body != "Service Unavailable\n" {
		t.Errorf("GET /busy: got %d, Retry-After %q, body %q", resp.StatusCode, resp.Header.Get("Retry-After"), body)
	}
	if resp, body := vigietest.Get(t, u.URL("/same")); resp.StatusCode != 304 || body != "" {
		t.Errorf("GET /same: got %d %q, want 304 and no body", resp.StatusCode, body)
	}
}

func TestValidating(t *testing.T) {
	u := vigietest.NewUpstream(t)
	v := &vigietest.Validating{}
	u.Handle("/export.csv", v)
	v.Set([]byte("v1"), "text/csv")
	resp, body := vigietest.Get(t, u.URL("/export.csv"))
	etag := resp.Header.Get("ETag")
	if resp.StatusCode != 200 || body != "v1" || etag == "" || resp.Header.Get("Last-Modified") == "" {
		t.Fatalf("first GET: got %d %q, ETag %q, Last-Modified %q", resp.StatusCode, body, etag, resp.Header.Get("Last-Modified"))
	}
	if resp, _ := vigietest.Get(t, u.URL("/export.csv"), "If-None-Match", etag); resp.StatusCode != http.StatusNotModified {
		t.Errorf("GET with the ETag: got %d, want 304", resp.StatusCode)
	}
	if inm, status := v.Last(); inm != etag || status != http.StatusNotModified {
		t.Errorf("Last: got %q %d, want %q 304", inm, status, etag)
	}
	v.Set([]byte("v2"), "text/csv")
	resp, body = vigietest.Get(t, u.URL("/export.csv"), "If-None-Match", etag)
	if resp.StatusCode != 200 || body != "v2" || resp.Header.Get("ETag") == etag {
		t.Errorf("GET after Set with the old ETag: got %d %q, ETag %q; want 200 v2 and a new ETag", resp.StatusCode, body, resp.Header.Get("ETag"))
	}
	v.IgnoreValidators()
	etag = resp.Header.Get("ETag")
	if resp, _ := vigietest.Get(t, u.URL("/export.csv"), "If-None-Match", etag); resp.StatusCode != 200 {
		t.Errorf("GET with the ETag, validators ignored: got %d, want 200", resp.StatusCode)
	}
}

// TestBlocking: a blocked request is answered once released; a hanging one
// ends when the client gives up.
func TestBlocking(t *testing.T) {
	u := vigietest.NewUpstream(t)
	started, release := make(chan struct{}, 1), make(chan struct{})
	u.Handle("/gate", vigietest.Blocking(started, release, vigietest.Body("text/plain", []byte("open"))))
	u.Handle("/hang", vigietest.Hang())
	done := make(chan string)
	go func() {
		resp, err := http.Get(u.URL("/gate"))
		if err != nil {
			done <- err.Error()
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		done <- string(b)
	}()
	<-started
	close(release)
	if got := <-done; got != "open" {
		t.Errorf("released request: got %q, want open", got)
	}
	client := &http.Client{Timeout: 100 * time.Millisecond}
	if _, err := client.Get(u.URL("/hang")); err == nil {
		t.Errorf("GET /hang: got an answer, want the client to time out")
	}
}

func TestRSSReadsBack(t *testing.T) {
	u := vigietest.NewUpstream(t)
	u.Set("/feed.rss", vigietest.RSS(
		vigietest.RSSItem{Title: "Reconnaissance faciale : un article", Link: "https://news.example/a", Date: "Mon, 02 Jun 2025 08:00:00 +0000"},
		vigietest.RSSItem{Title: "Météo", Link: "https://news.example/b", Description: "Soleil."},
	), "application/rss+xml")
	h := vigietest.New(t, vigietest.ParseConfig(t, `database: unused.db
feed: {title: Test, url: http://vigie.example/feed.atom}
keywords: [reconnaissance faciale, météo]
sources:
  - {name: src, url: `+u.URL("/feed.rss")+`}
`), vigietest.Options{})
	if r := h.FetchAll()[0]; r.Fetched != 2 || r.New != 2 {
		t.Errorf("fetch: got %d fetched, %d new; want 2, 2", r.Fetched, r.New)
	}
	want := []string{"Météo", "Reconnaissance faciale : un article"} // sorted
	for _, path := range []string{"/feed.atom", "/feed.rss", "/feed.json"} {
		if got := slices.Sorted(slices.Values(vigietest.Titles(h.Feed(path)))); !slices.Equal(got, want) {
			t.Errorf("%s: got %q, want %q", path, got, want)
		}
	}
	h2 := h.Reopen()
	if got := slices.Sorted(slices.Values(vigietest.Titles(h2.Feed("/feed.atom")))); !slices.Equal(got, want) {
		t.Errorf("after reopening: got %q, want %q", got, want)
	}
}

func TestClock(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := vigietest.NewClock(start)
	c.Add(time.Hour)
	if got := c.Now(); !got.Equal(start.Add(time.Hour)) {
		t.Errorf("after Add: got %v, want %v", got, start.Add(time.Hour))
	}
	c.Set(start)
	if got := c.Now(); !got.Equal(start) {
		t.Errorf("after Set: got %v, want %v", got, start)
	}
}
