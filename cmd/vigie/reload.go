package main

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/vigie-watch/vigie/internal/config"
)

// reloadDebounce lets an editor finish saving (write, rename, chmod...)
// before the file is read.
const reloadDebounce = 500 * time.Millisecond

// reload applies the config file again, between RELOADING=1 and READY=1.
// An invalid file is logged with all its problems and the running config
// stays.
func (d *daemon) reload(ctx context.Context) {
	log := d.app.log
	if err := d.notifier.Reloading(); err != nil {
		log.Warn("notify systemd", slog.Any("error", err))
	}
	note, err := d.apply(ctx)
	d.metrics.Reloaded(err == nil)
	if err != nil {
		log.Error("reload refused, keeping the running config", slog.String("config", d.configPath), slog.Any("error", err))
		note = "last reload refused, see the journal"
	}
	d.ready(note)
}

// apply loads the config file and puts it in force.
func (d *daemon) apply(ctx context.Context) (note string, err error) {
	cfg, err := config.Load(d.configPath)
	if err != nil {
		return "", err
	}
	old := d.app.engine.Config()
	if cfg.Equal(old) {
		// Saved unchanged: rescheduling would only postpone the fetches.
		d.app.log.Info("config unchanged", slog.String("config", d.configPath))
		return "", nil
	}
	if cfg.Listen != old.Listen || cfg.Database != old.Database {
		d.app.log.Warn("listen and database changes take effect at the next restart",
			slog.String("listen", old.Listen), slog.String("database", old.Database))
		cfg.Listen, cfg.Database = old.Listen, old.Database
		note = "restart to change listen or database"
	}
	if cfg.LogFormat != old.LogFormat || cfg.LogLevel != old.LogLevel {
		d.app.log.Warn("log_format and log_level changes take effect at the next restart")
	}
	if err := d.app.engine.Apply(ctx, cfg); err != nil {
		return "", err
	}
	kept := map[string]bool{}
	for _, s := range cfg.Sources {
		kept[s.Name] = true
	}
	for _, s := range old.Sources {
		if !kept[s.Name] {
			d.metrics.Forget(s.Name)
		}
	}
	d.app.log.Info("config reloaded", slog.String("config", d.configPath), slog.Int("sources", len(cfg.Sources)))
	return note, nil
}

// watchConfig sends on changed, without blocking, once the file at path has
// stopped changing for debounce. It watches the file's directory, not the
// file: editors save by writing a new file and renaming it over the old
// one. When path is a symbolic link, the directory of its target is
// watched too. The watch ends with ctx; wg tracks its goroutine.
func watchConfig(ctx context.Context, wg *sync.WaitGroup, path string, debounce time.Duration, changed chan<- struct{}, log *slog.Logger) error {
	abs, err := filepath.Abs(path)
	if err != nil {
		return fmt.Errorf("watch config: %w", err)
	}
	names := map[string]bool{abs: true}
	if target, err := filepath.EvalSymlinks(abs); err == nil {
		names[target] = true
	}
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return fmt.Errorf("watch config: %w", err)
	}
	for name := range names {
		if err := w.Add(filepath.Dir(name)); err != nil {
			w.Close()
			return fmt.Errorf("watch config: %w", err)
		}
	}
	wg.Go(func() {
		defer w.Close()
		timer := time.NewTimer(debounce)
		timer.Stop()
		defer timer.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case ev, ok := <-w.Events:
				if !ok {
					return
				}
				if concerns(names, ev) {
					timer.Reset(debounce)
				}
			case err, ok := <-w.Errors:
				if !ok {
					return
				}
				log.Warn("watch config", slog.Any("error", err))
			case <-timer.C:
				select {
				case changed <- struct{}{}:
				default: // a reload is already due
				}
			}
		}
	})
	return nil
}

// concerns reports whether ev changes one of the files named: a change of
// mode or time alone does not.
func concerns(names map[string]bool, ev fsnotify.Event) bool {
	return names[filepath.Clean(ev.Name)] && ev.Op&^fsnotify.Chmod != 0
}
