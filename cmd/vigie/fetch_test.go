package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigie-watch/vigie/internal/vigietest"
)

// fetchTestFeed is a feed of two items, one matching.
var fetchTestFeed = vigietest.RSS(
	vigietest.RSSItem{Title: "Reconnaissance faciale : un article", Link: "https://news.example/a", Date: "Mon, 02 Jun 2025 08:00:00 +0000"},
	vigietest.RSSItem{Title: "Météo", Link: "https://news.example/b", Date: "Mon, 02 Jun 2025 09:00:00 +0000"},
)

// sourcesConfig writes a config whose sources are served by a test
// server: /ok serves a feed of two items, one matching; /500 fails; any
// other path is not found.
func sourcesConfig(t *testing.T, paths ...string) string {
	t.Helper()
	up := vigietest.NewUpstream(t)
	up.Set("/ok", fetchTestFeed, "application/rss+xml")
	up.Handle("/500", vigietest.Status(http.StatusInternalServerError))

	dir := t.TempDir()
	var b strings.Builder
	fmt.Fprintf(&b, "database: %s\nschedule: \"@every 15m\"\nfeed:\n  title: Test\n  url: http://vigie.example/feed.atom\nkeywords: [reconnaissance faciale]\nsources:\n", filepath.Join(dir, "vigie.db"))
	for _, p := range paths {
		fmt.Fprintf(&b, "  - name: src%s\n    url: %s\n", strings.TrimPrefix(p, "/"), up.URL(p))
	}
	path := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// lineOf returns the line of out that starts with the source name.
func lineOf(out, name string) string {
	for l := range strings.Lines(out) {
		if f := strings.Fields(l); len(f) > 0 && f[0] == name {
			return strings.TrimSpace(l)
		}
	}
	return ""
}

func TestFetch(t *testing.T) {
	tests := []struct {
		name     string
		paths    []string
		wantCode int
		want     map[string][]string // source → fields its line must contain
	}{
		{
			name:     "one source fails",
			paths:    []string{"/ok", "/500"},
			wantCode: 0,
			want: map[string][]string{
				"srcok":  {"ok", " 2 ", " 1 "},
				"src500": {"error:", "500 Internal Server Error"},
			},
		},
		{
			name:     "every source fails",
			paths:    []string{"/500"},
			wantCode: 1,
			want:     map[string][]string{"src500": {"error:", "500"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := sourcesConfig(t, tt.paths...)
			var out, errb bytes.Buffer
			err := Run(context.Background(), []string{"fetch", "--config", path}, &out, &errb)
			if got := exitCode(err); got != tt.wantCode {
				t.Errorf("exit code: got %d (%v), want %d\nstdout:\n%s\nstderr:\n%s", got, err, tt.wantCode, &out, &errb)
			}
			if n := strings.Count(out.String(), "\n"); n != len(tt.paths)+1 {
				t.Errorf("got %d lines, want a header and one per source:\n%s", n, &out)
			}
			for src, parts := range tt.want {
				line := lineOf(out.String(), src)
				for _, p := range parts {
					if !strings.Contains(line+" ", p) {
						t.Errorf("%s: got line %q, want it to contain %q", src, line, p)
					}
				}
			}
		})
	}
}

// A second `vigie fetch` of a server that answers 200 with the same bytes
// says so, apart from a 304, and counts the items stored, none new.
func TestFetchSameBody(t *testing.T) {
	path := sourcesConfig(t, "/ok")
	for i, want := range []string{"srcok ok 2 2 0 1", "srcok same body (200, not parsed again) 2 0 0 0"} {
		var out, errb bytes.Buffer
		if err := Run(context.Background(), []string{"fetch", "--config", path}, &out, &errb); err != nil {
			t.Fatalf("fetch %d: %v\n%s", i+1, err, &errb)
		}
		if got := strings.Join(strings.Fields(lineOf(out.String(), "srcok")), " "); !strings.HasPrefix(got, want) {
			t.Errorf("fetch %d: got line %q, want it to start with %q", i+1, got, want)
		}
	}
}
