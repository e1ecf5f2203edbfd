package main

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"time"
)

// sameBytes measures the cycle where servers ignore conditional requests
// and answer 200 with the same bytes (feedgen -ignore-conditional): after
// one cold cycle on a fresh database (not counted), it alternates, for
// o.rounds rounds in rotating order, gofeed alone (with and without its
// image scan) and a vigie cycle on that database, in which every source
// should be "same body": fetched whole, not parsed again.
func sameBytes(ctx context.Context, o options, out io.Writer) error {
	urls := o.urls()
	v, err := o.openFresh(ctx, "same-bytes")
	if err != nil {
		return err
	}
	defer v.close()
	fmt.Fprintf(out, "%-6s %-28s %8s %8s %8s %7s %6s  %s\n", "round", "run", "wall s", "cpu s", "peak MiB", "items", "errors", "notes")
	runtime.GC()
	r := v.cycle(ctx)
	fmt.Fprintf(out, "%-6s %-28s %8.3f %8.3f %8.0f %7d %6d  %s\n", "-", "vigie cold (fresh db)", r.took.Seconds(), r.cpu.Seconds(), r.rss, r.items, r.errors, r.notes(v.opened))

	var gf, lean, same, gfCPU, leanCPU, sameCPU []time.Duration
	for round := range o.rounds {
		for k := range 3 {
			runtime.GC()
			switch (round + k) % 3 {
			case 0:
				b := gofeedAlone(ctx, urls, o.cfg.Concurrency, false)
				gf, gfCPU = append(gf, b.took), append(gfCPU, b.cpu)
				fmt.Fprintf(out, "%-6d %-28s %8.3f %8.3f %8.0f %7d %6d\n", round+1, "gofeed alone (defaults)", b.took.Seconds(), b.cpu.Seconds(), b.rss, b.items, b.errors)
			case 1:
				b := gofeedAlone(ctx, urls, o.cfg.Concurrency, true)
				lean, leanCPU = append(lean, b.took), append(leanCPU, b.cpu)
				fmt.Fprintf(out, "%-6d %-28s %8.3f %8.3f %8.0f %7d %6d\n", round+1, "gofeed alone (no img scan)", b.took.Seconds(), b.cpu.Seconds(), b.rss, b.items, b.errors)
			case 2:
				r := v.cycle(ctx)
				same, sameCPU = append(same, r.took), append(sameCPU, r.cpu)
				fmt.Fprintf(out, "%-6d %-28s %8.3f %8.3f %8.0f %7d %6d  %d same body, %d not modified, %d parsed of %d\n",
					round+1, "vigie same bytes (200)", r.took.Seconds(), r.cpu.Seconds(), r.rss, r.items, r.errors, r.sameBody, r.notModified, r.ok, len(o.cfg.Sources))
				if r.notModified > 0 {
					return fmt.Errorf("%d sources answered 304: serve the feeds with feedgen -ignore-conditional", r.notModified)
				}
			}
		}
	}
	fmt.Fprintf(out, "\nmedian wall: gofeed alone %.3f s, no img scan %.3f s, vigie same bytes %.3f s\n",
		median(gf).Seconds(), median(lean).Seconds(), median(same).Seconds())
	if len(gf) > 0 {
		fmt.Fprintf(out, "vigie same bytes / gofeed alone, median of rounds: wall %.2f× (target ≤ 1×), cpu %.2f×; against gofeed without image scan: wall %.2f×, cpu %.2f×\n",
			ratio(same, gf), ratio(sameCPU, gfCPU), ratio(same, lean), ratio(sameCPU, leanCPU))
	}
	return nil
}
