package main

import (
	"context"
	"log/slog"

	"github.com/vigie-watch/vigie/aggregator"
	"github.com/vigie-watch/vigie/internal/config"
	"github.com/vigie-watch/vigie/internal/crawl"
	"github.com/vigie-watch/vigie/internal/fetch"
	"github.com/vigie-watch/vigie/internal/store"
	"github.com/vigie-watch/vigie/internal/watch"
)

// app is vigie wired together for one configuration.
type app struct {
	cfg    *config.Config
	log    *slog.Logger
	store  *store.Store
	engine *aggregator.Engine
}

// open opens the database of cfg and builds the engine.
func open(ctx context.Context, cfg *config.Config, log *slog.Logger, obs aggregator.Observer) (*app, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	st, err := openStore(ctx, cfg.Database)
	if err != nil {
		return nil, err
	}
	client := fetch.NewClient(fetch.ClientOptions{UserAgent: userAgent(), MaxBodyBytes: cfg.MaxBodyBytes})
	// Pages go through the feeds' client (same User-Agent, timeouts, size
	// cap), politely: one crawler for every source, so that its per-host
	// bounds hold across them.
	pages := crawl.New(client, crawl.Options{})
	eng, err := aggregator.New(cfg, st, client, aggregator.Options{Logger: log, Observer: obs, Pages: pages})
	if err != nil {
		st.Close()
		return nil, err
	}
	return &app{cfg: cfg, log: log, store: st, engine: eng}, nil
}

func (a *app) close() {
	if err := a.store.Close(); err != nil {
		a.log.Error("close database", slog.Any("error", err))
	}
}

// observers tells every observer of the engine about each fetch: the
// metrics and the page's log of recent fetches.
type observers []aggregator.Observer

func (o observers) Fetched(r watch.Report) {
	for _, obs := range o {
		obs.Fetched(r)
	}
}
