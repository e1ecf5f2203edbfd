package server_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	_ "gorm.io/driver/sqlite" // registers the sqlite3 driver, to read newsboat's cache

	"github.com/vigie-watch/vigie/internal/vigietest"
)

// TestReaderFeedparser has Python's feedparser (Debian package
// python3-feedparser) fetch the served feeds over HTTP, as a reader does:
// gzip, then a conditional request that must get 304.
func TestReaderFeedparser(t *testing.T) {
	const python = "/usr/bin/python3"
	if err := exec.Command(python, "-c", "import feedparser").Run(); err != nil {
		t.Skipf("skipping: %s cannot import feedparser (apt-get install python3-feedparser): %v", python, err)
	}
	h := newFetched(t)
	srv := httptest.NewServer(h.Handler)
	t.Cleanup(srv.Close)
	const script = `
import json, sys, feedparser
d = feedparser.parse(sys.argv[1])
again = feedparser.parse(sys.argv[1], etag=d.get("etag"), modified=d.get("modified"))
print(json.dumps({
    "bozo": int(d.bozo), "exc": str(d.get("bozo_exception", "")), "version": d.version,
    "status": d.get("status"), "encoding": d.get("encoding"), "gzip": d.headers.get("content-encoding", ""),
    "again": again.get("status"), "lang": d.feed.get("language", ""),
    "titles": [e.title for e in d.entries], "ids": [e.id for e in d.entries],
    "tags": [[t.term for t in e.get("tags", [])] for e in d.entries],
    "source": [e.get("source", {}).get("title", "") for e in d.entries],
}))
`
	type result struct {
		Bozo     int
		Exc      string
		Version  string
		Status   int
		Encoding string
		Gzip     string
		Again    int
		Lang     string
		Titles   []string
		IDs      []string
		Tags     [][]string
		Source   []string
	}
	tests := []struct{ path, version string }{
		{"/feed.atom", "atom10"},
		{"/feed.rss", "rss20"},
		{"/topics/vsa.atom", "atom10"},
		{"/topics/drones.rss", "rss20"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			out, err := exec.CommandContext(ctx, python, "-c", script, srv.URL+tt.path).Output()
			if err != nil {
				t.Fatalf("feedparser: %v", err)
			}
			var got result
			if err := json.Unmarshal(out, &got); err != nil {
				t.Fatalf("feedparser output %q: %v", out, err)
			}
			if got.Bozo != 0 || got.Version != tt.version {
				t.Fatalf("got bozo %d (%s) version %q, want bozo 0 version %s", got.Bozo, got.Exc, got.Version, tt.version)
			}
			if got.Status != 200 || got.Gzip != "gzip" || got.Encoding != "utf-8" {
				t.Errorf("got status %d, Content-Encoding %q, encoding %q; want 200, gzip, utf-8", got.Status, got.Gzip, got.Encoding)
			}
			if got.Again != 304 {
				t.Errorf("conditional request: got status %d, want 304", got.Again)
			}
			if !strings.HasPrefix(got.Lang, "fr") {
				t.Errorf("language: got %q, want fr", got.Lang)
			}
			want := h.Feed(tt.path)
			if !slices.Equal(got.Titles, vigietest.Titles(want)) {
				t.Errorf("titles:\n got %q\nwant %q", got.Titles, vigietest.Titles(want))
			}
			for i, id := range got.IDs {
				if id != want.Items[i].GUID {
					t.Errorf("entry %d id: got %q, want %q", i, id, want.Items[i].GUID)
				}
				if len(got.Tags[i]) == 0 {
					t.Errorf("entry %d: no categories", i)
				}
				if got.Source[i] == "" {
					t.Errorf("entry %d: no source", i)
				}
			}
		})
	}
}

// TestReaderNewsboat subscribes newsboat (Debian package newsboat) to the
// daemon's feed and reads what it stored.
func TestReaderNewsboat(t *testing.T) {
	const newsboat = "/usr/bin/newsboat"
	if _, err := os.Stat(newsboat); err != nil {
		t.Skipf("skipping: %s not installed (apt-get install newsboat)", newsboat)
	}
	h := newFetched(t)
	srv := httptest.NewServer(h.Handler)
	t.Cleanup(srv.Close)

	for _, path := range []string{"/feed.atom", "/feed.rss"} {
		t.Run(path, func(t *testing.T) {
			home := t.TempDir()
			urls := filepath.Join(home, "urls")
			conf := filepath.Join(home, "config")
			cache := filepath.Join(home, "cache.db")
			if err := os.WriteFile(urls, []byte(srv.URL+path+"\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(conf, []byte("reload-threads 1\nsuppress-first-reload yes\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			run := func(args ...string) string {
				t.Helper()
				ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
				defer cancel()
				cmd := exec.CommandContext(ctx, newsboat, append([]string{"-u", urls, "-C", conf, "-c", cache}, args...)...)
				cmd.Env = []string{"HOME=" + home, "LANG=C.UTF-8", "LC_ALL=C.UTF-8", "TERM=dumb", "PATH=/usr/bin:/bin"}
				out, err := cmd.CombinedOutput()
				if err != nil {
					t.Fatalf("newsboat %v: %v\n%s", args, err, out)
				}
				return string(out)
			}
			run("-x", "reload")
			if out := run("-x", "print-unread"); !strings.Contains(out, "4 unread articles") {
				t.Errorf("newsboat print-unread: got %q, want 4 unread articles", out)
			}
			// A second reload must not duplicate anything.
			run("-x", "reload")

			db, err := sql.Open("sqlite3", "file:"+cache+"?mode=ro")
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			rows, err := db.Query(`SELECT title, url, author FROM rss_item ORDER BY pubDate DESC`)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var got []string
			for rows.Next() {
				var title, url, author string
				if err := rows.Scan(&title, &url, &author); err != nil {
					t.Fatal(err)
				}
				got = append(got, title)
				if url == "" {
					t.Errorf("%q: no link", title)
				}
				if title == briefcam && author != "Élise Lucet" {
					t.Errorf("%q: author got %q, want Élise Lucet", title, author)
				}
			}
			if err := rows.Err(); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, mainTitles) {
				t.Errorf("newsboat's articles:\n got %q\nwant %q", got, mainTitles)
			}
			var feedTitle string
			if err := db.QueryRow(`SELECT title FROM rss_feed`).Scan(&feedTitle); err != nil {
				t.Fatal(err)
			}
			if feedTitle != "Veille : reconnaissance faciale" {
				t.Errorf("feed title: got %q, want Veille : reconnaissance faciale", feedTitle)
			}
		})
	}
}
