package aggregator

import (
	"context"
	"fmt"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/vigie-watch/vigie/internal/config"
	"github.com/vigie-watch/vigie/internal/watch"
)

// Health returns the health of every configured source, in config order:
// the one rule `vigie status`, the HTML page and /metrics share. It lives
// here, with the schedules and the backoff that decide the next fetch.
//
// While the engine runs, the next fetch is its scheduler's; otherwise (a
// `vigie status` beside the daemon) it is computed from each source's cron
// spec at the engine's clock.
func (e *Engine) Health(ctx context.Context) ([]watch.Health, error) {
	cfg := e.Config()
	states, err := e.store.Sources(ctx)
	if err != nil {
		return nil, fmt.Errorf("health: %w", err)
	}
	byName := make(map[string]watch.SourceState, len(states))
	for _, st := range states {
		byName[st.Name] = st
	}
	out := make([]watch.Health, 0, len(cfg.Sources))
	for _, src := range cfg.Sources {
		tick, sched := e.schedule(src)
		out = append(out, sourceHealth(src, byName[src.Name], tick, sched))
	}
	return out, nil
}

// schedule returns the next tick of src and its schedule: the scheduler's
// when it runs, else parsed from the config.
func (e *Engine) schedule(src config.Source) (time.Time, cron.Schedule) {
	e.mu.Lock()
	if id, ok := e.jobs[src.Name]; ok && e.cron != nil && !e.stopped {
		entry := e.cron.Entry(id)
		e.mu.Unlock()
		return entry.Next, entry.Schedule
	}
	e.mu.Unlock()
	if config.ValidateSchedule(src.Schedule) != nil {
		return time.Time{}, nil
	}
	sched, err := cron.ParseStandard(src.Schedule)
	if err != nil {
		return time.Time{}, nil
	}
	return sched.Next(e.now()), sched
}

// maxSkippedTicks bounds the ticks skipped while a source backs off (24 h
// of an @every 1s schedule), in case a schedule never reaches the end of
// the backoff.
const maxSkippedTicks = 24 * 60 * 60

// sourceHealth is the health of src given the state stored for it and its
// schedule's next tick. A state stored for another URL (the source was
// edited) is not this source's. A cycle that comes while the source backs
// off is skipped, so its next fetch is the first tick at or after the end
// of the backoff.
func sourceHealth(src config.Source, st watch.SourceState, tick time.Time, sched cron.Schedule) watch.Health {
	if st.URL != "" && st.URL != src.URL {
		st = watch.SourceState{}
	}
	h := watch.Health{Name: src.Name, URL: src.URL, State: st}
	switch {
	case st.Gone:
		h.Status = watch.StatusGone
		return h
	case st.LastError != "":
		h.Status = watch.StatusFailing
	case !st.LastSuccess.IsZero():
		h.Status = watch.StatusOK
	default:
		h.Status = watch.StatusNeverFetched
	}
	for i := 0; sched != nil && !tick.IsZero() && tick.Before(st.NextAttempt) && i < maxSkippedTicks; i++ {
		tick = sched.Next(tick)
	}
	h.Next = tick
	return h
}
