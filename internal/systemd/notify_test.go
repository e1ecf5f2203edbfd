package systemd_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vigie-watch/vigie/internal/systemd"
)

// listen opens a unixgram socket for the notifier to write to.
func listen(t *testing.T, name string) *net.UnixConn {
	t.Helper()
	conn, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: name, Net: "unixgram"})
	if err != nil {
		t.Fatalf("listen %s: %v", name, err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

func read(t *testing.T, conn *net.UnixConn) string {
	t.Helper()
	buf := make([]byte, 4096)
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	n, err := conn.Read(buf)
	if err != nil {
		t.Fatalf("read notification: %v", err)
	}
	return string(buf[:n])
}

func TestNotifyMessages(t *testing.T) {
	path := filepath.Join(t.TempDir(), "notify.sock")
	conn := listen(t, path)
	n := systemd.NewNotifier(path)
	if !n.Enabled() {
		t.Fatal("Enabled: got false, want true")
	}
	tests := []struct {
		name string
		send func() error
		want string
	}{
		{"ready", func() error { return n.Ready("") }, "READY=1"},
		{"ready with status", func() error { return n.Ready("serving\non 127.0.0.1:8080") }, "READY=1\nSTATUS=serving on 127.0.0.1:8080"},
		{"stopping", n.Stopping, "STOPPING=1"},
		{"watchdog", n.Watchdog, "WATCHDOG=1"},
		{"status", func() error { return n.Status("3 sources") }, "STATUS=3 sources"},
	}
	for _, tt := range tests {
		if err := tt.send(); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if got := read(t, conn); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestReloadingCarriesMonotonicTime(t *testing.T) {
	path := filepath.Join(t.TempDir(), "notify.sock")
	conn := listen(t, path)
	if err := systemd.NewNotifier(path).Reloading(); err != nil {
		t.Fatal(err)
	}
	got := read(t, conn)
	first, usec, ok := strings.Cut(got, "\nMONOTONIC_USEC=")
	if !ok || first != "RELOADING=1" {
		t.Fatalf("got %q, want RELOADING=1 then MONOTONIC_USEC=", got)
	}
	if n, err := strconv.ParseInt(usec, 10, 64); err != nil || n <= 0 {
		t.Errorf("MONOTONIC_USEC: got %q, want a positive number", usec)
	}
}

func TestAbstractSocket(t *testing.T) {
	name := fmt.Sprintf("@vigie-test-%d-%d", os.Getpid(), time.Now().UnixNano())
	conn := listen(t, name)
	if err := systemd.NewNotifier(name).Ready(""); err != nil {
		t.Fatal(err)
	}
	if got := read(t, conn); got != "READY=1" {
		t.Errorf("got %q, want READY=1", got)
	}
}

func TestNoSocketIsNoOp(t *testing.T) {
	t.Setenv("NOTIFY_SOCKET", "")
	n := systemd.FromEnv()
	if n.Enabled() {
		t.Error("Enabled: got true, want false")
	}
	for _, err := range []error{n.Ready("x"), n.Reloading(), n.Stopping(), n.Watchdog()} {
		if err != nil {
			t.Errorf("got %v, want nil", err)
		}
	}
	var zero *systemd.Notifier
	if err := zero.Ready(""); err != nil {
		t.Errorf("nil Notifier: got %v, want nil", err)
	}
}

func TestNotifyMissingSocketFails(t *testing.T) {
	err := systemd.NewNotifier(filepath.Join(t.TempDir(), "absent.sock")).Ready("")
	if err == nil {
		t.Error("got no error, want one for a socket nobody listens on")
	}
}

func TestWatchdogInterval(t *testing.T) {
	tests := []struct {
		usec, pid string
		want      time.Duration
		ok        bool
	}{
		{"", "", 0, false},
		{"30000000", "", 15 * time.Second, true},
		{"30000000", "42", 15 * time.Second, true},
		{"30000000", "43", 0, false},
		{"garbage", "", 0, false},
		{"0", "", 0, false},
		{"-5", "", 0, false},
	}
	for _, tt := range tests {
		got, ok := systemd.WatchdogIntervalFor(tt.usec, tt.pid, 42)
		if got != tt.want || ok != tt.ok {
			t.Errorf("WATCHDOG_USEC=%q WATCHDOG_PID=%q: got %v, %v, want %v, %v", tt.usec, tt.pid, got, ok, tt.want, tt.ok)
		}
	}
}

func TestRunWatchdogPingsWhileHealthy(t *testing.T) {
	path := filepath.Join(t.TempDir(), "notify.sock")
	conn := listen(t, path)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() {
		defer close(done)
		systemd.NewNotifier(path).RunWatchdog(ctx, time.Millisecond, func(context.Context) error { return nil }, nil)
	}()
	for range 3 {
		if got := read(t, conn); got != "WATCHDOG=1" {
			t.Errorf("got %q, want WATCHDOG=1", got)
		}
	}
	cancel()
	<-done
}

func TestRunWatchdogSilentWhenUnhealthy(t *testing.T) {
	path := filepath.Join(t.TempDir(), "notify.sock")
	conn := listen(t, path)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	sick := errors.New("database is locked")
	var reported []error
	systemd.NewNotifier(path).RunWatchdog(ctx, time.Millisecond,
		func(context.Context) error { return sick },
		func(err error) {
			reported = append(reported, err)
			if len(reported) == 3 {
				cancel()
			}
		})
	if len(reported) != 3 || !errors.Is(reported[0], sick) {
		t.Errorf("onErr: got %v, want the health error three times", reported)
	}
	conn.SetReadDeadline(time.Now()) // everything sent is already queued
	buf := make([]byte, 64)
	if n, err := conn.Read(buf); err == nil {
		t.Errorf("got notification %q while unhealthy, want none", buf[:n])
	}
}
