package store_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/vigie-watch/vigie/internal/pgtest"
	"github.com/vigie-watch/vigie/internal/store"
	"github.com/vigie-watch/vigie/internal/watch"
)

// TestCopy moves a watch from each engine to the other: the entries keep
// their ids and order, the sources their state, the tombstones their
// effect, and the target gives no id the source gave.
func TestCopy(t *testing.T) {
	for _, pair := range [][2]engine{{"sqlite", "postgresql"}, {"postgresql", "sqlite"}, {"sqlite", "sqlite"}} {
		t.Run(string(pair[0])+"-to-"+string(pair[1]), func(t *testing.T) { testCopy(t, pair[0], pair[1]) })
	}
}

func testCopy(t *testing.T, fromEng, toEng engine) {
	for _, e := range []engine{fromEng, toEng} {
		if e == "postgresql" {
			pgtest.Skip(t, store.PostgresForTests())
		}
	}
	ctx := context.Background()
	from := fromEng.open(t)
	from.ingest("a", day(0),
		pub("a1", "https://example.org/1", "Un", day(-1)),
		pub("a2", "https://example.org/2", "Deux", day(-1)))
	from.ingest("b", day(0), pub("b1", "https://example.org/1?utm_source=b", "Un, autre flux", day(-1)))
	from.ingest("a", day(1), pub("a3", "https://example.org/3", "Trois", day(1)))
	from.ingest("a", day(1), unpub("old", "https://example.org/old", "Vieille", day(-1)))
	st := source("a")
	st.ETag, st.LastStatus, st.ConsecutiveFailures = `"v1"`, 200, 0
	if err := from.SaveSource(ctx, st); err != nil {
		t.Fatal(err)
	}
	// The unpublished story, id 4, is deleted: its id is never given
	// again, its link is remembered.
	if n, err := from.PruneAt(ctx, day(400), day(100), day(0)); err != nil || n != 1 {
		t.Fatalf("prune: %d, %v", n, err)
	}
	want := from.entries("")

	to := toEng.open(t)
	n, err := store.Copy(ctx, from.Store, to.Store, false)
	if err != nil {
		t.Fatal(err)
	}
	if n.Stories != 3 || n.GUIDs != 4 || n.Sources != 2 || n.Tombstones != 2 {
		t.Errorf("copied: got %+v, want 3 stories, 4 GUIDs, 2 sources, 2 tombstones", n)
	}
	got := to.entries("")
	if !slices.EqualFunc(got, want, func(a, b watch.Entry) bool {
		return a.ID == b.ID && a.Title == b.Title && a.Published.Equal(b.Published) && a.Updated.Equal(b.Updated) && slices.Equal(a.Keywords, b.Keywords)
	}) {
		t.Errorf("entries after the copy:\ngot  %+v\nwant %+v", got, want)
	}
	srcs, err := to.StorySources(ctx, want[len(want)-1].ID)
	if err != nil || !slices.Equal(srcs, []string{"a", "b"}) {
		t.Errorf("sources of the first story: got %q, %v, want [a b]", srcs, err)
	}
	if s, err := to.Source(ctx, "a"); err != nil || s.ETag != `"v1"` || s.LastStatus != 200 {
		t.Errorf("source a: got %+v, %v", s, err)
	}
	// Same behaviour on the copy: known GUIDs are not new, the deleted
	// story stays deleted, a new story gets an id after every one given.
	res := to.ingest("a", day(2),
		pub("a1", "https://example.org/1", "Un", day(-1)),
		unpub("old", "https://example.org/old", "Vieille", day(-1)),
		pub("a4", "https://example.org/4", "Quatre", day(2)))
	wantResult(t, "ingest into the copy", res, watch.IngestResult{Seen: 3, New: 1, Published: 1})
	if n := to.count("SELECT COUNT(*) FROM stories WHERE id = 5 AND title = 'Quatre'"); n != 1 {
		t.Errorf("new story with id 5 (after the 4 ever given): got %d rows", n)
	}
	if err := to.Check(ctx); err != nil {
		t.Error(err)
	}

	// A target that holds a watch is refused, unless replacing is asked.
	if _, err := store.Copy(ctx, from.Store, to.Store, false); !errors.Is(err, store.ErrTargetNotEmpty) {
		t.Errorf("copy into a non-empty target: got %v, want ErrTargetNotEmpty", err)
	}
	if _, err := store.Copy(ctx, from.Store, to.Store, true); err != nil {
		t.Fatalf("copy with replace: %v", err)
	}
	if got := to.entries(""); len(got) != len(want) {
		t.Errorf("entries after replacing: got %d, want %d", len(got), len(want))
	}
}

// TestCopyTextPostgreSQLCannotHold copies, from SQLite to PostgreSQL, a
// watch whose item and source state hold NUL bytes and invalid UTF-8
// (SQLite stores any bytes): the copy stores them as PostgreSQL can, as
// Ingest would have, and the item is still recognised when it comes again.
func TestCopyTextPostgreSQLCannotHold(t *testing.T) {
	pgtest.Skip(t, store.PostgresForTests())
	ctx := context.Background()
	from := engine("sqlite").open(t)
	to := engine("postgresql").open(t)
	it := pub("g\x00nul", "https://example.org/nul", "Reconnaissance\x00 faciale \xff", day(-1))
	it.Item.Categories = []string{"vid\x00éo"}
	from.ingest("a", t0, it)
	st := source("a")
	st.LastError = "bad \x00 byte \xff"
	if err := from.SaveSource(ctx, st); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Copy(ctx, from.Store, to.Store, false); err != nil {
		t.Fatalf("copy: %v", err)
	}
	if es := to.entries(""); len(es) != 1 || !strings.Contains(es[0].Title, "faciale") {
		t.Errorf("entries after the copy: got %+v, want the item", es)
	}
	wantResult(t, "the item again", to.ingest("a", day(1), it), watch.IngestResult{Seen: 1})
}
