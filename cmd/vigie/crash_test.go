package main

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3" // raw reads of the database under test

	"github.com/vigie-watch/vigie/internal/store"
	"github.com/vigie-watch/vigie/internal/vigietest"
)

// The crash test's upstream: crashSources feeds of crashItems items each;
// neighbouring feeds share crashOverlap stories (the same link, with their
// own GUID and tracking parameters); one story in crashEvery matches.
const (
	crashSources = 6
	crashItems   = 1500
	crashOverlap = 500
	crashEvery   = 7
)

// crashStories is how many distinct stories the upstream carries.
const crashStories = crashSources*(crashItems-crashOverlap) + crashOverlap

func crashFeed(src int) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Source %d</title><link>https://src%d.example/</link>
`, src, src)
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for k := range crashItems {
		j := src*(crashItems-crashOverlap) + k // the story
		title := fmt.Sprintf("Article %d sur la vie locale", j)
		if j%crashEvery == 0 {
			title = fmt.Sprintf("Article %d : la reconnaissance faciale en débat", j)
		}
		fmt.Fprintf(&b, `<item><title>%s</title><link>https://news.example/story/%d?utm_source=src%d&amp;at_medium=rss#xtor=RSS-%d</link>
<guid isPermaLink="false">src%d-%d</guid><pubDate>%s</pubDate>
<description>Résumé de l'article %d, assez long pour peser un peu dans la base.</description></item>
`, title, j, src, src, src, k, base.Add(-time.Duration(j)*time.Minute).Format(time.RFC1123Z), j)
	}
	b.WriteString("</channel></rss>\n")
	return []byte(b.String())
}

// crashUpstream serves the feeds at /feed/N; while hold >= 0, the feed of
// that source never answers, so that a cycle cannot complete before it is
// killed.
type crashUpstream struct {
	*vigietest.Upstream
	hold   atomic.Int32
	served atomic.Int32
}

func newCrashUpstream(t *testing.T) *crashUpstream {
	u := &crashUpstream{Upstream: vigietest.NewUpstream(t)}
	u.hold.Store(-1)
	for i := range crashSources {
		feed := vigietest.Body("application/rss+xml; charset=UTF-8", crashFeed(i))
		u.HandleFunc(fmt.Sprintf("/feed/%d", i), func(w http.ResponseWriter, r *http.Request) {
			if int32(i) == u.hold.Load() {
				<-r.Context().Done()
				return
			}
			feed(w, r)
			u.served.Add(1)
		})
	}
	return u
}

func crashConfig(t *testing.T, dir string, u *crashUpstream) string {
	var b strings.Builder
	fmt.Fprintf(&b, "database: %s\nfeed:\n  title: crash\n  url: http://vigie.example/feed.atom\nkeywords: [reconnaissance faciale]\nsources:\n",
		filepath.Join(dir, "vigie.db"))
	for i := range crashSources {
		fmt.Fprintf(&b, "  - name: source %d\n    url: %s\n", i, u.URL(fmt.Sprintf("/feed/%d", i)))
	}
	path := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestKillDuringCycle kills `vigie fetch` with SIGKILL at random moments of
// its cycle, then lets it complete, and checks that the database holds
// every story once, with the ids of an uninterrupted run.
func TestKillDuringCycle(t *testing.T) {
	if testing.Short() {
		t.Skip("builds vigie and runs it many times")
	}
	bin := buildVigie(t, t.TempDir())
	u := newCrashUpstream(t)
	fetch := func(cfg string) *exec.Cmd {
		cmd := exec.Command(bin, "fetch", "--config", cfg)
		cmd.Stderr = t.Output()
		return cmd
	}

	refDir := t.TempDir()
	if err := fetch(crashConfig(t, refDir, u)).Run(); err != nil {
		t.Fatalf("reference run: %v", err)
	}
	want := publishedIDs(t, filepath.Join(refDir, "vigie.db"))
	if got, wantN := len(want), (crashStories+crashEvery-1)/crashEvery; got != wantN {
		t.Fatalf("reference run: got %d published stories, want %d", got, wantN)
	}
	checkStories(t, filepath.Join(refDir, "vigie.db"))

	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rnd := rand.New(rand.NewPCG(seed, seed))
	for round := range 3 {
		dir := t.TempDir()
		cfg := crashConfig(t, dir, u)
		dbPath := filepath.Join(dir, "vigie.db")
		seen := map[string]string{}
		for kill := range 2 {
			held := rnd.IntN(crashSources)
			heldName := fmt.Sprintf("source %d", held)
			heldRows := 0
			if kill > 0 {
				heldRows = rawCount(t, dbPath, "SELECT COUNT(*) FROM guids WHERE source = ?", heldName)
			}
			u.hold.Store(int32(held))
			u.served.Store(0)
			after := int32(rnd.IntN(crashSources - 1))                // responses served before the kill
			delay := time.Duration(rnd.IntN(3000)) * time.Millisecond // a cycle takes 1 to 4 s
			cmd := fetch(cfg)
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			for u.served.Load() < after {
				time.Sleep(time.Millisecond)
			}
			time.Sleep(delay)
			if err := cmd.Process.Kill(); err != nil {
				t.Fatal(err)
			}
			cmd.Wait()
			// Opening the store first, as the next run does: a process killed
			// before it created the schema leaves an empty file.
			got := publishedIDs(t, dbPath)
			// The cycle was cut short: the held source stored nothing.
			if n := rawCount(t, dbPath, "SELECT COUNT(*) FROM guids WHERE source = ?", heldName); n != heldRows {
				t.Errorf("round %d, kill %d: the held source has %d GUID rows, want %d", round, kill, n, heldRows)
			}
			t.Logf("round %d, kill %d after %d responses + %v: %d stories stored", round, kill, after, delay,
				rawCount(t, dbPath, "SELECT COUNT(*) FROM stories"))
			// No published entry is lost, none has another id.
			for id, title := range seen {
				if got[id] != title {
					t.Errorf("round %d, kill %d: entry %s (%s) lost or changed: got %q", round, kill, id, title, got[id])
				}
			}
			for id, title := range got {
				if want[id] != title {
					t.Errorf("round %d, kill %d: entry %s %q, not in the reference run", round, kill, id, title)
				}
			}
			seen = got
		}
		u.hold.Store(-1)
		if err := fetch(cfg).Run(); err != nil {
			t.Fatalf("round %d: run after the kills: %v", round, err)
		}
		got := publishedIDs(t, dbPath)
		if len(got) != len(want) {
			t.Errorf("round %d: got %d published entries, want %d", round, len(got), len(want))
		}
		for id, title := range want {
			if got[id] != title {
				t.Errorf("round %d: entry %s: got %q, want %q", round, id, got[id], title)
			}
		}
		checkStories(t, dbPath)
	}
}

// publishedIDs returns the titles of the main feed's entries by id, after
// checking the store (Store.Check) and that no entry is listed twice.
func publishedIDs(t *testing.T, dbPath string) map[string]string {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.Check(ctx); err != nil {
		t.Fatal(err)
	}
	es, err := st.Entries(ctx, "", 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, e := range es {
		if _, dup := out[e.ID]; dup {
			t.Errorf("entry %s listed twice", e.ID)
		}
		out[e.ID] = e.Title
	}
	return out
}

// checkStories checks a completed database: every story once, every item's
// GUID recorded once and pointing to its story.
func checkStories(t *testing.T, dbPath string) {
	t.Helper()
	for _, c := range []struct {
		what  string
		query string
		want  int
	}{
		{"stories", "SELECT COUNT(*) FROM stories", crashStories},
		{"distinct links", "SELECT COUNT(DISTINCT link_key) FROM stories", crashStories},
		{"GUID rows", "SELECT COUNT(*) FROM guids", crashSources * crashItems},
		{"GUIDs of another story", `SELECT COUNT(*) FROM guids JOIN stories ON stories.id = guids.story_id
			WHERE stories.link_key != 'news.example/story/' || (CAST(substr(guids.source, 8) AS INTEGER) * ` +
			fmt.Sprint(crashItems-crashOverlap) + ` + CAST(substr(guids.guid, instr(guids.guid, '-') + 1) AS INTEGER))`, 0},
		{"published", "SELECT COUNT(*) FROM matches WHERE topic = ''", (crashStories + crashEvery - 1) / crashEvery},
	} {
		if got := rawCount(t, dbPath, c.query); got != c.want {
			t.Errorf("%s: got %d, want %d", c.what, got, c.want)
		}
	}
}

var rawMu sync.Mutex

func rawCount(t *testing.T, dbPath, query string, args ...any) int {
	t.Helper()
	rawMu.Lock()
	defer rawMu.Unlock()
	db, err := sql.Open("sqlite3", "file:"+dbPath+"?_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}
