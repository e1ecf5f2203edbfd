package server_test

import (
	"context"
	"image/png"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/vigie-watch/vigie/internal/vigietest"
)

const chromium = "/usr/bin/chromium"

// TestPageScreenshot renders the page, with its activity charts, and the
// answer of /try in headless Chromium (Debian package chromium) at a
// phone's width and a desktop's, and checks that it made images of those
// widths. Set VIGIE_SCREENSHOT_DIR to keep the PNGs and look at them.
func TestPageScreenshot(t *testing.T) {
	if _, err := os.Stat(chromium); err != nil {
		t.Skipf("skipping: %s not installed (apt-get install chromium)", chromium)
	}
	if testing.Short() {
		t.Skip("skipping in -short mode")
	}
	h := activityHarness(t, 120, vigietest.Options{})
	for range 5 {
		h.fetch()
	}
	srv := httptest.NewServer(h.Handler)
	t.Cleanup(srv.Close)

	dir := os.Getenv("VIGIE_SCREENSHOT_DIR")
	if dir == "" {
		dir = t.TempDir()
	}
	for _, page := range []struct{ name, path string }{{"page", "/"}, {"try", "/try?q=reconnaissance+faciale"}} {
		for _, size := range []struct {
			name          string
			width, height int
			dark          bool
		}{{"phone", 412, 4200, false}, {"desktop", 1280, 3000, false}, {"phone-dark", 412, 4200, true}} {
			out := filepath.Join(dir, page.name+"-"+size.name+".png")
			screenshot(t, srv.URL+page.path, out, size.width, size.height, size.dark)
		}
	}
}

// screenshot makes a PNG of url at the given window size with a fresh
// Chromium profile, in the dark colour scheme if asked, and checks its
// width.
func screenshot(t *testing.T, url, out string, width, height int, dark bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	args := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
		"--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--hide-scrollbars", "--user-data-dir=" + t.TempDir(),
		"--window-size=" + strconv.Itoa(width) + "," + strconv.Itoa(height), "--screenshot=" + out}
	if dark {
		args = append(args, "--force-dark-mode") // prefers-color-scheme: dark
	}
	cmd := exec.CommandContext(ctx, chromium, append(args, url)...)
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir())
	res, err := cmd.CombinedOutput()
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
	if cfg.Width != width {
		t.Errorf("%s: got width %d, want %d", out, cfg.Width, width)
	}
	t.Logf("screenshot: %s", out)
}
