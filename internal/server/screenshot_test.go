package server_test

import (
	"context"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/vigie-watch/vigie/internal/vigietest"
)

// TestPageScreenshot renders the page in headless Chromium (Debian package
// chromium) at a phone's width and a desktop's, and checks that it made
// images of those widths. Set VIGIE_SCREENSHOT_DIR to keep the PNGs and
// look at them.
func TestPageScreenshot(t *testing.T) {
	const chromium = "/usr/bin/chromium"
	if _, err := os.Stat(chromium); err != nil {
		t.Skipf("skipping: %s not installed (apt-get install chromium)", chromium)
	}
	if testing.Short() {
		t.Skip("skipping in -short mode")
	}
	u := newUpstream(t)
	u.Handle("/senat.csv", vigietest.Status(http.StatusInternalServerError))
	u.Handle("/lqdn", vigietest.Status(http.StatusGone))
	h := newHarness(t, pageConfig(u))
	h.FetchAll("Sénat", "La Quadrature")
	srv := httptest.NewServer(h.Handler)
	t.Cleanup(srv.Close)

	dir := os.Getenv("VIGIE_SCREENSHOT_DIR")
	if dir == "" {
		dir = t.TempDir()
	}
	for _, size := range []struct {
		name          string
		width, height int
	}{{"page-phone.png", 412, 2400}, {"page-desktop.png", 1280, 2000}} {
		out := filepath.Join(dir, size.name)
		ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
		cmd := exec.CommandContext(ctx, chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
			"--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
			"--hide-scrollbars", "--user-data-dir="+t.TempDir(),
			"--window-size="+strconv.Itoa(size.width)+","+strconv.Itoa(size.height), "--screenshot="+out, srv.URL+"/")
		cmd.Env = append(os.Environ(), "HOME="+t.TempDir())
		res, err := cmd.CombinedOutput()
		cancel()
		if err != nil {
			t.Fatalf("chromium: %v\n%s", err, res)
		}
		f, err := os.Open(out)
		if err != nil {
			t.Fatalf("chromium made no screenshot: %v\n%s", err, res)
		}
		cfg, err := png.DecodeConfig(f)
		f.Close()
		if err != nil {
			t.Fatalf("screenshot: %v", err)
		}
		if cfg.Width != size.width {
			t.Errorf("%s: got width %d, want %d", size.name, cfg.Width, size.width)
		}
		t.Logf("screenshot: %s", out)
	}
}
