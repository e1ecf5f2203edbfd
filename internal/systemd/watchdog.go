package systemd

import (
	"context"
	"time"
)

// RunWatchdog pings the watchdog every interval for as long as healthy
// returns nil, until ctx is done. When healthy fails, onErr (which may be
// nil) is told and no ping is sent: if the service stays unhealthy, systemd
// restarts it (WatchdogSec=, Restart=on-failure).
func (n *Notifier) RunWatchdog(ctx context.Context, interval time.Duration, healthy func(context.Context) error, onErr func(error)) {
	if !n.Enabled() || interval <= 0 {
		return
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		cctx, cancel := context.WithTimeout(ctx, interval)
		err := healthy(cctx)
		cancel()
		if err == nil {
			err = n.Watchdog()
		}
		if err != nil && ctx.Err() == nil && onErr != nil {
			onErr(err)
		}
	}
}
