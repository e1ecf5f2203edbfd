package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/vigie-watch/vigie/internal/watch"
)

const (
	retention = 30 * 24 * time.Hour
	tombLife  = 365 * 24 * time.Hour
)

// prune runs retention as the engine does, at the fake time now.
func (d *db) prune(now time.Time) int {
	d.t.Helper()
	n, err := d.PruneAt(context.Background(), now, now.Add(-retention), now.Add(-tombLife))
	if err != nil {
		d.t.Fatal(err)
	}
	return n
}

func TestRetention(t *testing.T) { both(t, testRetention) }

func testRetention(t *testing.T, eng engine) {
	d := eng.open(t)
	kept := pub("kept", "https://example.org/kept", "Publié", day(-1))
	old := unpub("old", "https://example.org/old?id=1", "Ne correspond à rien", day(-1))
	nolink := unpub("nolink", "", "Ne correspond à rien, sans lien", day(-1))
	d.ingest("a", t0, kept, old, nolink)
	young := unpub("young", "https://example.org/young", "Récent", day(20))
	d.ingest("a", day(20), kept, old, nolink, young)

	if n := d.prune(day(29)); n != 0 {
		t.Errorf("before retention: got %d deleted, want 0", n)
	}
	if n := d.prune(day(31)); n != 2 {
		t.Errorf("after retention: got %d deleted, want 2", n)
	}
	if got := d.count("SELECT COUNT(*) FROM stories"); got != 2 {
		t.Errorf("stories left: got %d, want 2 (published and young)", got)
	}
	if got := d.count("SELECT COUNT(*) FROM guids WHERE guid IN ('old', 'nolink')"); got != 0 {
		t.Errorf("guid rows of deleted stories: got %d, want 0", got)
	}
	if es := d.entries(""); len(es) != 1 || es[0].Title != "Publié" {
		t.Errorf("entries: got %q, want the published one", titlesOf(es))
	}

	// Deleted items are never ingested again as new: by GUID, by link
	// from another source, even once they match.
	oldNow := old
	oldNow.Matches = kept.Matches
	wantResult(t, "same GUID", d.ingest("a", day(32), kept, oldNow, nolink, young), watch.IngestResult{Seen: 4})
	wantResult(t, "same link elsewhere", d.ingest("b", day(32), pub("b-1", "http://EXAMPLE.org/old/?id=1&utm_source=b", "Repris", day(-1))), watch.IngestResult{Seen: 1})
	if got := d.count("SELECT COUNT(*) FROM stories"); got != 2 {
		t.Errorf("stories after refetching deleted items: got %d, want 2", got)
	}

	// A published story is kept whatever its age.
	d.prune(day(300))
	if es := d.entries(""); len(es) != 1 {
		t.Errorf("entries after 300 days: got %q, want the published one", titlesOf(es))
	}
	// Tombstones are forgotten after their life.
	if got := d.count("SELECT COUNT(*) FROM tombstones"); got == 0 {
		t.Fatal("no tombstones")
	}
	d.prune(day(31).Add(tombLife + time.Hour))
	if got := d.count("SELECT COUNT(*) FROM tombstones"); got != 2 { // young's, deleted at day 300
		t.Errorf("tombstones after their life: got %d, want 2", got)
	}
	wantResult(t, "after the tombstone's life", d.ingest("a", day(400), old), watch.IngestResult{Seen: 1, New: 1})
}

func TestRetentionOfManyStories(t *testing.T) { both(t, testRetentionOfManyStories) }

func testRetentionOfManyStories(t *testing.T, eng engine) {
	d := eng.open(t)
	var items []watch.Incoming
	for i := range 1200 {
		items = append(items, unpub(fmtID("g", i), fmtID("https://example.org/a/", i), fmtID("titre ", i), day(-1)))
	}
	d.ingest("a", t0, items...)
	if n := d.prune(day(31)); n != 1200 {
		t.Errorf("deleted: got %d, want 1200", n)
	}
	if got := d.count("SELECT COUNT(*) FROM tombstones"); got != 2400 {
		t.Errorf("tombstones: got %d, want 2400 (a link and a GUID each)", got)
	}
	wantResult(t, "refetch", d.ingest("a", day(32), items...), watch.IngestResult{Seen: 1200})
}
