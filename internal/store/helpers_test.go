package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // raw reads of the database under test
	_ "github.com/mattn/go-sqlite3"

	"github.com/vigie-watch/vigie/internal/pgtest"

	"github.com/vigie-watch/vigie/internal/dburl"
	"github.com/vigie-watch/vigie/internal/store"
	"github.com/vigie-watch/vigie/internal/watch"
)

// t0 is the fake clock's origin.
var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func day(n int) time.Time { return t0.Add(time.Duration(n) * 24 * time.Hour) }

type db struct {
	*store.Store
	t        testing.TB
	database string // the `database:` setting: SQLite path or PostgreSQL URL
}

// engine is a database engine the tests run on.
type engine string

var engines = []engine{"sqlite", "postgresql"}

// onEngines runs a test on each engine, in subtests named after them. The
// PostgreSQL one skips, saying so, when PostgreSQL is not installed.
func onEngines[T testing.TB](t T, run func(t T, e engine), sub func(T, string, func(T)) bool) {
	for _, e := range engines {
		sub(t, string(e), func(t T) {
			if e == "postgresql" {
				pgtest.Skip(t, store.PostgresForTests())
			}
			run(t, e)
		})
	}
}

// both runs a test on each engine.
func both(t *testing.T, run func(t *testing.T, e engine)) {
	onEngines(t, run, (*testing.T).Run)
}

// database returns a new, empty database on the engine.
func (e engine) database(t testing.TB) string {
	t.Helper()
	if e == "postgresql" {
		return store.PostgresForTests().NewDatabase(t)
	}
	return filepath.Join(t.TempDir(), "vigie.db")
}

// open opens a new, empty database on the engine.
func (e engine) open(t testing.TB) *db {
	t.Helper()
	return openAt(t, e.database(t))
}

func openAt(t testing.TB, database string) *db {
	t.Helper()
	s, err := store.Open(context.Background(), database)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return &db{Store: s, t: t, database: database}
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

// count runs a counting query on the database itself, through a
// connection of its own.
func (d *db) count(query string, args ...any) int {
	d.t.Helper()
	raw := rawDB(d.t, d.database)
	defer raw.Close()
	var n int
	if err := raw.QueryRow(placeholders(d.database, query), args...).Scan(&n); err != nil {
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

// exec runs a statement on the database through a connection of its own.
func (d *db) exec(query string, args ...any) {
	d.t.Helper()
	raw := rawDB(d.t, d.database)
	defer raw.Close()
	if _, err := raw.Exec(placeholders(d.database, query), args...); err != nil {
		d.t.Fatalf("%s: %v", query, err)
	}
}

func rawDB(t testing.TB, database string) *sql.DB {
	t.Helper()
	driver, dsn := "sqlite3", "file:"+database
	if dburl.IsPostgres(database) {
		driver, dsn = "pgx", database
	}
	raw, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// placeholders numbers the ? of a query for PostgreSQL.
func placeholders(database, query string) string {
	if !dburl.IsPostgres(database) {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
