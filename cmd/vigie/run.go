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
	"sync"
	"syscall"
	"time"

	"github.com/vigie-watch/vigie/internal/config"
	"github.com/vigie-watch/vigie/internal/metrics"
	"github.com/vigie-watch/vigie/internal/server"
	"github.com/vigie-watch/vigie/internal/systemd"
)

// Stopping is bounded so that vigie exits well within systemd's
// TimeoutStopSec: fetches get fetchGrace to end by themselves, are then
// cancelled, and the whole stop takes at most stopTimeout.
const (
	stopTimeout = 8 * time.Second
	fetchGrace  = 4 * time.Second
)

// daemon is `vigie run`: the app, its HTTP server and what tells the
// outside world how it is doing.
type daemon struct {
	app        *app
	configPath string
	metrics    *metrics.Metrics
	notifier   *systemd.Notifier
	fetchLog   *server.FetchLog // the page's recent fetches
	listenURL  string
}

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
	m := metrics.New(version())
	fetchLog := server.NewFetchLog(nil)
	a, err := openWaiting(ctx, cfg, log, observers{m, fetchLog})
	if err != nil {
		return err
	}
	defer a.close()
	m.ReportHealth(a.engine.Health)
	d := &daemon{app: a, configPath: configPath, metrics: m, notifier: systemd.FromEnv(), fetchLog: fetchLog}

	// Keywords may have changed while vigie was stopped.
	if err := a.engine.Rematch(ctx); err != nil {
		return err
	}
	srv, serveErr, err := d.serve()
	if err != nil {
		return err
	}

	// Fetches get their own context, cancelled only after the grace period.
	fetchCtx, cancelFetches := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelFetches()
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)

	a.engine.Start(fetchCtx)

	bgCtx, stopBackground := context.WithCancel(ctx)
	var background sync.WaitGroup
	changed := make(chan struct{}, 1)
	d.watch(bgCtx, &background, changed)

	log.Info("vigie started", slog.String("version", version()), slog.String("listen", d.listenURL),
		slog.String("config", configPath), slog.String("database", a.cfg.Database), slog.Int("sources", len(a.cfg.Sources)))
	d.ready("")

	runErr := d.loop(ctx, fetchCtx, hup, changed, serveErr)
	if err := d.notifier.Stopping(); err != nil {
		log.Warn("notify systemd", slog.Any("error", err))
	}
	stopBackground()
	background.Wait()
	d.stop(srv, cancelFetches)
	log.Info("stopped")
	return runErr
}

// serve starts serving HTTP on the configured address; the server's error,
// if it stops by itself, comes on serveErr.
func (d *daemon) serve() (srv *http.Server, serveErr <-chan error, err error) {
	a := d.app
	ln, err := net.Listen("tcp", a.cfg.Listen)
	if err != nil {
		return nil, nil, fmt.Errorf("listen: %w", err)
	}
	d.listenURL = "http://" + ln.Addr().String()
	srv = server.New(a.store, a.engine, server.Options{Logger: a.log, Metrics: d.metrics.Handler(), FetchLog: d.fetchLog}).HTTPServer(a.cfg.Listen)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	return srv, errc, nil
}

// watch starts what runs beside the engine until ctx is done: the watch
// of the config file, and the systemd watchdog when systemd asks for it.
func (d *daemon) watch(ctx context.Context, wg *sync.WaitGroup, changed chan<- struct{}) {
	log := d.app.log
	if err := watchConfig(ctx, wg, d.configPath, reloadDebounce, changed, log); err != nil {
		log.Warn("config file not watched: reload with SIGHUP", slog.Any("error", err))
	}
	if interval, ok := systemd.WatchdogInterval(); ok {
		wg.Go(func() {
			d.notifier.RunWatchdog(ctx, interval, d.app.healthy, func(err error) {
				log.Error("unhealthy: watchdog not pinged", slog.Any("error", err))
			})
		})
	}
}

// loop reloads the config on SIGHUP or when the file changes, until ctx is
// done or the HTTP server fails.
func (d *daemon) loop(ctx, fetchCtx context.Context, hup <-chan os.Signal, changed <-chan struct{}, serveErr <-chan error) error {
	log := d.app.log
	for {
		select {
		case <-ctx.Done():
			log.Info("stopping")
			return nil
		case <-hup:
			log.Info("reloading the config", slog.String("reason", "SIGHUP"))
			d.reload(fetchCtx)
		case <-changed:
			log.Info("reloading the config", slog.String("reason", "file changed"))
			d.reload(fetchCtx)
		case err := <-serveErr:
			return fmt.Errorf("http server: %w", err)
		}
	}
}

// stop stops scheduling, lets the fetches in flight end (cancelling them
// after fetchGrace; their writes are not cut short), then shuts the HTTP
// server down, all within stopTimeout.
func (d *daemon) stop(srv *http.Server, cancelFetches context.CancelFunc) {
	log := d.app.log
	stopCtx, cancel := context.WithTimeout(context.Background(), stopTimeout)
	defer cancel()
	graceCtx, cancelGrace := context.WithTimeout(stopCtx, fetchGrace)
	defer cancelGrace()
	if err := d.app.engine.Stop(graceCtx); err != nil {
		log.Warn("cancelling the fetches still running", slog.Any("error", err))
		cancelFetches()
		if err := d.app.engine.Stop(stopCtx); err != nil {
			log.Error("stop", slog.Any("error", err))
		}
	}
	if err := srv.Shutdown(stopCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Warn("http shutdown", slog.Any("error", err))
		srv.Close()
	}
}

// ready tells systemd that vigie serves, with a status line for `systemctl
// status`.
func (d *daemon) ready(note string) {
	status := fmt.Sprintf("serving %s, %d sources", d.listenURL, len(d.app.engine.Config().Sources))
	if note != "" {
		status += "; " + note
	}
	if err := d.notifier.Ready(status); err != nil {
		d.app.log.Warn("notify systemd", slog.Any("error", err))
	}
}

// healthy reports whether the database answers and the scheduler runs,
// as /healthz does; the watchdog is pinged only then.
func (a *app) healthy(ctx context.Context) error {
	if err := a.store.Ping(ctx); err != nil {
		return fmt.Errorf("database: %w", err)
	}
	if !a.engine.Running() {
		return errors.New("scheduler not running")
	}
	return nil
}
