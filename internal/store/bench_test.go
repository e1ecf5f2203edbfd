package store_test

import (
	"context"
	"fmt"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/vigie-watch/vigie/internal/watch"
)

func benchItems(n int) []watch.Incoming {
	items := make([]watch.Incoming, n)
	for i := range items {
		it := pub(fmtID("https://www.francetvinfo.fr/guid/", i), fmtID("https://www.francetvinfo.fr/societe/article_", i)+".html#xtor=RSS-3-[societe]",
			fmtID("Un titre d'article assez long pour être réaliste, numéro ", i), day(-1))
		it.Item.Content = "<p>Un paragraphe de texte, répété pour faire un article de taille moyenne.</p>"
		if i%5 != 0 {
			it.Matches = nil
		}
		items[i] = it
	}
	return items
}

// BenchmarkIngest measures one source's cycle of 50 items: cold (every
// item new, under a new source name each time) and warm (the same 50
// items, unchanged).
func BenchmarkIngest(b *testing.B) {
	onEngines(b, benchmarkIngest, (*testing.B).Run)
}

func benchmarkIngest(b *testing.B, eng engine) {
	ctx := context.Background()
	b.Run("cold", func(b *testing.B) {
		d := eng.open(b)
		n := 0
		for b.Loop() {
			n++
			items := benchItems(50)
			for i := range items { // new links too: new stories, not new GUIDs of known ones
				items[i].Item.Link = fmt.Sprintf("https://example.org/%d/%d", n, i)
			}
			if _, err := d.Ingest(ctx, source(fmt.Sprint("src", n)), items, t0); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("warm", func(b *testing.B) {
		d := eng.open(b)
		items := benchItems(50)
		if _, err := d.Ingest(ctx, source("franceinfo"), items, t0); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			res, err := d.Ingest(ctx, source("franceinfo"), items, t0)
			if err != nil || res.New+res.Updated != 0 {
				b.Fatalf("got %+v, %v; want nothing new", res, err)
			}
		}
	})
}

// BenchmarkIngestGroup measures a tick's shape: 32 sources of 50 new
// items each ingested at once, their writes grouped in few transactions.
// cpu-ms/op is the process's CPU time (user and system) per op, which a
// shared machine disturbs less than the time on the wall; on PostgreSQL
// it leaves out the server's.
func BenchmarkIngestGroup(b *testing.B) {
	onEngines(b, benchmarkIngestGroup, (*testing.B).Run)
}

func benchmarkIngestGroup(b *testing.B, eng engine) {
	ctx := context.Background()
	d := eng.open(b)
	const sources = 32
	n := 0
	start := cpuTime(b)
	for b.Loop() {
		n++
		var wg sync.WaitGroup
		errs := make(chan error, sources)
		for s := range sources {
			items := benchItems(50)
			for i := range items {
				items[i].GUID = fmt.Sprintf("%s#%d", items[i].GUID, n)
				items[i].Item.Link = fmt.Sprintf("https://example.org/%d/%d/%d", n, s, i)
			}
			wg.Go(func() {
				if _, err := d.Ingest(ctx, source(fmt.Sprint("src", s)), items, t0); err != nil {
					errs <- err
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64((cpuTime(b)-start).Milliseconds())/float64(b.N), "cpu-ms/op")
}

// cpuTime is the CPU time the process used so far.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
