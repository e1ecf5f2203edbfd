package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/vigie-watch/vigie/internal/config"
	"github.com/vigie-watch/vigie/internal/server"
)

// stopTimeout bounds a clean stop: systemd waits 90 s, users less.
const stopTimeout = 8 * time.Second

func cmdRun(ctx context.Context, args []string, stderr io.Writer) error {
	configPath, _, err := flags("run", args, nil)
	if err != nil {
		return err
	}
	cfg, err := config.Load(configPath)
	if err != nil {
		return err
	}
	log := newLogger(cfg, stderr)
	a, err := open(ctx, cfg, log, nil)
	if err != nil {
		return err
	}
	defer a.close()

	// Keywords may have changed while vigie was stopped.
	if err := a.engine.Rematch(ctx); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", a.cfg.Listen)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	srv := server.New(a.store, a.engine, server.Options{Logger: log}).HTTPServer(a.cfg.Listen)
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	log.Info("vigie started", slog.String("version", version()), slog.String("listen", "http://"+ln.Addr().String()),
		slog.String("config", configPath), slog.String("database", a.cfg.Database), slog.Int("sources", len(a.cfg.Sources)))

	// Fetches get their own context, cancelled only after the grace period.
	fetchCtx, cancelFetches := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelFetches()
	a.engine.Start(fetchCtx)

	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)

	var runErr error
loop:
	for {
		select {
		case <-ctx.Done():
			log.Info("stopping")
			break loop
		case <-hup:
			reload(fetchCtx, a, configPath)
		case err := <-serveErr:
			runErr = fmt.Errorf("http server: %w", err)
			break loop
		}
	}

	stopCtx, cancel := context.WithTimeout(context.Background(), stopTimeout)
	defer cancel()
	if err := srv.Shutdown(stopCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Warn("http shutdown", slog.Any("error", err))
	}
	graceCtx, cancelGrace := context.WithTimeout(stopCtx, stopTimeout/2)
	defer cancelGrace()
	if err := a.engine.Stop(graceCtx); err != nil {
		log.Warn("cancelling fetches still running", slog.Any("error", err))
		cancelFetches()
		if err := a.engine.Stop(stopCtx); err != nil {
			log.Error("stop", slog.Any("error", err))
		}
	}
	log.Info("stopped")
	return runErr
}

// reload applies the config file again; an invalid file is logged with its
// errors and the running config stays.
func reload(ctx context.Context, a *app, configPath string) {
	cfg, err := config.Load(configPath)
	if err != nil {
		a.log.Error("reload refused, keeping the running config", slog.Any("error", err))
		return
	}
	if cfg.Listen != a.cfg.Listen || cfg.Database != a.cfg.Database {
		a.log.Warn("listen and database changes take effect at the next restart",
			slog.String("listen", a.cfg.Listen), slog.String("database", a.cfg.Database))
		cfg.Listen, cfg.Database = a.cfg.Listen, a.cfg.Database
	}
	if err := a.engine.Apply(ctx, cfg); err != nil {
		a.log.Error("reload refused, keeping the running config", slog.Any("error", err))
		return
	}
	a.log.Info("config reloaded", slog.String("config", configPath))
}
