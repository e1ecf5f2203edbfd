package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vigie-watch/vigie/internal/watch"
)

var tries atomic.Int64

// rematch keeps every stored story where it is published.
func rematch(t watch.Text) map[string][]string {
	return map[string][]string{"": {"VSA"}, "vsa": {"VSA"}}
}

// BenchmarkPage measures the page, activity charts included, with 5 000
// stored entries spread over the 26 weeks the charts show, in the main
// feed and the topics; and a keyword tried against the last 30 days, not
// from the cache.
func BenchmarkPage(b *testing.B) {
	u := newUpstream(b)
	h := newHarness(b, baseConfig(u, ""))
	now := time.Now()
	keywords := [][]string{{"reconnaissance faciale"}, {"BriefCam"}, {"VSA"}, {"VSA", "BriefCam"}}
	for s := range 10 {
		items := make([]watch.Incoming, 500)
		for i := range items {
			n := s*500 + i
			age := time.Duration(n) * 26 * 7 * 24 * time.Hour / 5000
			items[i] = watch.Incoming{
				Item: watch.Item{
					GUID: fmt.Sprint(n), Link: fmt.Sprintf("https://bench.example/%d", n),
					Title:     fmt.Sprintf("Article %d sur la VSA et la reconnaissance faciale", n),
					Summary:   "<p>Un résumé de l’article, avec la <b>VSA</b> au milieu d’une phrase assez longue pour un extrait.</p>",
					Content:   "<p>Le texte complet de l’article, plus long encore, qui parle de caméras augmentées et de BriefCam.</p>",
					Published: now.Add(-age),
				},
				Matches: map[string][]string{"": keywords[n%len(keywords)]},
			}
			if n%3 == 0 {
				items[i].Matches["vsa"] = []string{"VSA"}
			}
		}
		st := watch.SourceState{Name: fmt.Sprintf("bench-%d", s), URL: fmt.Sprintf("https://bench.example/%d.rss", s)}
		if _, err := h.Store.Ingest(context.Background(), st, items, now); err != nil {
			b.Fatal(err)
		}
	}
	get := func(b *testing.B, path string) {
		rec := httptest.NewRecorder()
		h.Handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		if rec.Code != http.StatusOK {
			b.Fatalf("GET %s: got %d", path, rec.Code)
		}
	}
	b.Run("page", func(b *testing.B) {
		for b.Loop() {
			get(b, "/")
		}
	})
	b.Run("page-after-change", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			if _, err := h.Store.Rematch(context.Background(), rematch); err != nil { // a new generation: charts drawn again
				b.Fatal(err)
			}
			b.StartTimer()
			get(b, "/")
		}
	})
	b.Run("try", func(b *testing.B) {
		for b.Loop() {
			// A new keyword each time: never from the cache.
			get(b, fmt.Sprintf("/try?q=article+%d", tries.Add(1)))
		}
	})
}
