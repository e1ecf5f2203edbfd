package aggregator_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/vigie-watch/vigie/aggregator"
	"github.com/vigie-watch/vigie/internal/vigietest"
	"github.com/vigie-watch/vigie/internal/watch"
)

// Health gives each source the status and next fetch `vigie status`, the
// page and /metrics show: the schedule's next tick, or the first one after
// a backoff; none for a gone source.
func TestHealthStatusAndNextFetch(t *testing.T) {
	up := vigietest.NewUpstream(t)
	up.Handle("/ok", vigietest.Body("application/rss+xml", okFeed))
	up.Handle("/busy", vigietest.Status(http.StatusServiceUnavailable, "Retry-After", "7200"))
	up.Handle("/gone", vigietest.Status(http.StatusGone))
	up.Handle("/moved", vigietest.Status(http.StatusServiceUnavailable, "Retry-After", "7200"))
	const hourly = "CRON_TZ=UTC 0 * * * *"
	yaml := func(movedPath string) string {
		return fmt.Sprintf(`database: unused.db
schedule: %q
feed: {title: Test, url: "http://vigie.example/feed.atom"}
keywords: [reconnaissance faciale]
sources:
  - {name: ok, url: %q}
  - {name: busy, url: %q}
  - {name: gone, url: %q}
  - {name: new, url: %q}
  - {name: moved, url: %q}
`, hourly, up.URL("/ok"), up.URL("/busy"), up.URL("/gone"), up.URL("/new"), up.URL(movedPath))
	}
	clk := vigietest.NewClock(time.Date(2026, 3, 10, 10, 30, 0, 0, time.UTC))
	h := vigietest.New(t, vigietest.ParseConfig(t, yaml("/moved")), vigietest.Options{Engine: aggregator.Options{Now: clk.Now}})
	ctx := context.Background()
	for _, src := range h.Config.Sources {
		if src.Name != "new" {
			h.Engine.FetchSource(ctx, src)
		}
	}
	// The source moved to another URL: what was stored of the old one,
	// backoff included, is not its state.
	if err := h.Engine.Apply(ctx, vigietest.ParseConfig(t, yaml("/ok?moved"))); err != nil {
		t.Fatal(err)
	}

	health, err := h.Engine.Health(ctx)
	if err != nil {
		t.Fatal(err)
	}
	elevenOClock := time.Date(2026, 3, 10, 11, 0, 0, 0, time.UTC)
	want := []struct {
		name   string
		status watch.Status
		next   time.Time
	}{
		{"ok", watch.StatusOK, elevenOClock},
		// Retry-After: not before 12:30, so the 13:00 tick.
		{"busy", watch.StatusFailing, time.Date(2026, 3, 10, 13, 0, 0, 0, time.UTC)},
		{"gone", watch.StatusGone, time.Time{}},
		{"new", watch.StatusNeverFetched, elevenOClock},
		{"moved", watch.StatusNeverFetched, elevenOClock},
	}
	if len(health) != len(want) {
		t.Fatalf("got %d sources, want %d", len(health), len(want))
	}
	for i, w := range want {
		got := health[i]
		if got.Name != w.name || got.Status != w.status || !got.Next.Equal(w.next) {
			t.Errorf("source %d: got %s, %s, next %v; want %s, %s, next %v", i, got.Name, got.Status, got.Next, w.name, w.status, w.next)
		}
	}
	if got := health[1].State; got.LastStatus != http.StatusServiceUnavailable || got.ConsecutiveFailures != 1 {
		t.Errorf("busy: got state %+v, want the 503 and one failure", got)
	}
	if got := health[4].State; got != (watch.SourceState{}) {
		t.Errorf("moved: got state %+v, want none (it belongs to the old URL)", got)
	}
}
