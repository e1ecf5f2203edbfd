package server_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/vigie-watch/vigie/feeds"
	"github.com/vigie-watch/vigie/internal/server"
	"github.com/vigie-watch/vigie/internal/vigietest"
)

// BenchmarkServeCachedFeed measures a request answered from the render
// cache, gzip accepted: what a reader polling the daemon costs.
func BenchmarkServeCachedFeed(b *testing.B) {
	h := newFetched(b)
	for b.Loop() {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodGet, "/feed.atom", nil)
		req.Header.Set("Accept-Encoding", "gzip")
		h.Handler.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("got %d", rec.Code)
		}
	}
}

// BenchmarkRenderFeed measures a rendering from the database, as after each
// change of the data (and as `vigie export` does).
func BenchmarkRenderFeed(b *testing.B) {
	u := newUpstream(b)
	cfg := vigietest.ParseConfig(b, baseConfig(u, ""))
	h := vigietest.New(b, cfg, vigietest.Options{})
	h.FetchAll()
	for b.Loop() {
		if _, err := server.RenderFeed(context.Background(), h.Store, cfg, "", feeds.FormatAtom); err != nil {
			b.Fatal(err)
		}
	}
}
