package fetch_test

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
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
