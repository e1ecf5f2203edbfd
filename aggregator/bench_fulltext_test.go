package aggregator_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vigie-watch/vigie/aggregator"
	"github.com/vigie-watch/vigie/internal/crawl"
	"github.com/vigie-watch/vigie/internal/feedgen"
	"github.com/vigie-watch/vigie/internal/fetch"
	"github.com/vigie-watch/vigie/internal/vigietest"
)

// BenchmarkFullTextCycle runs the cycle of a full-text source whose feed
// brings 500 new items, each linking a 230 KB franceinfo-like page served
// locally (3 % of them say a keyword in their article): fetch, parse,
// store, then 500 pages fetched, extracted, matched and stored. The
// crawler's spacing is cut to 1 ms, so that the figure is vigie's work,
// not its politeness (at the default 500 ms per host, 500 pages of one
// host take 250 s, spread over cycles by the source's timeout).
//
// It reports the wall time of a cycle and the peak of the Go heap during
// it (sampled every 2 ms), and the process's peak RSS (VmHWM, test
// server and pages included).
func BenchmarkFullTextCycle(b *testing.B) {
	const items = 500
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	b.Cleanup(srv.Close)
	var feed atomic.Pointer[[]byte]
	mux.HandleFunc("/feed.rss", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write(*feed.Load())
	})
	plain := []byte(feedgen.ArticlePage(benchArticle(false), "reconnaissance faciale"))
	match := []byte(feedgen.ArticlePage(benchArticle(true), "reconnaissance faciale"))
	var pages atomic.Int64
	mux.HandleFunc("/p/", func(w http.ResponseWriter, r *http.Request) {
		pages.Add(1)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		n, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/p/"), ".html"))
		if n%33 == 0 {
			w.Write(match)
			return
		}
		w.Write(plain)
	})
	for i := range b.N {
		feedItems := make([]vigietest.RSSItem, items)
		for k := range feedItems {
			feedItems[k] = vigietest.RSSItem{Title: fmt.Sprintf("Article %d-%d", i, k), Link: fmt.Sprintf("%s/p/%d.html", srv.URL, i*items+k), Date: "Mon, 30 Nov 2026 08:00:00 +0000"}
		}
		body := vigietest.RSS(feedItems...)
		feed.Store(&body)
		cfg := vigietest.ParseConfig(b, fmt.Sprintf(`database: unused.db
feed: {title: Test, url: "http://vigie.example/feed.atom"}
keywords: [reconnaissance faciale, BriefCam]
sources:
  - {name: fi, url: %q, timeout: 10m, full_text: true}
`, srv.URL+"/feed.rss"))
		client := fetch.NewClient(fetch.ClientOptions{UserAgent: "vigie-bench"})
		h := vigietest.New(b, cfg, vigietest.Options{Engine: aggregator.Options{Pages: crawl.New(client, crawl.Options{Spacing: time.Millisecond})}})
		pages.Store(0)
		runtime.GC()

		stop := make(chan struct{})
		var peak uint64
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			var ms runtime.MemStats
			for {
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapInuse)
				select {
				case <-stop:
					return
				case <-time.After(2 * time.Millisecond):
				}
			}
		}()
		b.StartTimer()
		r := h.Engine.FetchSource(context.Background(), h.Config.Sources[0])
		b.StopTimer()
		close(stop)
		wg.Wait()
		if r.Err != nil || r.New != items || r.Pages.Fetched != items || pages.Load() != items {
			b.Fatalf("cycle: error %v, %d new, %d pages read (%d requests); want %d of each", r.Err, r.New, r.Pages.Fetched, pages.Load(), items)
		}
		if want := (items + 32) / 33; r.Published != want {
			b.Fatalf("published %d, want %d", r.Published, want)
		}
		b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
	}
	b.ReportMetric(vmHWM(b), "peak-RSS-MiB")
}

func benchArticle(keyword bool) feedgen.Article {
	a := pageWithoutKeyword
	if keyword {
		a = pageWithKeyword
	}
	return a
}

// vmHWM is the process's peak resident memory, in MiB.
func vmHWM(b *testing.B) float64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(data)) {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
			return float64(kb) / 1024
		}
	}
	return 0
}
