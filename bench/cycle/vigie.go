package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync/atomic"
	"time"

	"github.com/vigie-watch/vigie/aggregator"
	"github.com/vigie-watch/vigie/internal/config"
	"github.com/vigie-watch/vigie/internal/fetch"
	"github.com/vigie-watch/vigie/internal/store"
	"github.com/vigie-watch/vigie/internal/watch"
)

// timedStore adds up the time spent in the store's calls made by a cycle,
// waiting for the writer lock included.
type timedStore struct {
	*store.Store
	source, save, ingest atomic.Int64
}

func (t *timedStore) Source(ctx context.Context, name string) (watch.SourceState, error) {
	defer since(&t.source, time.Now())
	return t.Store.Source(ctx, name)
}

func (t *timedStore) SaveSource(ctx context.Context, st watch.SourceState) error {
	defer since(&t.save, time.Now())
	return t.Store.SaveSource(ctx, st)
}

func (t *timedStore) Ingest(ctx context.Context, st watch.SourceState, items []watch.Incoming, now time.Time) (watch.IngestResult, error) {
	defer since(&t.ingest, time.Now())
	return t.Store.Ingest(ctx, st, items, now)
}

// timedFetcher adds up the time spent fetching. With a bound, at most
// that many fetches run at once (-fetch-bound: what a bound on fetching in
// the engine would do).
type timedFetcher struct {
	*fetch.Client
	bound chan struct{}
	get   atomic.Int64
}

func (t *timedFetcher) Get(ctx context.Context, url string, v fetch.Validators) (*fetch.Response, error) {
	if t.bound != nil {
		select {
		case t.bound <- struct{}{}:
			defer func() { <-t.bound }()
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	defer since(&t.get, time.Now())
	return t.Client.Get(ctx, url, v)
}

func since(total *atomic.Int64, start time.Time) { total.Add(int64(time.Since(start))) }

// vigieRun is vigie wired as `vigie fetch` wires it, on its own database.
type vigieRun struct {
	store   *timedStore
	fetcher *timedFetcher
	engine  *aggregator.Engine
	opened  time.Duration
}

func openVigie(ctx context.Context, cfg *config.Config, dbPath string, fetchBound int) (*vigieRun, error) {
	start := time.Now()
	st, err := store.Open(ctx, dbPath)
	if err != nil {
		return nil, err
	}
	v := &vigieRun{
		store:   &timedStore{Store: st},
		fetcher: &timedFetcher{Client: fetch.NewClient(fetch.ClientOptions{UserAgent: "vigie-bench", MaxBodyBytes: cfg.MaxBodyBytes})},
	}
	if fetchBound > 0 {
		v.fetcher.bound = make(chan struct{}, fetchBound)
	}
	v.engine, err = aggregator.New(cfg, v.store, v.fetcher, aggregator.Options{})
	if err != nil {
		st.Close()
		return nil, err
	}
	if err := v.engine.Rematch(ctx); err != nil {
		st.Close()
		return nil, err
	}
	v.opened = time.Since(start)
	return v, nil
}

func (v *vigieRun) close() { v.store.Close() }

// cycleResult is one FetchAll.
type cycleResult struct {
	took, cpu                        time.Duration
	rss                              float64 // peak MiB
	ok, notModified, errors, skipped int
	sameBody                         int // 200 with the bytes last stored: not parsed
	items, created, published        int
	firstErr                         error
	get, ingest, other               time.Duration // summed over sources
}

func (v *vigieRun) cycle(ctx context.Context) cycleResult {
	v.store.source.Store(0)
	v.store.save.Store(0)
	v.store.ingest.Store(0)
	v.fetcher.get.Store(0)
	resetPeakRSS()
	start, cpu0 := time.Now(), cpuTime()
	reports := v.engine.FetchAll(ctx)
	r := cycleResult{took: time.Since(start), cpu: cpuTime() - cpu0, rss: peakRSS()}
	for _, rep := range reports {
		switch rep.Outcome() {
		case watch.OutcomeOK:
			r.ok++
		case watch.OutcomeNotModified:
			r.notModified++
		case watch.OutcomeSameBody:
			r.sameBody++
		case watch.OutcomeSkipped:
			r.skipped++
		default:
			r.errors++
			if r.firstErr == nil {
				r.firstErr = rep.Err
			}
		}
		r.items += rep.Fetched
		r.created += rep.New
		r.published += rep.Published
	}
	r.get = time.Duration(v.fetcher.get.Load())
	r.ingest = time.Duration(v.store.ingest.Load())
	r.other = time.Duration(v.store.source.Load() + v.store.save.Load())
	return r
}

// alternate runs the rounds of gofeed alone and vigie cold, then the warm
// cycles on the last cold database.
func alternate(ctx context.Context, o options, out io.Writer) error {
	urls := o.urls()
	fmt.Fprintf(out, "%-6s %-28s %8s %8s %8s %7s %6s  %s\n", "round", "run", "wall s", "cpu s", "peak MiB", "items", "errors", "notes")
	var gf, lean, cold, gfCPU, leanCPU, coldCPU []time.Duration
	var last *vigieRun
	for round := range o.rounds {
		// Rotate the order so that no run always goes first.
		for k := range 3 {
			switch (round + k) % 3 {
			case 0:
				runtime.GC()
				b := gofeedAlone(ctx, urls, o.cfg.Concurrency, false)
				gf, gfCPU = append(gf, b.took), append(gfCPU, b.cpu)
				fmt.Fprintf(out, "%-6d %-28s %8.3f %8.3f %8.0f %7d %6d\n", round+1, "gofeed alone (defaults)", b.took.Seconds(), b.cpu.Seconds(), b.rss, b.items, b.errors)
			case 1:
				runtime.GC()
				b := gofeedAlone(ctx, urls, o.cfg.Concurrency, true)
				lean, leanCPU = append(lean, b.took), append(leanCPU, b.cpu)
				fmt.Fprintf(out, "%-6d %-28s %8.3f %8.3f %8.0f %7d %6d\n", round+1, "gofeed alone (no img scan)", b.took.Seconds(), b.cpu.Seconds(), b.rss, b.items, b.errors)
			case 2:
				if last != nil {
					last.close()
				}
				runtime.GC()
				v, err := o.openFresh(ctx, fmt.Sprintf("cold-%d", round))
				if err != nil {
					return err
				}
				last = v
				r := v.cycle(ctx)
				cold, coldCPU = append(cold, r.took), append(coldCPU, r.cpu)
				fmt.Fprintf(out, "%-6d %-28s %8.3f %8.3f %8.0f %7d %6d  %s\n", round+1, "vigie cold (fresh db)", r.took.Seconds(), r.cpu.Seconds(), r.rss, r.items, r.errors, r.notes(v.opened))
			}
		}
	}
	if last == nil {
		return nil
	}
	defer last.close()
	var warm []time.Duration
	for i := range o.warm {
		r := last.cycle(ctx)
		warm = append(warm, r.took)
		fmt.Fprintf(out, "%-6d %-28s %8.3f %8.3f %8.0f %7d %6d  %d not modified of %d\n", i+1, "vigie warm (all 304)", r.took.Seconds(), r.cpu.Seconds(), r.rss, r.items, r.errors, r.notModified, len(o.cfg.Sources))
	}
	if info, err := os.Stat(filepath.Join(o.dir, fmt.Sprintf("cold-%d.db", o.rounds-1))); err == nil {
		fmt.Fprintf(out, "\ndatabase after a cold cycle: %.1f MB\n", float64(info.Size())/1e6)
	}
	fmt.Fprintf(out, "\nmedian wall: gofeed alone %.3f s, no img scan %.3f s, vigie cold %.3f s, warm %.3f s (target < 1 s)\n",
		median(gf).Seconds(), median(lean).Seconds(), median(cold).Seconds(), median(warm).Seconds())
	if len(gf) > 0 && len(cold) > 0 {
		fmt.Fprintf(out, "vigie cold / gofeed alone, median of rounds: wall %.2f× (target ≤ 1.5×), cpu %.2f×; against gofeed without image scan: wall %.2f×, cpu %.2f×\n",
			ratio(cold, gf), ratio(coldCPU, gfCPU), ratio(cold, lean), ratio(coldCPU, leanCPU))
	}
	return nil
}

func (r cycleResult) notes(opened time.Duration) string {
	s := fmt.Sprintf("%d new, %d published; summed over sources: fetch %.1fs, store %.1fs (lock wait incl.), state %.1fs; open %dms",
		r.created, r.published, r.get.Seconds(), r.ingest.Seconds(), r.other.Seconds(), opened.Milliseconds())
	if r.firstErr != nil {
		s += "; first error: " + r.firstErr.Error()
	}
	return s
}

// ratio is the median of the per-round ratios a[i]/b[i].
func ratio(a, b []time.Duration) float64 {
	var rs []time.Duration
	for i := range min(len(a), len(b)) {
		rs = append(rs, time.Duration(1000*float64(a[i])/float64(b[i])))
	}
	return float64(median(rs)) / 1000
}

func median(d []time.Duration) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}
