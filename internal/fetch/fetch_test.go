package fetch_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vigie-watch/vigie/feeds"
	"github.com/vigie-watch/vigie/internal/fetch"
)

const testUA = "vigie/1.2.3 (+https://github.com/vigie-watch/vigie)"

func newTestClient(maxBody int64) *fetch.Client {
	return fetch.NewClient(fetch.ClientOptions{UserAgent: testUA, MaxBodyBytes: maxBody})
}

func serve(t *testing.T, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

func TestGetGzipAndHeaders(t *testing.T) {
	feed := fixture(t, "in-franceinfo.rss")
	var gotUA, gotAE, gotAccept string
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		gotUA, gotAE, gotAccept = r.UserAgent(), r.Header.Get("Accept-Encoding"), r.Header.Get("Accept")
		w.Header().Set("Content-Type", "application/rss+xml; charset=UTF-8")
		w.Header().Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(w)
		zw.Write(feed)
		zw.Close()
	})
	resp, err := newTestClient(0).Get(t.Context(), srv.URL+"/titres.rss", fetch.Validators{})
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	if !bytes.Equal(resp.Body, feed) {
		t.Errorf("body: got %d bytes starting %q, want the %d bytes of the fixture", len(resp.Body), resp.Body[:min(len(resp.Body), 20)], len(feed))
	}
	if gotUA != testUA {
		t.Errorf("User-Agent: got %q, want %q", gotUA, testUA)
	}
	if !strings.Contains(gotAE, "gzip") {
		t.Errorf("Accept-Encoding: got %q, want gzip", gotAE)
	}
	if !strings.Contains(gotAccept, "application/rss+xml") {
		t.Errorf("Accept: got %q, want feed types", gotAccept)
	}
	if resp.Status != 200 || resp.NotModified || resp.URL != srv.URL+"/titres.rss" || resp.MovedTo != "" {
		t.Errorf("response: got %+v, want 200 from %s, not moved", resp, srv.URL)
	}
	if resp.ContentType != "application/rss+xml; charset=UTF-8" {
		t.Errorf("ContentType: got %q", resp.ContentType)
	}
	f, err := feeds.Parse(resp.Body, resp.ContentType, resp.URL, time.Date(2026, 10, 8, 12, 0, 0, 0, time.UTC))
	if err != nil || len(f.Items) != 3 {
		t.Errorf("Parse: got %v items, err %v; want 3 items", f, err)
	}
}

func TestGetDefaultUserAgent(t *testing.T) {
	var got string
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) { got = r.UserAgent() })
	if _, err := fetch.NewClient(fetch.ClientOptions{}).Get(t.Context(), srv.URL, fetch.Validators{}); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(got, "vigie") || !strings.Contains(got, "https://") {
		t.Errorf("default User-Agent: got %q, want vigie and its URL", got)
	}
}

func TestGetConditional(t *testing.T) {
	const etag, lastMod = `"v1-abc"`, "Wed, 07 Oct 2026 10:00:00 GMT"
	var gotINM, gotIMS []string
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		gotINM = append(gotINM, r.Header.Get("If-None-Match"))
		gotIMS = append(gotIMS, r.Header.Get("If-Modified-Since"))
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		w.Header().Set("Last-Modified", lastMod)
		fmt.Fprint(w, "<rss/>")
	})
	c := newTestClient(0)

	first, err := c.Get(t.Context(), srv.URL, fetch.Validators{})
	if err != nil {
		t.Fatal(err)
	}
	want := fetch.Validators{ETag: etag, LastModified: lastMod}
	if first.NotModified || string(first.Body) != "<rss/>" || first.Validators != want {
		t.Fatalf("first: got %+v, want body and validators %+v", first, want)
	}

	second, err := c.Get(t.Context(), srv.URL, first.Validators)
	if err != nil {
		t.Fatal(err)
	}
	if !second.NotModified || second.Body != nil || second.Status != http.StatusNotModified {
		t.Errorf("second: got %+v, want NotModified without body", second)
	}
	if second.Validators != want {
		t.Errorf("second validators: got %+v, want %+v kept", second.Validators, want)
	}
	if gotINM[0] != "" || gotIMS[0] != "" {
		t.Errorf("first request sent validators %q %q, want none", gotINM[0], gotIMS[0])
	}
	if gotINM[1] != etag || gotIMS[1] != lastMod {
		t.Errorf("second request: got If-None-Match %q If-Modified-Since %q, want %q %q", gotINM[1], gotIMS[1], etag, lastMod)
	}
}

// redirector serves /hop/N, redirecting with code to /hop/N-1, and /hop/0.
func redirector(t *testing.T, code int) *httptest.Server {
	return serve(t, func(w http.ResponseWriter, r *http.Request) {
		n, err := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/hop/"))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		if n == 0 {
			fmt.Fprint(w, "arrived")
			return
		}
		http.Redirect(w, r, fmt.Sprintf("/hop/%d", n-1), code)
	})
}

func TestGetRedirectLimit(t *testing.T) {
	srv := redirector(t, http.StatusFound)
	c := newTestClient(0)

	resp, err := c.Get(t.Context(), srv.URL+"/hop/5", fetch.Validators{})
	if err != nil {
		t.Fatalf("5 redirects: %v", err)
	}
	if string(resp.Body) != "arrived" || resp.URL != srv.URL+"/hop/0" {
		t.Errorf("5 redirects: got body %q at %q, want arrived at /hop/0", resp.Body, resp.URL)
	}
	if resp.MovedTo != "" {
		t.Errorf("temporary redirects: got MovedTo %q, want none", resp.MovedTo)
	}

	_, err = c.Get(t.Context(), srv.URL+"/hop/6", fetch.Validators{})
	if !errors.Is(err, fetch.ErrTooManyRedirects) {
		t.Errorf("6 redirects: got error %v, want ErrTooManyRedirects", err)
	}
	if want := `"` + srv.URL + "/hop/0" + `"`; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("6 redirects: got error %v, want it to name the absolute URL %s", err, want)
	}
}

func TestGetPermanentRedirect(t *testing.T) {
	var base string
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/301":
			http.Redirect(w, r, "/new", http.StatusMovedPermanently)
		case "/308":
			http.Redirect(w, r, "/new", http.StatusPermanentRedirect)
		case "/302":
			http.Redirect(w, r, "/new", http.StatusFound)
		case "/301-301":
			http.Redirect(w, r, "/308", http.StatusMovedPermanently)
		case "/301-302":
			http.Redirect(w, r, "/302", http.StatusMovedPermanently)
		case "/302-301":
			http.Redirect(w, r, "/301", http.StatusFound)
		case "/new":
			fmt.Fprint(w, "ok")
		}
	})
	base = srv.URL
	tests := []struct{ path, wantMoved string }{
		{"/301", base + "/new"},
		{"/308", base + "/new"},
		{"/302", ""},
		{"/301-301", base + "/new"},
		{"/301-302", base + "/302"},
		{"/302-301", ""},
	}
	c := newTestClient(0)
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			resp, err := c.Get(t.Context(), base+tt.path, fetch.Validators{})
			if err != nil {
				t.Fatal(err)
			}
			if resp.MovedTo != tt.wantMoved {
				t.Errorf("MovedTo: got %q, want %q", resp.MovedTo, tt.wantMoved)
			}
			if resp.URL != base+"/new" {
				t.Errorf("URL: got %q, want %q", resp.URL, base+"/new")
			}
		})
	}
}

func TestGetBodyCap(t *testing.T) {
	const limit = 1024
	tests := []struct {
		name    string
		size    int
		chunked bool
		gzipped bool
		wantErr bool
	}{
		{"at the limit", limit, false, false, false},
		{"over, announced", limit + 1, false, false, true},
		{"over, chunked", limit + 1, true, false, true},
		{"at the limit, chunked", limit, true, false, false},
		{"over once decompressed", 100 * limit, false, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := bytes.Repeat([]byte("a"), tt.size)
			srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
				switch {
				case tt.gzipped:
					w.Header().Set("Content-Encoding", "gzip")
					zw := gzip.NewWriter(w)
					zw.Write(body)
					zw.Close()
				case tt.chunked:
					w.Write(body[:10])
					w.(http.Flusher).Flush()
					w.Write(body[10:])
				default:
					w.Header().Set("Content-Length", strconv.Itoa(len(body)))
					w.Write(body)
				}
			})
			resp, err := newTestClient(limit).Get(t.Context(), srv.URL, fetch.Validators{})
			if !tt.wantErr {
				if err != nil || len(resp.Body) != tt.size {
					t.Fatalf("got err %v, want %d bytes", err, tt.size)
				}
				return
			}
			if !errors.Is(err, fetch.ErrTooLarge) {
				t.Fatalf("got error %v, want ErrTooLarge", err)
			}
			if !strings.Contains(err.Error(), "1 KiB") {
				t.Errorf("got error %q, want it to name the 1 KiB limit", err)
			}
		})
	}
}

func TestGetEndlessBody(t *testing.T) {
	const limit = 1 << 20
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		chunk := bytes.Repeat([]byte("<item>endless</item>"), 1600)
		for r.Context().Err() == nil {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	})
	// The deadline only stops a client that would read forever; such a
	// client fails below on the error and on memory.
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()

	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := newTestClient(limit).Get(ctx, srv.URL, fetch.Validators{})
	runtime.ReadMemStats(&after)

	if !errors.Is(err, fetch.ErrTooLarge) {
		t.Errorf("got error %v, want ErrTooLarge", err)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 16*limit {
		t.Errorf("allocated %d bytes for a %d-byte cap, want at most %d", alloc, limit, 16*limit)
	}
}

func TestGetDeadline(t *testing.T) {
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/mid-body" {
			w.Write([]byte("<rss><channel>"))
			w.(http.Flusher).Flush()
		}
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	c := newTestClient(0)
	for _, path := range []string{"/no-headers", "/mid-body"} {
		t.Run(path, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
			defer cancel()
			resp, err := c.Get(ctx, srv.URL+path, fetch.Validators{})
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("got %+v, error %v; want context.DeadlineExceeded", resp, err)
			}
		})
	}
}

func TestGetStatusErrors(t *testing.T) {
	serverDate := time.Date(2026, 10, 7, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		code       int
		retryAfter string
		wantRetry  time.Duration
		wantGone   bool
	}{
		{code: 500},
		{code: 503, retryAfter: "120", wantRetry: 2 * time.Minute},
		{code: 429, retryAfter: "3600", wantRetry: time.Hour},
		{code: 429, retryAfter: serverDate.Add(90 * time.Second).Format(http.TimeFormat), wantRetry: 90 * time.Second},
		{code: 503, retryAfter: serverDate.Add(-time.Hour).Format(http.TimeFormat)},
		{code: 503, retryAfter: "soon"},
		{code: 503, retryAfter: "-5"},
		{code: 404, retryAfter: "120"},
		{code: 403},
		{code: 410, wantGone: true},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d %s", tt.code, tt.retryAfter), func(t *testing.T) {
			srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Date", serverDate.Format(http.TimeFormat))
				if tt.retryAfter != "" {
					w.Header().Set("Retry-After", tt.retryAfter)
				}
				w.WriteHeader(tt.code)
				fmt.Fprint(w, "<html><body>Erreur</body></html>")
			})
			resp, err := newTestClient(0).Get(t.Context(), srv.URL+"/feed", fetch.Validators{})
			var se *fetch.StatusError
			if !errors.As(err, &se) {
				t.Fatalf("got %+v, error %v; want a *StatusError", resp, err)
			}
			if se.Code != tt.code || se.RetryAfter != tt.wantRetry || se.URL != srv.URL+"/feed" {
				t.Errorf("got %+v, want code %d, retry after %s, URL %s/feed", se, tt.code, tt.wantRetry, srv.URL)
			}
			if got := errors.Is(err, fetch.ErrGone); got != tt.wantGone {
				t.Errorf("errors.Is(err, ErrGone): got %v, want %v", got, tt.wantGone)
			}
			if !strings.Contains(err.Error(), strconv.Itoa(tt.code)) {
				t.Errorf("error %q does not name the status", err)
			}
		})
	}
}

func TestGetThenParse(t *testing.T) {
	tests := []struct {
		fixture, contentType string
		wantErr              bool
		wantTitle            string
	}{
		{"in-senat-latin9.rss", "application/rss+xml; charset=ISO-8859-15", false, "Sénat - Textes"},
		{"in-senat-utf8.rss", "application/rss+xml; charset=ISO-8859-15", false, "Sénat - Textes"},
		{"in-page.html", "application/rss+xml", true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			body := fixture(t, tt.fixture)
			srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", tt.contentType)
				w.Write(body)
			})
			resp, err := newTestClient(0).Get(t.Context(), srv.URL, fetch.Validators{})
			if err != nil {
				t.Fatal(err)
			}
			f, err := feeds.Parse(resp.Body, resp.ContentType, resp.URL, time.Date(2026, 10, 8, 12, 0, 0, 0, time.UTC))
			if tt.wantErr {
				if !errors.Is(err, feeds.ErrNotFeed) {
					t.Errorf("got %+v, error %v; want ErrNotFeed", f, err)
				}
				return
			}
			if err != nil || f.Title != tt.wantTitle {
				t.Errorf("got %+v, error %v; want title %q", f, err, tt.wantTitle)
			}
		})
	}
}

func TestGetBadURL(t *testing.T) {
	for _, u := range []string{"://nope", "ftp://example.org/feed", "http://127.0.0.1:1/feed"} {
		if _, err := newTestClient(0).Get(t.Context(), u, fetch.Validators{}); err == nil {
			t.Errorf("Get(%q): got no error, want one", u)
		}
	}
}

// fixture reads one of the feed parser's input fixtures: the fetch tests
// serve the same real-world documents.
func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "feeds", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}
