package server_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/vigie-watch/vigie/internal/vigietest"
)

func TestFeedFormats(t *testing.T) {
	h := newFetched(t)
	tests := []struct {
		path, ctype, feedType, self string
	}{
		{"/feed.atom", "application/atom+xml; charset=utf-8", "atom", "http://vigie.example/feed.atom"},
		{"/feed.rss", "application/rss+xml; charset=utf-8", "rss", "http://vigie.example/feed.rss"},
		{"/feed.json", "application/feed+json; charset=utf-8", "json", "http://vigie.example/feed.json"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			rec := h.Get(http.MethodGet, tt.path)
			if rec.Code != http.StatusOK {
				t.Fatalf("status: got %d, want 200", rec.Code)
			}
			if got := rec.Header().Get("Content-Type"); got != tt.ctype {
				t.Errorf("Content-Type: got %q, want %q", got, tt.ctype)
			}
			f := h.Feed(tt.path)
			if f.FeedType != tt.feedType {
				t.Errorf("feed type: got %q, want %q", f.FeedType, tt.feedType)
			}
			if got := vigietest.Titles(f); !slices.Equal(got, mainTitles) {
				t.Errorf("entries:\n got %q\nwant %q", got, mainTitles)
			}
			if f.FeedLink != tt.self {
				t.Errorf("self link: got %q, want %q", f.FeedLink, tt.self)
			}
			if f.Language != "fr" {
				t.Errorf("language: got %q, want fr", f.Language)
			}
			for _, it := range f.Items {
				if it.GUID == "" || it.Link == "" || it.PublishedParsed == nil {
					t.Errorf("%q: got id %q, link %q, published %v; want all three", it.Title, it.GUID, it.Link, it.PublishedParsed)
				}
			}
		})
	}
}

func TestFeedHeaders(t *testing.T) {
	h := newFetched(t)
	rec := h.Get(http.MethodGet, "/feed.atom")
	etag, lm := rec.Header().Get("ETag"), rec.Header().Get("Last-Modified")
	if !strings.HasPrefix(etag, `"`) || !strings.HasSuffix(etag, `"`) || len(etag) < 10 {
		t.Errorf("ETag: got %q, want a strong validator", etag)
	}
	// The newest entry, BriefCam, was published at 17:50:19 in Paris.
	if want := "Tue, 14 Nov 2023 16:50:19 GMT"; lm != want {
		t.Errorf("Last-Modified: got %q, want %q", lm, want)
	}
	if got := rec.Header().Get("Vary"); got != "Accept-Encoding" {
		t.Errorf("Vary: got %q, want Accept-Encoding", got)
	}
	if got, want := rec.Header().Get("Content-Length"), len(rec.Body.Bytes()); got != strconv.Itoa(want) {
		t.Errorf("Content-Length: got %s, want %d", got, want)
	}
	gz := h.Get(http.MethodGet, "/feed.atom", "Accept-Encoding", "gzip")
	gzTag := gz.Header().Get("ETag")
	if gzTag == etag || gzTag == "" {
		t.Errorf("gzip ETag: got %q, want one that differs from %q", gzTag, etag)
	}

	tests := []struct {
		name    string
		headers []string
		want    int
	}{
		{"same etag", []string{"If-None-Match", etag}, 304},
		{"weak form of the etag", []string{"If-None-Match", "W/" + etag}, 304},
		{"etag in a list", []string{"If-None-Match", `"other", ` + etag}, 304},
		{"star", []string{"If-None-Match", "*"}, 304},
		{"gzip etag, gzip accepted", []string{"If-None-Match", gzTag, "Accept-Encoding", "gzip"}, 304},
		{"plain etag, gzip accepted", []string{"If-None-Match", etag, "Accept-Encoding", "gzip"}, 304},
		{"gzip etag, plain asked", []string{"If-None-Match", gzTag}, 304},
		{"other etag", []string{"If-None-Match", `"0123456789abcdef"`}, 200},
		{"other etag wins over a good date", []string{"If-None-Match", `"0123"`, "If-Modified-Since", lm}, 200},
		{"same date", []string{"If-Modified-Since", lm}, 304},
		{"later date", []string{"If-Modified-Since", "Wed, 15 Nov 2023 00:00:00 GMT"}, 304},
		{"earlier date", []string{"If-Modified-Since", "Tue, 14 Nov 2023 16:50:18 GMT"}, 200},
		{"bad date", []string{"If-Modified-Since", "hier"}, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := h.Get(http.MethodGet, "/feed.atom", tt.headers...)
			if rec.Code != tt.want {
				t.Fatalf("status: got %d, want %d", rec.Code, tt.want)
			}
			if tt.want == 304 {
				if rec.Body.Len() != 0 {
					t.Errorf("304 body: got %d bytes, want none", rec.Body.Len())
				}
				if rec.Header().Get("ETag") == "" || rec.Header().Get("Last-Modified") != lm {
					t.Errorf("304 validators: got ETag %q, Last-Modified %q", rec.Header().Get("ETag"), rec.Header().Get("Last-Modified"))
				}
				if got := rec.Header().Get("Content-Encoding"); got != "" {
					t.Errorf("304 Content-Encoding: got %q, want none", got)
				}
			}
		})
	}
}

func TestFeedGzip(t *testing.T) {
	h := newFetched(t)
	for _, path := range []string{"/feed.atom", "/feed.rss", "/feed.json", "/topics/vsa.atom"} {
		t.Run(path, func(t *testing.T) {
			plain := h.GetBody(path)
			for _, ae := range []string{"gzip", "br, gzip;q=0.8", "GZIP"} {
				rec := h.Get(http.MethodGet, path, "Accept-Encoding", ae)
				if got := rec.Header().Get("Content-Encoding"); got != "gzip" {
					t.Fatalf("Accept-Encoding %q: Content-Encoding got %q, want gzip", ae, got)
				}
				zr, err := gzip.NewReader(rec.Body)
				if err != nil {
					t.Fatal(err)
				}
				got, err := io.ReadAll(zr)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got, plain) {
					t.Errorf("Accept-Encoding %q: decompressed body differs from the plain one", ae)
				}
			}
			for _, ae := range []string{"", "identity", "gzip;q=0", "br"} {
				rec := h.Get(http.MethodGet, path, "Accept-Encoding", ae)
				if got := rec.Header().Get("Content-Encoding"); got != "" {
					t.Errorf("Accept-Encoding %q: Content-Encoding got %q, want none", ae, got)
				}
				if !bytes.Equal(rec.Body.Bytes(), plain) {
					t.Errorf("Accept-Encoding %q: body differs from the plain one", ae)
				}
			}
		})
	}
}

func TestFeedHead(t *testing.T) {
	h := newFetched(t)
	for _, path := range []string{"/feed.atom", "/feed.rss", "/feed.json", "/topics/drones.json"} {
		for _, ae := range []string{"", "gzip"} {
			get := h.Get(http.MethodGet, path, "Accept-Encoding", ae)
			head := h.Get(http.MethodHead, path, "Accept-Encoding", ae)
			if head.Code != http.StatusOK {
				t.Fatalf("HEAD %s: got %d, want 200", path, head.Code)
			}
			if head.Body.Len() != 0 {
				t.Errorf("HEAD %s: got a body of %d bytes, want none", path, head.Body.Len())
			}
			for _, k := range []string{"Content-Type", "Content-Length", "Content-Encoding", "ETag", "Last-Modified"} {
				if got, want := head.Header().Get(k), get.Header().Get(k); got != want {
					t.Errorf("HEAD %s (Accept-Encoding %q) %s: got %q, want %q as for GET", path, ae, k, got, want)
				}
			}
		}
	}
}

func TestFeedMaxEntries(t *testing.T) {
	u := newUpstream(t)
	cfg := vigietest.ParseConfig(t, strings.Replace(baseConfig(u, ""), "url: http://vigie.example/feed.atom", "url: http://vigie.example/feed.atom\n  max_entries: 3", 1))
	h := vigietest.New(t, cfg, vigietest.Options{})
	h.FetchAll()
	for _, path := range []string{"/feed.atom", "/feed.rss", "/feed.json"} {
		f := h.Feed(path)
		if got, want := vigietest.Titles(f), mainTitles[:3]; !slices.Equal(got, want) {
			t.Errorf("%s: got %q, want %q", path, got, want)
		}
		for i := 1; i < len(f.Items); i++ {
			if f.Items[i].PublishedParsed.After(*f.Items[i-1].PublishedParsed) {
				t.Errorf("%s: entry %d (%v) is newer than entry %d (%v)", path, i, f.Items[i].PublishedParsed, i-1, f.Items[i-1].PublishedParsed)
			}
		}
	}
}

func TestTopicFeeds(t *testing.T) {
	h := newFetched(t)
	tests := []struct {
		path, title, self string
		want              []string
	}{
		{"/topics/drones.atom", "Veille : drones", "http://vigie.example/topics/drones.atom", []string{drones}},
		{"/topics/drones.rss", "Veille : drones", "http://vigie.example/topics/drones.rss", []string{drones}},
		{"/topics/drones.json", "Veille : drones", "http://vigie.example/topics/drones.json", []string{drones}},
		{"/topics/vsa.atom", "Veille : reconnaissance faciale : vsa", "http://vigie.example/topics/vsa.atom", []string{cnil}},
		{"/topics/vsa.json", "Veille : reconnaissance faciale : vsa", "http://vigie.example/topics/vsa.json", []string{cnil}},
	}
	for _, tt := range tests {
		f := h.Feed(tt.path)
		if got := vigietest.Titles(f); !slices.Equal(got, tt.want) {
			t.Errorf("%s: got %q, want %q", tt.path, got, tt.want)
		}
		if f.Title != tt.title {
			t.Errorf("%s title: got %q, want %q", tt.path, f.Title, tt.title)
		}
		if f.FeedLink != tt.self {
			t.Errorf("%s self: got %q, want %q", tt.path, f.FeedLink, tt.self)
		}
	}
	if ct := h.Get(http.MethodGet, "/topics/vsa.rss").Header().Get("Content-Type"); ct != "application/rss+xml; charset=utf-8" {
		t.Errorf("/topics/vsa.rss Content-Type: got %q", ct)
	}
	for _, path := range []string{"/topics/nope.atom", "/topics/drones.xml", "/topics/drones", "/topics/drones.ATOM",
		"/topics/.atom", "/topics/drones.atom.rss", "/feed.xml", "/topics/", "/feed.atom/x"} {
		if got := h.Get(http.MethodGet, path).Code; got != http.StatusNotFound {
			t.Errorf("GET %s: got %d, want 404", path, got)
		}
	}
}

func TestFeedSanitisesHostileHTML(t *testing.T) {
	h := newFetched(t)
	for _, path := range []string{"/feed.atom", "/feed.rss", "/feed.json", "/topics/vsa.atom"} {
		raw := string(h.GetBody(path))
		for _, bad := range []string{"javascript:", "onerror", "onclick", "evil.example", "iframe", "display:none", "alert('", `alert(\"xss`, "alert(&#34;xss"} {
			if strings.Contains(raw, bad) {
				t.Errorf("%s holds %q", path, bad)
			}
		}
		f := h.Feed(path)
		var found bool
		for _, it := range f.Items {
			if it.Title != cnil {
				continue
			}
			found = true
			html := it.Description + it.Content
			for _, bad := range []string{"<script", "<style", "<iframe", "onerror", "javascript:", "style="} {
				if strings.Contains(html, bad) {
					t.Errorf("%s: the summary holds %q: %s", path, bad, html)
				}
			}
			for _, good := range []string{"La CNIL rend son avis", `<img src="https://www.francetvinfo.fr/img/cnil.jpg"`, `href="https://www.francetvinfo.fr/societe/vsa-dossier.html"`} {
				if !strings.Contains(html, good) {
					t.Errorf("%s: the summary lacks %q: %s", path, good, html)
				}
			}
		}
		if !found {
			t.Errorf("%s: no entry titled %q", path, cnil)
		}
	}
}
