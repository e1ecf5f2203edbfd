package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/vigie-watch/vigie/aggregator"
	"github.com/vigie-watch/vigie/internal/config"
	"github.com/vigie-watch/vigie/internal/dburl"
	"github.com/vigie-watch/vigie/internal/store"
)

// openWaiting is open for the daemon: a PostgreSQL database that does not
// answer yet (its server booting with this one, restarting, unreachable)
// is tried again with backoff, each failure logged, until it answers or
// ctx ends. An SQLite file, or a schema newer than this vigie, fails at
// once: waiting would not change them.
func openWaiting(ctx context.Context, cfg *config.Config, log *slog.Logger, obs aggregator.Observer) (*app, error) {
	delay := time.Second
	for {
		a, err := open(ctx, cfg, log, obs)
		if err == nil || !dburl.IsPostgres(cfg.Database) || errors.Is(err, store.ErrSchemaTooNew) {
			return a, err
		}
		log.Warn("database unavailable, trying again", slog.Any("error", err), slog.Duration("retry_in", delay))
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("%w (stopped waiting: %v)", err, ctx.Err())
		case <-time.After(delay):
		}
		delay = min(2*delay, maxOpenDelay)
	}
}

// maxOpenDelay is the longest wait between two attempts to open the
// database.
const maxOpenDelay = 30 * time.Second
