package watch_test

import (
	"testing"
	"time"

	"github.com/vigie-watch/vigie/internal/watch"
)

// TestParis checks the zone and its two offsets, which the Senate's days
// and the page's times rely on, and that it is loaded once.
func TestParis(t *testing.T) {
	loc := watch.Paris()
	if loc.String() != "Europe/Paris" {
		t.Fatalf("Paris(): got %q, want Europe/Paris", loc)
	}
	for _, tt := range []struct {
		utc  time.Time
		want int
	}{
		{time.Date(2025, 1, 15, 12, 0, 0, 0, time.UTC), 3600},
		{time.Date(2025, 7, 15, 12, 0, 0, 0, time.UTC), 7200},
	} {
		if _, off := tt.utc.In(loc).Zone(); off != tt.want {
			t.Errorf("offset on %s: got %d s, want %d s", tt.utc, off, tt.want)
		}
	}
	if watch.Paris() != loc {
		t.Error("Paris() loaded the zone again")
	}
}
