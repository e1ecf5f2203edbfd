// Package aggregator is vigie's engine: it schedules every source with
// robfig/cron, runs the fetch → parse → match → store cycle of each, keeps
// their health, and applies a new configuration without a restart.
//
// It depends on the small interfaces below, not on HTTP serving or on the
// database library.
package aggregator

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"golang.org/x/sync/semaphore"

	"github.com/robfig/cron/v3"

	"github.com/vigie-watch/vigie/internal/config"
	"github.com/vigie-watch/vigie/internal/fetch"
	"github.com/vigie-watch/vigie/internal/watch"
)

// Store is what the engine needs of the database.
type Store interface {
	Source(ctx context.Context, name string) (watch.SourceState, error)
	Sources(ctx context.Context) ([]watch.SourceState, error)
	SaveSource(ctx context.Context, st watch.SourceState) error
	Ingest(ctx context.Context, st watch.SourceState, items []watch.Incoming, now time.Time) (watch.IngestResult, error)
	Rematch(ctx context.Context, fn func(watch.Text) map[string][]string) (int, error)
	PruneAt(ctx context.Context, now, cutoff, tombCutoff time.Time) (int, error)
	PagesDue(ctx context.Context, source string, now time.Time, limit int) ([]watch.PageTask, error)
	SavePages(ctx context.Context, source string, results []watch.PageResult, health watch.PageHealth, now time.Time) error
}

// Fetcher fetches a URL with a conditional request.
type Fetcher interface {
	Get(ctx context.Context, url string, v fetch.Validators) (*fetch.Response, error)
}

// Observer is told the outcome of every fetch (metrics). It may be nil.
type Observer interface {
	Fetched(r watch.Report)
}

// Engine runs the sources of one configuration at a time.
//
// Sources are isolated from each other: each has its own cron job and
// timeout, and at most one cycle of a source runs at a time (a tick that
// comes while the previous cycle still runs is skipped). Three bounds are
// shared, all sized from concurrency (see bounds.go): the parsing bound
// (sem) applies to parsing only, so a source stalled on the network never
// holds a parsing slot; the bound on requests in flight (fetching) is
// given back after stallGrace without an answer, so stalled sources are
// held only by their host's share (fetch.Client's per-host limit) and
// never delay the other hosts; and parsed sources wait for the writer
// within a budget of bytes (storing), having given their parsing slot
// back.
type Engine struct {
	store    Store
	states   *stateSaver
	fetcher  Fetcher
	pages    PageFetcher // nil: full_text is off
	log      *slog.Logger
	observer Observer
	now      func() time.Time
	// salt starts every body digest (see digestSalt).
	salt string

	mu      sync.Mutex
	cfg     *config.Config
	rules   *Rules
	cron    *cron.Cron
	stopped bool
	jobs    map[string]cron.EntryID // by source name
	busy    map[string]bool         // sources with a cycle in flight
	running sync.WaitGroup          // fetches started outside cron

	// sem bounds the cycles that parse at once (guarded by mu:
	// Apply replaces it when concurrency changes). It is taken once
	// the response is in, never while waiting on the network: a source
	// that stalls until its timeout must not hold up the others.
	sem chan struct{}

	// fetching bounds the requests in flight and the bodies waiting for a
	// parsing slot, far above sem, so that a configuration with thousands
	// of sources on one schedule neither opens thousands of connections at
	// once nor holds thousands of bodies. A request gives its slot back
	// after stallGrace without an answer (the per-host limit of
	// fetch.Client then bounds it), so stalled hosts never fill it.
	// Waiting for it does not count against a source's timeout.
	fetching chan struct{}

	// storing bounds, in bytes of their bodies, the parsed sources waiting
	// for the writer (guarded by mu, like sem). A source gives its parsing
	// slot back once its items wait there, so that parsing goes on while
	// the writer commits, and the writes that wait together share one
	// transaction (the store's group commit).
	storing *semaphore.Weighted
}

// Options configures an Engine.
type Options struct {
	Logger   *slog.Logger
	Observer Observer
	Now      func() time.Time // the clock; time.Now by default
	// Pages fetches the pages of full-text sources' items; without it,
	// full_text is ignored.
	Pages PageFetcher
}

// New returns an engine for cfg. Call Start to schedule it, or FetchAll for
// one pass.
func New(cfg *config.Config, st Store, f Fetcher, opts Options) (*Engine, error) {
	rules, err := CompileRules(cfg)
	if err != nil {
		return nil, err
	}
	e := &Engine{
		store:    st,
		states:   newStateSaver(st),
		fetcher:  f,
		pages:    opts.Pages,
		log:      opts.Logger,
		observer: opts.Observer,
		now:      opts.Now,
		salt:     digestSalt(),
		cfg:      cfg,
		rules:    rules,
		jobs:     map[string]cron.EntryID{},
		busy:     map[string]bool{},
		sem:      make(chan struct{}, parseBound(cfg.Concurrency)),
		fetching: make(chan struct{}, fetchBound(cfg.Concurrency)),
		storing:  semaphore.NewWeighted(storeBudget(cfg.Concurrency)),
	}
	if e.log == nil {
		e.log = slog.New(slog.DiscardHandler)
	}
	if e.now == nil {
		e.now = time.Now
	}
	return e, nil
}

// Config returns the configuration in force.
func (e *Engine) Config() *config.Config {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.cfg
}

// Rules returns the compiled keyword rules in force.
func (e *Engine) Rules() *Rules {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.rules
}

// Start schedules every source on its cron spec, plus an hourly retention
// pass, and fetches every source once now, in the background. Jobs run
// until ctx is done or Stop is called.
func (e *Engine) Start(ctx context.Context) {
	e.mu.Lock()
	cl := cronLogger{e.log}
	e.cron = cron.New(
		cron.WithChain(cron.SkipIfStillRunning(cl), cron.Recover(cl)),
		cron.WithLogger(cl),
	)
	e.stopped = false
	e.scheduleLocked(ctx)
	e.cron.AddFunc("@hourly", func() { e.prune(ctx) })
	e.cron.Start()
	sources := e.cfg.Sources
	e.running.Add(1)
	e.mu.Unlock()
	go func() {
		defer e.running.Done()
		e.startAll(ctx, sources)
	}()
}

// startAll runs one cycle of every source, each started once it has a
// slot of the shared bound (as FetchAll does), until the engine stops.
func (e *Engine) startAll(ctx context.Context, sources []config.Source) {
	var wg sync.WaitGroup
	defer wg.Wait()
	for _, src := range sources {
		slot, err := e.takeFetchSlot(ctx)
		if err != nil {
			return
		}
		if !e.Running() {
			slot()
			return
		}
		wg.Go(func() { e.fetchSource(ctx, src, slot) })
	}
}

// goFetchLocked runs one cycle of src in the background, tracked by Stop.
// It does nothing once the engine is stopped, so that no fetch starts
// while Stop waits.
func (e *Engine) goFetchLocked(ctx context.Context, src config.Source) {
	if e.cron == nil || e.stopped {
		return
	}
	e.running.Add(1)
	go func() {
		defer e.running.Done()
		e.fetchScheduled(ctx, src)
	}()
}

// scheduleLocked replaces every source job by one per source of e.cfg.
func (e *Engine) scheduleLocked(ctx context.Context) {
	for name, id := range e.jobs {
		e.cron.Remove(id)
		delete(e.jobs, name)
	}
	for _, src := range e.cfg.Sources {
		// Cron waits for its jobs on Stop; e.running is for the others.
		id, err := e.cron.AddFunc(src.Schedule, func() { e.fetchScheduled(ctx, src) })
		if err != nil { // validated by config; a failure here is a bug worth seeing
			e.log.Error("schedule source", slog.String("source", src.Name), slog.String("schedule", src.Schedule), slog.Any("error", err))
			continue
		}
		e.jobs[src.Name] = id
	}
}

// Stop stops scheduling and waits for the fetches in flight, at most until
// ctx is done (cancel the context given to Start to cut them short).
func (e *Engine) Stop(ctx context.Context) error {
	e.mu.Lock()
	jobsDone := context.Background()
	if e.cron != nil {
		e.stopped = true
		jobsDone = e.cron.Stop()
	}
	e.mu.Unlock()
	done := make(chan struct{})
	go func() {
		e.running.Wait()
		<-jobsDone.Done()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("stop: fetches still running: %w", ctx.Err())
	}
}

// Running reports whether the scheduler runs.
func (e *Engine) Running() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.cron != nil && !e.stopped
}

// Apply puts a new configuration in force: sources added, removed and
// rescheduled, keyword edits applied to every stored item. New sources are
// fetched at once.
func (e *Engine) Apply(ctx context.Context, cfg *config.Config) error {
	rules, err := CompileRules(cfg)
	if err != nil {
		return err
	}
	e.mu.Lock()
	old := e.cfg
	rulesChanged := !rules.Equal(e.rules)
	e.cfg, e.rules = cfg, rules
	if cfg.Concurrency != old.Concurrency {
		// Cycles in flight give their slots back to the old bounds.
		e.sem = make(chan struct{}, parseBound(cfg.Concurrency))
		e.fetching = make(chan struct{}, fetchBound(cfg.Concurrency))
		e.storing = semaphore.NewWeighted(storeBudget(cfg.Concurrency))
	}
	if e.cron != nil {
		e.scheduleLocked(ctx)
	}
	e.mu.Unlock()

	if rulesChanged {
		if err := e.Rematch(ctx); err != nil {
			return err
		}
	}
	known := map[string]string{}
	for _, s := range old.Sources {
		known[s.Name] = s.URL
	}
	e.mu.Lock()
	for _, s := range cfg.Sources {
		if url, ok := known[s.Name]; !ok || url != s.URL {
			e.goFetchLocked(ctx, s)
		}
	}
	e.mu.Unlock()
	e.log.Info("config applied", slog.Int("sources", len(cfg.Sources)), slog.Bool("keywords_changed", rulesChanged))
	return nil
}

// Rematch applies the keyword rules in force to every stored item.
func (e *Engine) Rematch(ctx context.Context) error {
	rules := e.Rules()
	start := time.Now()
	n, err := e.store.Rematch(ctx, func(t watch.Text) map[string][]string {
		if isAnnouncement(t) {
			return announceMatches()
		}
		return rules.MatchText(t)
	})
	if err != nil {
		return fmt.Errorf("apply keywords to stored items: %w", err)
	}
	e.log.Info("keywords applied to stored items", slog.Int("published", n), slog.Duration("took", time.Since(start)))
	return nil
}

// prune deletes the stored items that match nothing once past retention.
func (e *Engine) prune(ctx context.Context) {
	cfg := e.Config()
	now := e.now()
	n, err := e.store.PruneAt(ctx, now, now.Add(-cfg.Retention.D()), now.Add(-tombstoneLife))
	if err != nil {
		e.log.Error("retention", slog.Any("error", err))
		return
	}
	if n > 0 {
		e.log.Info("retention", slog.Int("deleted", n))
	}
}

// tombstoneLife is how long the identity of a deleted item is remembered:
// longer than any feed keeps an item.
const tombstoneLife = 365 * 24 * time.Hour

// cronLogger adapts slog to cron's logger.
type cronLogger struct{ log *slog.Logger }

func (l cronLogger) Info(msg string, kv ...any) { l.log.Debug("cron: "+msg, kv...) }
func (l cronLogger) Error(err error, msg string, kv ...any) {
	l.log.Error("cron: "+msg, append(kv, slog.Any("error", err))...)
}
