package server_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/vigie-watch/vigie/internal/server"
	"github.com/vigie-watch/vigie/internal/store"
	"github.com/vigie-watch/vigie/internal/vigietest"
)

// TestFeedIgnoresHostHeader requests the feeds under many Host headers,
// feed.url unset: every answer is the same document, whose id and self link
// come from the listen address, and the store is read once, not once per
// Host (which would let anyone thrash the render cache).
func TestFeedIgnoresHostHeader(t *testing.T) {
	u := newUpstream(t)
	yaml := strings.Replace(baseConfig(u, "listen: 0.0.0.0:8089\n"), "  url: http://vigie.example/feed.atom\n", "", 1)
	counted := &countingStore{}
	h := vigietest.New(t, vigietest.ParseConfig(t, yaml), vigietest.Options{
		ServerStore: func(st *store.Store) server.Store { counted.Store = st; return counted },
	})
	h.FetchAll()
	for _, path := range []string{"/feed.atom", "/feed.rss", "/feed.json", "/topics/vsa.atom", "/"} {
		var first string
		before := counted.entries.Load()
		for i := range 50 {
			req := httptest.NewRequest(http.MethodGet, path, nil)
			req.Host = fmt.Sprintf("attacker-%d.example:%d", i, 1000+i)
			rec := httptest.NewRecorder()
			h.Handler.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				t.Fatalf("GET %s: got %d", path, rec.Code)
			}
			body := rec.Body.String()
			if strings.Contains(body, "attacker") {
				t.Fatalf("GET %s with Host %s: the Host header leaks into the answer:\n%s", path, req.Host, body)
			}
			if i == 0 {
				first = body
			} else if path != "/" && body != first {
				t.Fatalf("GET %s: the answer changes with the Host header", path)
			}
		}
		if reads := counted.entries.Load() - before; reads > 1 {
			t.Errorf("GET %s under 50 Host headers: %d reads of the store, want at most 1", path, reads)
		}
	}
	f := h.Feed("/feed.atom")
	if want := "http://localhost:8089/feed.atom"; f.FeedLink != want {
		t.Errorf("self link: got %q, want %q (from listen)", f.FeedLink, want)
	}
}
