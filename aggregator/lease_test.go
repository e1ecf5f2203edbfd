package aggregator

import (
	"testing"
	"time"
)

func TestLeaseTTL(t *testing.T) {
	at := func(hm string) time.Time {
		tm, err := time.Parse("15:04:05", hm)
		if err != nil {
			t.Fatal(err)
		}
		return time.Date(2026, 3, 1, tm.Hour(), tm.Minute(), tm.Second(), 0, time.UTC)
	}
	for _, tt := range []struct {
		spec string
		now  time.Time
		want time.Duration
	}{
		// At a tick: until 30 s before the next one.
		{"*/10 * * * *", at("10:00:00"), 10*time.Minute - 30*time.Second},
		{"*/10 * * * *", at("10:00:01"), 10*time.Minute - 31*time.Second},
		// Started between ticks: until a little before the next one.
		{"*/10 * * * *", at("10:04:00"), 6*time.Minute - 30*time.Second},
		// Started just before a tick: that tick is covered too.
		{"*/10 * * * *", at("10:09:50"), 10*time.Minute - 20*time.Second},
		// Short periods keep a tenth of the period as margin.
		{"@every 1m", at("10:00:00"), 54 * time.Second},
	} {
		if got := leaseTTL(tt.spec, tt.now); got != tt.want {
			t.Errorf("leaseTTL(%q, %s): got %s, want %s", tt.spec, tt.now.Format("15:04:05"), got, tt.want)
		}
	}
}
