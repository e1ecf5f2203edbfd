package store_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3" // raw reads of the database under test

	"github.com/vigie-watch/vigie/internal/store"
	"github.com/vigie-watch/vigie/internal/watch"
)

// t0 is the fake clock's origin.
var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func day(n int) time.Time { return t0.Add(time.Duration(n) * 24 * time.Hour) }

type db struct {
	*store.Store
	t    testing.TB
	path string
}

func openDB(t testing.TB) *db {
	t.Helper()
	path := filepath.Join(t.TempDir(), "vigie.db")
	return openAt(t, path)
}

func openAt(t testing.TB, path string) *db {
	t.Helper()
	s, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return &db{Store: s, t: t, path: path}
}

func source(name string) watch.SourceState {
	return watch.SourceState{Name: name, URL: "https://" + name + ".example/feed"}
}

// pub is an item published in the main feed.
func pub(guid, link, title string, published time.Time) watch.Incoming {
	return watch.Incoming{
		Item:    watch.Item{GUID: guid, Link: link, Title: title, Summary: "<p>" + title + "</p>", Published: published},
		Matches: map[string][]string{"": {"reconnaissance faciale"}},
	}
}

// unpub is an item that matches nothing.
func unpub(guid, link, title string, published time.Time) watch.Incoming {
	it := pub(guid, link, title, published)
	it.Matches = nil
	return it
}

func (d *db) ingest(src string, now time.Time, items ...watch.Incoming) watch.IngestResult {
	d.t.Helper()
	res, err := d.Ingest(context.Background(), source(src), items, now)
	if err != nil {
		d.t.Fatalf("ingest %s: %v", src, err)
	}
	return res
}

func (d *db) entries(topic string) []watch.Entry {
	d.t.Helper()
	es, err := d.Entries(context.Background(), topic, 1000)
	if err != nil {
		d.t.Fatal(err)
	}
	return es
}

// count runs a counting query on the database file itself.
func (d *db) count(query string, args ...any) int {
	d.t.Helper()
	raw, err := sql.Open("sqlite3", "file:"+d.path+"?mode=ro")
	if err != nil {
		d.t.Fatal(err)
	}
	defer raw.Close()
	var n int
	if err := raw.QueryRow(query, args...).Scan(&n); err != nil {
		d.t.Fatalf("%s: %v", query, err)
	}
	return n
}

func wantResult(t testing.TB, what string, got, want watch.IngestResult) {
	t.Helper()
	if got != want {
		t.Errorf("%s: got %+v, want %+v", what, got, want)
	}
}

func titlesOf(es []watch.Entry) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.Title)
	}
	return out
}
