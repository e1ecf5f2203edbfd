package aggregator

import (
	"context"
	"log/slog"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/vigie-watch/vigie/internal/config"
)

// Leaser shares the sources among several vigie instances on one
// database, so that each due source is fetched by one of them per period.
// When the Store also implements Leaser, the engine claims a source's
// lease before each scheduled fetch and skips the fetch when another
// instance holds it. `vigie fetch` (FetchAll) claims nothing: it fetches
// everything when asked.
type Leaser interface {
	// Claim takes the lease of a source for ttl unless another instance
	// holds it, and reports whether this instance got it.
	Claim(ctx context.Context, source string, ttl time.Duration) (bool, error)
}

// fetchScheduled runs a scheduled cycle of src, if this instance gets the
// source's lease.
func (e *Engine) fetchScheduled(ctx context.Context, src config.Source) {
	if l, ok := e.store.(Leaser); ok {
		got, err := l.Claim(ctx, src.Name, leaseTTL(src.Schedule, time.Now()))
		if err != nil {
			e.log.Warn("claim source", slog.String("source", src.Name), slog.Any("error", err))
			return
		}
		if !got {
			e.log.Debug("source fetched by another instance", slog.String("source", src.Name))
			return
		}
	}
	e.FetchSource(ctx, src)
}

// leaseTTL is how long a source's lease lasts: until a little before the
// source's next tick, so that this tick, by whichever instance, finds it
// expired even when clocks and timers drift a little, while the ticks of
// other instances before it find it held. A fetch just before a tick
// (at start) stands for that tick too.
func leaseTTL(spec string, now time.Time) time.Duration {
	sched, err := cron.ParseStandard(spec)
	if err != nil {
		return time.Minute // validated by config: not reached
	}
	next := sched.Next(now)
	period := sched.Next(next).Sub(next)
	slack := min(period/10, 30*time.Second)
	ttl := next.Sub(now) - slack
	if ttl < slack {
		ttl += period
	}
	return ttl
}
