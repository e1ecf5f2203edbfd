package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/vigie-watch/vigie/internal/watch"
)

// TestSourceStatesTheEngineCannotHold: states saved one by one, in a
// batch (the 304 saver) or with a feed's items (Ingest) store an
// upstream's NUL bytes and invalid UTF-8 as the engine can hold them,
// instead of failing the save.
func TestSourceStatesTheEngineCannotHold(t *testing.T) {
	both(t, testSourceStatesTheEngineCannotHold)
}

func testSourceStatesTheEngineCannotHold(t *testing.T, eng engine) {
	d := eng.open(t)
	hostile := func(name string) watch.SourceState {
		st := source(name)
		st.ETag = "\"a\x00b\xff\""
		st.LastError = "parse: bad byte \x00 in \xc3("
		return st
	}
	if err := d.SaveSource(context.Background(), hostile("one")); err != nil {
		t.Fatalf("SaveSource: %v", err)
	}
	if err := d.SaveSources(context.Background(), []watch.SourceState{hostile("two"), hostile("three")}); err != nil {
		t.Fatalf("SaveSources: %v", err)
	}
	if _, err := d.Ingest(context.Background(), hostile("four"), nil, t0); err != nil {
		t.Fatalf("Ingest: %v", err)
	}
	states, err := d.Sources(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(states) != 4 {
		t.Fatalf("sources stored: got %d, want 4", len(states))
	}
	for _, st := range states {
		if st.LastError == "" || st.ETag == "" {
			t.Errorf("%s: got error %q and ETag %q, want them kept", st.Name, st.LastError, st.ETag)
		}
	}
}

// TestSourceWatchKeptAcrossRestarts: what the engine keeps of a source
// beyond its validators (the digest of its last body, since when it has
// been empty or failing) is stored, read back after reopening, and
// cleared when saved cleared.
func TestSourceWatchKeptAcrossRestarts(t *testing.T) {
	both(t, testSourceWatchKeptAcrossRestarts)
}

func testSourceWatchKeptAcrossRestarts(t *testing.T, eng engine) {
	ctx := context.Background()
	d := eng.open(t)
	st := source("one")
	st.BodyDigest = "sha256:abc"
	st.EmptySince = day(-8).Add(1500 * time.Millisecond)
	st.FailingSince = day(-2)
	if err := d.SaveSource(ctx, st); err != nil {
		t.Fatal(err)
	}
	d.Close()
	d = openAt(t, d.database)
	got, err := d.Source(ctx, "one")
	if err != nil {
		t.Fatal(err)
	}
	if got.BodyDigest != st.BodyDigest || !got.EmptySince.Equal(st.EmptySince) || !got.FailingSince.Equal(st.FailingSince) {
		t.Errorf("after reopening: got digest %q, empty since %v, failing since %v; want %q, %v, %v",
			got.BodyDigest, got.EmptySince, got.FailingSince, st.BodyDigest, st.EmptySince, st.FailingSince)
	}
	st.BodyDigest, st.EmptySince, st.FailingSince = "", time.Time{}, time.Time{}
	if err := d.SaveSources(ctx, []watch.SourceState{st}); err != nil {
		t.Fatal(err)
	}
	got, err = d.Source(ctx, "one")
	if err != nil {
		t.Fatal(err)
	}
	if got.BodyDigest != "" || !got.EmptySince.IsZero() || !got.FailingSince.IsZero() {
		t.Errorf("after clearing: got digest %q, empty since %v, failing since %v; want all zero",
			got.BodyDigest, got.EmptySince, got.FailingSince)
	}
}

// TestWriterConnectionReplaced: when the connection SQLite's writes run
// on is gone (database/sql gives up a bad connection for good), the next
// write takes a new one instead of failing forever.
func TestWriterConnectionReplaced(t *testing.T) {
	d := engine("sqlite").open(t)
	ctx := context.Background()
	if err := d.SaveSource(ctx, source("one")); err != nil {
		t.Fatal(err)
	}
	if !d.LoseWriterConnection() {
		t.Fatal("no writer connection to lose")
	}
	if err := d.SaveSource(ctx, source("two")); err != nil {
		t.Fatalf("write after losing the writer's connection: %v", err)
	}
	d.ingest("three", t0, pub("g1", "https://example.org/a/1", "Un", day(-1)))
	states, err := d.Sources(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(states) != 3 {
		t.Errorf("sources stored: got %d, want 3", len(states))
	}
}

// TestSourceSaveKeepsPageHealth: a source's state saved by its next cycle
// (after a 304, or with its items), from a state read before its pages
// were saved, keeps the page health SavePages wrote.
func TestSourceSaveKeepsPageHealth(t *testing.T) { both(t, testSourceSaveKeepsPageHealth) }

func testSourceSaveKeepsPageHealth(t *testing.T, eng engine) {
	ctx := context.Background()
	d := eng.open(t)
	d.ingest("fi", t0, full(unpub("a", "https://news.example/a", "A", day(-1))))
	stale, err := d.Source(ctx, "fi")
	if err != nil {
		t.Fatal(err)
	}
	failed := watch.PageResult{EntryID: entryID(t, d), Err: "GET: 503", Tries: 1, NextDue: t0.Add(time.Hour)}
	if err := d.SavePages(ctx, "fi", []watch.PageResult{failed}, watch.PageHealth{Failed: 1, LastError: failed.Err}, t0); err != nil {
		t.Fatal(err)
	}
	wantHealth := func(when string) {
		t.Helper()
		st, err := d.Source(ctx, "fi")
		if err != nil {
			t.Fatal(err)
		}
		if st.PagesFailed != 1 || st.LastPageError != failed.Err {
			t.Errorf("%s: page health %d, %q; want 1, %q", when, st.PagesFailed, st.LastPageError, failed.Err)
		}
	}
	wantHealth("after SavePages")
	if err := d.SaveSource(ctx, stale); err != nil {
		t.Fatal(err)
	}
	wantHealth("after SaveSource")
	if err := d.SaveSources(ctx, []watch.SourceState{stale}); err != nil {
		t.Fatal(err)
	}
	wantHealth("after SaveSources")
	if _, err := d.Ingest(ctx, stale, nil, t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	wantHealth("after Ingest")
}
