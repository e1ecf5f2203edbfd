package aggregator

import (
	"testing"
	"time"
)

func TestBackoff(t *testing.T) {
	tests := []struct {
		failures int
		want     time.Duration // before jitter
	}{
		{0, 0},
		{1, 0}, // the schedule retries
		{2, time.Minute},
		{3, 2 * time.Minute},
		{4, 4 * time.Minute},
		{8, 64 * time.Minute},
		{10, 256 * time.Minute},
		{11, 6 * time.Hour},
		{30, 6 * time.Hour},
		{1 << 20, 6 * time.Hour},
	}
	for _, tt := range tests {
		lo, hi := tt.want*8/10, tt.want*12/10
		seen := map[time.Duration]bool{}
		for range 200 {
			got := backoff(tt.failures)
			if got < lo || got > hi {
				t.Fatalf("backoff(%d): got %s, want %s ± 20 %%", tt.failures, got, tt.want)
			}
			seen[got] = true
		}
		if tt.want > 0 && len(seen) < 10 {
			t.Errorf("backoff(%d): got %d distinct waits in 200, want jitter", tt.failures, len(seen))
		}
	}
}
