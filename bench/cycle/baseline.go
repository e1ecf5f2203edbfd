package main

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mmcdole/gofeed"
)

// baselineResult is one pass of gofeed alone.
type baselineResult struct {
	took   time.Duration
	cpu    time.Duration
	rss    float64 // peak MiB
	items  int64
	errors int64
}

// gofeedAlone fetches every URL with plain net/http and parses it with
// gofeed, concurrency at a time. lean disables gofeed's scan of item HTML
// for images, as vigie does. The transport keeps as many idle connections
// per host as there are workers: the fastest a plain client gets.
func gofeedAlone(ctx context.Context, urls []string, concurrency int, lean bool) baselineResult {
	client := &http.Client{
		Timeout:   20 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: concurrency, MaxIdleConns: 2 * concurrency},
	}
	defer client.CloseIdleConnections()
	var items, errs atomic.Int64
	work := make(chan string)
	var wg sync.WaitGroup
	resetPeakRSS()
	start, cpu0 := time.Now(), cpuTime()
	for range concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for u := range work {
				n, err := fetchParse(ctx, client, u, lean)
				if err != nil {
					errs.Add(1)
					continue
				}
				items.Add(int64(n))
			}
		}()
	}
	for _, u := range urls {
		work <- u
	}
	close(work)
	wg.Wait()
	return baselineResult{took: time.Since(start), cpu: cpuTime() - cpu0, rss: peakRSS(), items: items.Load(), errors: errs.Load()}
}

func fetchParse(ctx context.Context, client *http.Client, url string, lean bool) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	p := gofeed.NewParser()
	if lean {
		p.RSSTranslator = &gofeed.DefaultRSSTranslator{DisableContentImageScan: true}
	}
	feed, err := p.Parse(resp.Body)
	if err != nil {
		return 0, err
	}
	return len(feed.Items), nil
}
