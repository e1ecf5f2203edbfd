package main

import (
	"errors"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/vigie-watch/vigie/internal/vigietest"
)

// unitFile is the systemd unit shipped in deploy/, its ExecStart pointing
// at exe.
func unitFile(t *testing.T, exe string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "deploy", "vigie.service"))
	if err != nil {
		t.Fatal(err)
	}
	unit := string(data)
	for _, want := range []string{
		"Type=notify\n", "ExecReload=/bin/kill -HUP $MAINPID\n", "WatchdogSec=", "DynamicUser=yes\n",
		"StateDirectory=vigie\n", "ConfigurationDirectory=vigie\n", "ProtectSystem=strict\n", "ProtectHome=yes\n",
		"PrivateTmp=yes\n", "NoNewPrivileges=yes\n", "RestrictAddressFamilies=", "SystemCallFilter=@system-service\n",
		"Restart=on-failure\n",
	} {
		if !strings.Contains(unit, want) {
			t.Errorf("deploy/vigie.service lacks %q", want)
		}
	}
	path := filepath.Join(t.TempDir(), "vigie.service")
	// systemd-analyze verify wants ExecStart's binary to exist.
	unit = strings.ReplaceAll(unit, "/usr/local/bin/vigie", exe)
	if err := os.WriteFile(path, []byte(unit), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestUnitFileVerifies(t *testing.T) {
	tool, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("systemd-analyze not installed (apt-get install systemd)")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	unit := unitFile(t, exe)
	// verify exits 0 on unknown keys and values it ignores: any output is a
	// failure.
	out, err := exec.Command(tool, "verify", unit).CombinedOutput()
	if err != nil || len(out) > 0 {
		t.Errorf("systemd-analyze verify: got %v:\n%s\nwant no complaint", err, out)
	}
	// The sandbox: an exposure of at most 2.0 out of 10 ("OK").
	out, err = exec.Command(tool, "security", "--offline=yes", "--threshold=20", "--no-pager", unit).CombinedOutput()
	if err != nil {
		t.Errorf("systemd-analyze security: got %v, want an exposure of at most 2.0:\n%s", err, out)
	}
}

// TestBinaryStopsCleanlyOnSIGTERM runs the real binary with a source that
// never answers, and stops it as systemd does: exit status 0, within the
// 10 s promised (the unit's TimeoutStopSec is 15 s).
func TestBinaryStopsCleanlyOnSIGTERM(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go not in PATH")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "vigie")
	if out, err := exec.Command(goTool, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	w := newFeedWatch(t)
	hanging := vigietest.NewUpstream(t)
	hanging.Handle("/feed.rss", vigietest.Hang()) // until vigie gives up
	replaceFile(t, w.path, strings.Replace(w.config(`"reconnaissance faciale"`), "keywords:",
		"  - name: hanging\n    url: "+hanging.URL("/feed.rss")+"\n    timeout: 60s\nkeywords:", 1))

	logs := &syncBuffer{}
	cmd := exec.Command(bin, "run", "--config", w.path)
	cmd.Stderr = logs
	cmd.Env = append(os.Environ(), "NOTIFY_SOCKET=")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() { cmd.Process.Kill() })

	var url string
	vigietest.WaitFor(t, waitTimeout, "the binary to serve", func() bool {
		if m := listenRE.FindStringSubmatch(logs.String()); m != nil {
			url = m[1]
		}
		return url != ""
	})
	vigietest.WaitFor(t, waitTimeout, "/healthz to answer 200 and the good source to be fetched", func() bool {
		code, _ := httpGet(t, url+"/healthz")
		return code == http.StatusOK && strings.Contains(logs.String(), "msg=fetched source=upstream")
	})

	start := time.Now()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			t.Errorf("exit status: got %d, want 0\nlog:\n%s", exitErr.ExitCode(), logs)
		} else if err != nil {
			t.Errorf("wait: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("still running 30 s after SIGTERM\nlog:\n%s", logs)
	}
	took := time.Since(start)
	t.Logf("stopped in %v", took)
	if took >= 10*time.Second {
		t.Errorf("stop took %v, want under 10 s", took)
	}
	for _, want := range []string{`msg=stopping`, `msg="cancelling the fetches still running"`, `msg=stopped`} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log lacks %s:\n%s", want, logs)
		}
	}
}
