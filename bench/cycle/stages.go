package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/vigie-watch/vigie/aggregator"
	"github.com/vigie-watch/vigie/feeds"
	"github.com/vigie-watch/vigie/internal/fetch"
	"github.com/vigie-watch/vigie/internal/store"
	"github.com/vigie-watch/vigie/internal/watch"
)

// stages runs a cold cycle one source after the other and times each stage
// of each source with the same functions the engine calls: Client.Get,
// feeds.Parse, Rules.Match, Store.Ingest. Nothing overlaps, so the times
// are each stage's own cost.
func stages(ctx context.Context, o options, out io.Writer) error {
	db, err := o.database(ctx, "stages")
	if err != nil {
		return err
	}
	st, err := store.Open(ctx, db)
	if err != nil {
		return err
	}
	defer st.Close()
	client := fetch.NewClient(fetch.ClientOptions{UserAgent: "vigie-bench", MaxBodyBytes: o.cfg.MaxBodyBytes})
	rules, err := aggregator.CompileRules(o.cfg)
	if err != nil {
		return err
	}
	lean := gofeed.NewParser()
	lean.RSSTranslator = &gofeed.DefaultRSSTranslator{DisableContentImageScan: true}

	var fetching, parse, gf, matching, ingest time.Duration
	var cpu [4]time.Duration
	items := 0
	runtime.GC()
	start := time.Now()
	for _, src := range o.cfg.Sources {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		now := time.Now()
		c0, t0 := cpuTime(), time.Now()
		resp, err := client.Get(ctx, src.URL, fetch.Validators{})
		c1, t1 := cpuTime(), time.Now()
		if err != nil {
			return fmt.Errorf("%s: %w", src.Name, err)
		}
		feed, err := feeds.Parse(resp.Body, resp.ContentType, resp.URL, now)
		c2, t2 := cpuTime(), time.Now()
		if err != nil {
			return fmt.Errorf("%s: %w", src.Name, err)
		}
		in := make([]watch.Incoming, len(feed.Items))
		for i, it := range feed.Items {
			in[i] = watch.Incoming{Item: it, Matches: rules.Match(it.Title, it.Summary, it.Content, it.Categories)}
		}
		c3, t3 := cpuTime(), time.Now()
		state := watch.SourceState{Name: src.Name, URL: src.URL, SiteURL: feed.Link, ETag: resp.Validators.ETag,
			LastModified: resp.Validators.LastModified, LastAttempt: now, LastSuccess: now, LastStatus: resp.Status}
		if _, err := st.Ingest(ctx, state, in, now); err != nil {
			return fmt.Errorf("%s: %w", src.Name, err)
		}
		c4, t4 := cpuTime(), time.Now()
		cpu[0] += c1 - c0
		cpu[1] += c2 - c1
		cpu[2] += c3 - c2
		cpu[3] += c4 - c3
		// gofeed's own share of Parse, measured aside.
		if _, err := lean.Parse(bytes.NewReader(resp.Body)); err != nil {
			return fmt.Errorf("%s: gofeed: %w", src.Name, err)
		}
		gf += time.Since(t4)
		fetching += t1.Sub(t0)
		parse += t2.Sub(t1)
		matching += t3.Sub(t2)
		ingest += t4.Sub(t3)
		items += len(feed.Items)
	}
	total := fetching + parse + matching + ingest
	cpuTotal := cpu[0] + cpu[1] + cpu[2] + cpu[3]
	fmt.Fprintf(out, "\nstages of a sequential cold cycle (%d sources, %d items, %.3f s in all):\n", len(o.cfg.Sources), items, time.Since(start).Seconds())
	fmt.Fprintf(out, "  %-22s %8s %6s %8s %6s %9s\n", "stage", "wall s", "wall%", "cpu s", "cpu%", "µs/item")
	for i, s := range []struct {
		name string
		d    time.Duration
	}{{"fetch (Client.Get)", fetching}, {"parse (feeds.Parse)", parse}, {"match (Rules.Match)", matching}, {"store (Store.Ingest)", ingest}} {
		fmt.Fprintf(out, "  %-22s %8.3f %5.1f%% %8.3f %5.1f%% %9.1f\n", s.name, s.d.Seconds(), 100*float64(s.d)/float64(total),
			cpu[i].Seconds(), 100*float64(cpu[i])/float64(max(cpuTotal, 1)), float64(s.d.Microseconds())/float64(max(items, 1)))
	}
	fmt.Fprintf(out, "  (gofeed alone on the same bodies, not counted above: %.3f s, %.0f %% of parse)\n", gf.Seconds(), 100*float64(gf)/float64(parse))
	return nil
}

// profile runs one more cold cycle, not counted, under the CPU profiler,
// and writes the heap profile at its end.
func profile(ctx context.Context, o options, out io.Writer) error {
	runtime.GC()
	v, err := o.openFresh(ctx, "profiled")
	if err != nil {
		return err
	}
	defer v.close()
	if o.cpuProfile != "" {
		f, err := os.Create(o.cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
	}
	r := v.cycle(ctx)
	if o.cpuProfile != "" {
		pprof.StopCPUProfile()
	}
	fmt.Fprintf(out, "\nprofiled cold cycle: %.3f s, %d items, %d errors\n", r.took.Seconds(), r.items, r.errors)
	if o.memProfile != "" {
		f, err := os.Create(o.memProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.WriteHeapProfile(f); err != nil {
			return err
		}
	}
	return nil
}
