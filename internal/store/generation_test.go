package store_test

import (
	"context"
	"testing"
	"time"
)

// TestOwnCommitsAreNotOutsideCommits: a write of this Store that changes no
// published entry (a source's state saved after a 304) leaves the
// generation as it is, even once the look for other processes' commits
// has run: the feeds are not rendered again for nothing.
func TestOwnCommitsAreNotOutsideCommits(t *testing.T) { both(t, testOwnCommitsAreNotOutsideCommits) }

func testOwnCommitsAreNotOutsideCommits(t *testing.T, eng engine) {
	d := eng.open(t)
	d.Generation() // the first look outside, from which the next is a second away
	d.ingest("franceinfo", day(1), pub("g1", "https://www.francetvinfo.fr/a_1.html", "Reconnaissance faciale", day(1)))
	for range 3 {
		if err := d.SaveSource(context.Background(), source("franceinfo")); err != nil {
			t.Fatal(err)
		}
	}
	before := d.Generation()
	time.Sleep(1100 * time.Millisecond) // past the interval between two looks outside
	if after := d.Generation(); after != before {
		t.Errorf("generation after this Store's own state saves: got %d, want %d (unchanged)", after, before)
	}
}

// TestOutsideCommitNoticedByOwnWrite: another process's commit followed by a
// write of this Store changes the generation at once, without waiting for
// the next look outside.
func TestOutsideCommitNoticedByOwnWrite(t *testing.T) { both(t, testOutsideCommitNoticedByOwnWrite) }

func testOutsideCommitNoticedByOwnWrite(t *testing.T, eng engine) {
	database := eng.database(t)
	daemon, fetch := openAt(t, database), openAt(t, database)
	before := daemon.Generation()
	fetch.ingest("franceinfo", day(1), pub("g1", "https://www.francetvinfo.fr/a_1.html", "Reconnaissance faciale", day(1)))
	if err := daemon.SaveSource(context.Background(), source("disclose")); err != nil {
		t.Fatal(err)
	}
	if after := daemon.Generation(); after == before {
		t.Errorf("generation unchanged after another process's commit and a write of ours: %d", after)
	}
	if got := titlesOf(daemon.entries("")); len(got) != 1 {
		t.Errorf("entries seen by the daemon: got %q, want the one fetched", got)
	}
}
