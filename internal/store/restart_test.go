package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/vigie-watch/vigie/internal/pgtest"
	"github.com/vigie-watch/vigie/internal/store"
	"github.com/vigie-watch/vigie/internal/vigietest"
	"github.com/vigie-watch/vigie/internal/watch"
)

// TestPostgresRestartUnderLoad restarts the server (immediate mode: every
// connection cut) while sources are being stored: cycles caught by it fail
// cleanly, the next ones succeed on new connections, and every cycle is
// stored whole or not at all.
func TestPostgresRestartUnderLoad(t *testing.T) {
	pgtest.Skip(t, store.PostgresForTests())
	ctx := context.Background()
	srv, err := pgtest.Start(ctx, pgtest.Options{}) // its own: the shared one is not restarted under other tests
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Stop()
	url, err := srv.CreateDatabase(ctx, "restart")
	if err != nil {
		t.Fatal(err)
	}
	d := openAt(t, url)

	const perCycle = 20
	var mu sync.Mutex
	stored, failed := map[int]bool{}, 0
	cycle := func(i int) {
		items := make([]watch.Incoming, perCycle)
		for k := range items {
			items[k] = pub(fmt.Sprintf("c%d-%d", i, k), fmt.Sprintf("https://example.org/c%d/%d", i, k), "Reconnaissance faciale", day(-1))
		}
		_, err := d.Ingest(ctx, source(fmt.Sprint("s", i%5)), items, t0)
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			failed++
			return
		}
		stored[i] = true
	}
	successes := func() int { mu.Lock(); defer mu.Unlock(); return len(stored) }

	stop := make(chan struct{})
	var wg sync.WaitGroup
	cycles := 0
	wg.Go(func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				cycles = i
				return
			default:
			}
			cycle(i)
		}
	})
	vigietest.WaitFor(t, time.Minute, "cycles stored before the restart", func() bool { return successes() >= 20 })
	if err := srv.Restart(ctx); err != nil {
		t.Fatal(err)
	}
	after := successes()
	vigietest.WaitFor(t, time.Minute, "cycles stored after the restart", func() bool { return successes() >= after+20 })
	close(stop)
	wg.Wait()
	t.Logf("%d cycles: %d stored, %d failed during the restart", cycles, len(stored), failed)

	for i := range cycles {
		n := d.count("SELECT COUNT(*) FROM stories WHERE link_key LIKE ?", fmt.Sprintf("example.org/c%d/%%", i))
		if n != 0 && n != perCycle {
			t.Errorf("cycle %d half stored: %d stories of %d", i, n, perCycle)
		}
		if stored[i] && n != perCycle {
			t.Errorf("cycle %d reported stored, has %d stories of %d", i, n, perCycle)
		}
	}
	if err := d.Check(ctx); err != nil {
		t.Error(err)
	}
}
