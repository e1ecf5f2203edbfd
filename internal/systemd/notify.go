// Package systemd tells systemd how the service is doing, with the
// sd_notify protocol: one datagram per state change on the unix socket
// named by $NOTIFY_SOCKET (READY=1, RELOADING=1, STOPPING=1, WATCHDOG=1,
// STATUS=...). Outside systemd the socket is unset and every call is a no-op.
//
// See sd_notify(3); this is the small subset a Type=notify service needs,
// without libsystemd.
package systemd

import (
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// Notifier sends states to systemd. The zero value, and a Notifier for an
// empty socket, does nothing.
type Notifier struct {
	socket string
}

// FromEnv returns a Notifier for $NOTIFY_SOCKET.
func FromEnv() *Notifier { return NewNotifier(os.Getenv("NOTIFY_SOCKET")) }

// NewNotifier returns a Notifier for the unix datagram socket at path. A
// path starting with '@' names a socket in the abstract namespace.
func NewNotifier(path string) *Notifier { return &Notifier{socket: path} }

// Enabled reports whether there is a socket to notify.
func (n *Notifier) Enabled() bool { return n != nil && n.socket != "" }

// Notify sends state, one or more newline-separated VAR=value assignments.
func (n *Notifier) Notify(state string) error {
	if !n.Enabled() {
		return nil
	}
	// Go's net package maps a leading '@' to the abstract namespace, as
	// sd_notify does.
	conn, err := net.DialUnix("unixgram", nil, &net.UnixAddr{Name: n.socket, Net: "unixgram"})
	if err != nil {
		return fmt.Errorf("sd_notify: %w", err)
	}
	defer conn.Close()
	if _, err := conn.Write([]byte(state)); err != nil {
		return fmt.Errorf("sd_notify: %w", err)
	}
	return nil
}

// Ready says the service is up and serving, with an optional status line.
func (n *Notifier) Ready(status string) error { return n.Notify("READY=1" + statusLine(status)) }

// Reloading says a reload has begun; send Ready when it is over, whatever
// its outcome.
func (n *Notifier) Reloading() error {
	return n.Notify("RELOADING=1\nMONOTONIC_USEC=" + strconv.FormatInt(monotonicUsec(), 10))
}

// Stopping says the service is shutting down.
func (n *Notifier) Stopping() error { return n.Notify("STOPPING=1") }

// Watchdog pings the service watchdog.
func (n *Notifier) Watchdog() error { return n.Notify("WATCHDOG=1") }

// Status sets the one-line status `systemctl status` shows.
func (n *Notifier) Status(status string) error {
	if status == "" {
		return nil
	}
	return n.Notify(strings.TrimPrefix(statusLine(status), "\n"))
}

func statusLine(s string) string {
	if s == "" {
		return ""
	}
	return "\nSTATUS=" + strings.ReplaceAll(s, "\n", " ")
}

// monotonicUsec is CLOCK_MONOTONIC in microseconds, the clock systemd
// expects beside RELOADING=1.
func monotonicUsec() int64 {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_MONOTONIC, &ts); err != nil {
		return 0
	}
	return ts.Nano() / 1e3
}

// WatchdogInterval returns how often to ping the watchdog: half of
// $WATCHDOG_USEC, as sd_watchdog_enabled(3) advises. ok is false when no
// watchdog is set for this process.
func WatchdogInterval() (interval time.Duration, ok bool) {
	return watchdogInterval(os.Getenv("WATCHDOG_USEC"), os.Getenv("WATCHDOG_PID"), os.Getpid())
}

func watchdogInterval(usec, pid string, self int) (time.Duration, bool) {
	if usec == "" {
		return 0, false
	}
	if pid != "" && pid != strconv.Itoa(self) {
		return 0, false // meant for another process
	}
	n, err := strconv.ParseInt(usec, 10, 64)
	if err != nil || n <= 0 {
		return 0, false
	}
	return time.Duration(n) * time.Microsecond / 2, true
}
