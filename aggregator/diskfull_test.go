package aggregator_test

import (
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vigie-watch/vigie/aggregator"
	"github.com/vigie-watch/vigie/internal/vigietest"
)

// tinyDisk mounts a tmpfs of size bytes for the test, or skips when this
// machine does not allow it (not root, no mount namespace). It returns the
// directory and a function that grows the file system to size bytes.
func tinyDisk(t *testing.T, size int) (dir string, grow func(size int)) {
	t.Helper()
	dir = t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", fmt.Sprintf("size=%d", size), "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("skipping: cannot mount a small tmpfs to fill (needs root): %v: %s", err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v: %s", dir, err, out)
		}
	})
	return dir, func(size int) {
		t.Helper()
		if out, err := exec.Command("mount", "-o", fmt.Sprintf("remount,size=%d", size), dir).CombinedOutput(); err != nil {
			t.Fatalf("grow tmpfs: %v: %s", err, out)
		}
	}
}

// TestDiskFull: a source whose items do not fit on the disk fails with a
// clear error and stores nothing of them; the database stays sound, the
// feed keeps being served, and once there is room again the next cycle
// stores everything, once.
func TestDiskFull(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping in -short mode")
	}
	dir, grow := tinyDisk(t, 256<<10)
	ctx := context.Background()

	u := vigietest.NewUpstream(t)
	small := vigietest.RSS(vigietest.RSSItem{Title: "Reconnaissance faciale : la CNIL saisie", Link: "https://news.example/small"})
	u.Set("/small.rss", small, "application/rss+xml")
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Gros</title><link>https://big.example/</link>`)
	para := strings.Repeat("La vidéosurveillance algorithmique s’étend à de nouvelles villes, « sans cadre légal ». ", 40)
	for i := range 150 {
		fmt.Fprintf(&b, "<item><title>Reconnaissance faciale, épisode %d</title><link>https://big.example/%d</link><description>%s</description></item>\n", i, i, para)
	}
	b.WriteString("</channel></rss>")
	u.Set("/big.rss", []byte(b.String()), "application/rss+xml") // about 900 KB of text

	cfg := vigietest.ParseConfig(t, fmt.Sprintf(`database: unused.db
feed: {title: Test, url: http://vigie.example/feed.atom}
keywords: [reconnaissance faciale]
sources:
  - {name: small, url: %s}
  - {name: big, url: %s}
`, u.URL("/small.rss"), u.URL("/big.rss")))
	clk := vigietest.NewClock(time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC))
	h := vigietest.New(t, cfg, vigietest.Options{Database: filepath.Join(dir, "vigie.db"), Engine: aggregator.Options{Now: clk.Now}})
	st, eng := h.Store, h.Engine

	errs := map[string]error{}
	for _, r := range eng.FetchAll(ctx) {
		errs[r.Source] = r.Err
	}
	if errs["small"] != nil {
		t.Fatalf("small source: got %v, want it stored", errs["small"])
	}
	if errs["big"] == nil || !strings.Contains(errs["big"].Error(), "full") {
		t.Fatalf("big source on a full disk: got error %v, want one saying the disk is full", errs["big"])
	}
	t.Logf("big source on a full disk: %v", errs["big"])
	if err := st.Check(ctx); err != nil {
		t.Fatalf("database after the disk filled up: %v", err)
	}
	if got := storiesBySource(t, st); got["big"] != 0 || got["small"] != 1 {
		t.Fatalf("stories stored on a full disk: got %v, want small's 1 and none of big's", got)
	}

	// Room again; the failed source is retried once its backoff is over.
	grow(64 << 20)
	clk.Add(time.Hour)
	for _, r := range eng.FetchAll(ctx) {
		if r.Err != nil {
			t.Errorf("%s with room again: %v", r.Source, r.Err)
		}
	}
	if got := storiesBySource(t, st); got["big"] != 150 || got["small"] != 1 {
		t.Errorf("stories stored with room again: got %v, want big's 150 and small's 1", got)
	}
	if err := st.Check(ctx); err != nil {
		t.Errorf("database after recovery: %v", err)
	}
}
