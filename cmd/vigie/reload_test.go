package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigie-watch/vigie/internal/config"
	"github.com/vigie-watch/vigie/internal/metrics"
)

const reloadConfig = `database: %DB%
schedule: "@every 1h"
feed:
  title: Test
  url: http://vigie.example/feed.atom
keywords: [reconnaissance faciale]
sources:
  - {name: src, url: "http://127.0.0.1:1/feed.rss"}
`

// A config file saved with only a comment added configures nothing new: it
// is not applied (which would reschedule every source), while a real edit
// is.
func TestReloadIgnoresCommentOnlyEdits(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "config.yaml")
	text := strings.ReplaceAll(reloadConfig, "%DB%", filepath.Join(dir, "vigie.db"))
	writeConfig(t, path, text)
	d := newIdleDaemon(t, ctx, path)
	before := d.app.engine.Config()

	writeConfig(t, path, "# Veille de la rédaction\n"+text)
	if _, err := d.apply(ctx); err != nil {
		t.Fatal(err)
	}
	if d.app.engine.Config() != before {
		t.Errorf("a comment added: the config was applied again; want it kept as unchanged")
	}

	writeConfig(t, path, "# Veille de la rédaction\n"+text+"exclude: [Face ID]\n")
	if _, err := d.apply(ctx); err != nil {
		t.Fatal(err)
	}
	if got := d.app.engine.Config(); got == before || len(got.Exclude) != 1 {
		t.Errorf("an exclusion added: got exclude %q, want the new config in force", got.Exclude)
	}
}

func writeConfig(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}

// newIdleDaemon is a daemon for the config at path, its engine built but
// not started, closed when the test ends.
func newIdleDaemon(t *testing.T, ctx context.Context, path string) *daemon {
	t.Helper()
	cfg, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	m := metrics.New("test")
	a, err := open(ctx, cfg, nil, m)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.close)
	return &daemon{app: a, configPath: path, metrics: m}
}
