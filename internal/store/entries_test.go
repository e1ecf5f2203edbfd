package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/vigie-watch/vigie/internal/watch"
)

func fmtID(prefix string, i int) string { return fmt.Sprintf("%s%04d", prefix, i) }

func TestEntriesOrderAndLimit(t *testing.T) { both(t, testEntriesOrderAndLimit) }

func testEntriesOrderAndLimit(t *testing.T, eng engine) {
	d := eng.open(t)
	d.ingest("a", t0,
		pub("1", "https://example.org/1", "tie 1", day(-2)),
		pub("2", "https://example.org/2", "newest", day(-1)),
		pub("3", "https://example.org/3", "tie 2", day(-2)),
		pub("4", "https://example.org/4", "oldest", day(-9)),
		unpub("5", "https://example.org/5", "unpublished", day(0)))
	d.ingest("b", t0, pub("1", "https://example.org/6", "tie 3", day(-2)))
	want := []string{"newest", "tie 3", "tie 2", "tie 1", "oldest"}
	for range 3 {
		if got := titlesOf(d.entries("")); !slices.Equal(got, want) {
			t.Fatalf("entries: got %q, want %q", got, want)
		}
	}
	es, err := d.Entries(context.Background(), "", 2)
	if err != nil {
		t.Fatal(err)
	}
	if got := titlesOf(es); !slices.Equal(got, want[:2]) {
		t.Errorf("limit 2: got %q, want %q", got, want[:2])
	}
	if got := d.entries("")[0].Keywords; !slices.Equal(got, []string{"reconnaissance faciale"}) {
		t.Errorf("keywords: got %q", got)
	}
}

func TestRematchReplacesMatches(t *testing.T) { both(t, testRematchReplacesMatches) }

func testRematchReplacesMatches(t *testing.T, eng engine) {
	d := eng.open(t)
	d.ingest("a", t0,
		pub("1", "https://example.org/1", "BriefCam et la police", day(-1)),
		unpub("2", "https://example.org/2", "Drones en manifestation", day(-2)),
		pub("3", "https://example.org/3", "Autre chose", day(-3)))
	gen := d.Generation()
	n, err := d.Rematch(context.Background(), func(tx watch.Text) map[string][]string {
		m := map[string][]string{}
		if slices.Contains([]string{"BriefCam et la police", "Drones en manifestation"}, tx.Title) {
			m[""] = []string{"police", "drones"}
		}
		if tx.Title == "Drones en manifestation" {
			m["drones"] = []string{"drones"}
		}
		return m
	})
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Errorf("published: got %d, want 2", n)
	}
	if d.Generation() == gen {
		t.Error("generation unchanged by a rematch")
	}
	if got, want := titlesOf(d.entries("")), []string{"BriefCam et la police", "Drones en manifestation"}; !slices.Equal(got, want) {
		t.Errorf("main feed: got %q, want %q", got, want)
	}
	es := d.entries("drones")
	if got, want := titlesOf(es), []string{"Drones en manifestation"}; !slices.Equal(got, want) {
		t.Errorf("topic: got %q, want %q", got, want)
	}
	if len(es) == 1 && !slices.Equal(es[0].Keywords, []string{"drones"}) {
		t.Errorf("topic keywords: got %q, want [drones]", es[0].Keywords)
	}
}

// TestBatchIDs guards against trusting the IDs a batch insert writes back:
// every GUID and match row must point to its own story, across several
// insert batches, with stories already stored and links shared in a batch.
func TestBatchIDs(t *testing.T) { both(t, testBatchIDs) }

func testBatchIDs(t *testing.T, eng engine) {
	d := eng.open(t)
	d.ingest("a", t0, pub("pre-1", "https://example.org/pre/1", "pre 1", day(-1)), pub("pre-2", "https://example.org/pre/2", "pre 2", day(-1)))
	var items []watch.Incoming
	for i := range 450 {
		link := fmtID("https://example.org/s/", i)
		if i%7 == 6 {
			link = fmtID("https://example.org/s/", i-1) + "#xtor=RSS-3" // same story as the one before
		}
		it := pub(fmtID("g", i), link, fmtID("titre ", i), day(-1))
		it.Matches = map[string][]string{"": {fmtID("kw", i)}}
		items = append(items, it)
	}
	items = append(items, pub("pre-1-bis", "https://example.org/pre/1?utm_source=x", "pre 1 again", day(-1)))
	res := d.ingest("b", t0, items...)
	wantResult(t, "ingest", res, watch.IngestResult{Seen: 451, New: 450 - 450/7, Published: 450 - 450/7})

	// Each GUID row's story has the link of that GUID's item.
	if got := d.count(`SELECT COUNT(*) FROM guids JOIN stories ON stories.id = guids.story_id
		WHERE guids.source = 'b' AND guids.guid LIKE 'g%' AND
		CAST(substr(guids.guid, 2) AS INTEGER) - (CASE WHEN CAST(substr(guids.guid, 2) AS INTEGER) % 7 = 6 THEN 1 ELSE 0 END) <> CAST(substr(stories.link_key, length('example.org/s/') + 1) AS INTEGER)`); got != 0 {
		t.Errorf("GUID rows pointing to the wrong story: got %d, want 0", got)
	}
	if got := d.count("SELECT COUNT(*) FROM guids WHERE source = 'b'"); got != 451 {
		t.Errorf("GUID rows: got %d, want 451", got)
	}
	if got := d.count(`SELECT COUNT(*) FROM guids JOIN stories ON stories.id = guids.story_id WHERE guids.guid = 'pre-1-bis' AND stories.title = 'pre 1'`); got != 1 {
		t.Errorf("GUID of a stored story: got %d rows pointing to it, want 1", got)
	}
	// Each match row is the story's own.
	if got := d.count(`SELECT COUNT(*) FROM matches JOIN stories ON stories.id = matches.story_id
		WHERE stories.title LIKE 'titre %' AND substr(matches.keywords, 3) != substr(stories.title, 7)`); got != 0 {
		t.Errorf("match rows of the wrong story: got %d, want 0", got)
	}
	if got := d.count("SELECT COUNT(*) FROM guids LEFT JOIN stories ON stories.id = guids.story_id WHERE stories.id IS NULL"); got != 0 {
		t.Errorf("orphan GUID rows: got %d, want 0", got)
	}
}

// TestGenerationSeesOtherProcesses: a daemon's store notices what `vigie
// fetch`, another process on the same file, committed, so that its cached
// feeds are rendered again.
func TestGenerationSeesOtherProcesses(t *testing.T) { both(t, testGenerationSeesOtherProcesses) }

func testGenerationSeesOtherProcesses(t *testing.T, eng engine) {
	database := eng.database(t)
	daemon, fetch := openAt(t, database), openAt(t, database)
	before := daemon.Generation()
	if again := daemon.Generation(); again != before {
		t.Fatalf("generation changed with no write: %d, then %d", before, again)
	}
	fetch.ingest("franceinfo", day(1), pub("g1", "https://www.francetvinfo.fr/a_1.html", "Reconnaissance faciale", day(1)))
	deadline := time.Now().Add(5 * time.Second)
	for daemon.Generation() == before {
		if time.Now().After(deadline) {
			t.Fatal("generation unchanged 5 s after another connection committed")
		}
		time.Sleep(50 * time.Millisecond)
	}
	if got := titlesOf(daemon.entries("")); len(got) != 1 {
		t.Errorf("entries seen by the daemon: got %q, want the one fetched", got)
	}
}
