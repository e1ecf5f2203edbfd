package store_test

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vigie-watch/vigie/internal/canon"
	"github.com/vigie-watch/vigie/internal/dburl"
	"github.com/vigie-watch/vigie/internal/store"
)

// TestUpgradeFromV1 opens a database created before schema versions, by
// vigie's first releases, with the indexes on links and publication dates:
// it is brought to the latest version, the indexes are dropped, and its
// stories are still found by link and followed by the new ones.
func TestUpgradeFromV1(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	const link = "https://example.org/2026/old-story.html"
	key := canon.Link(link)
	createV1(t, path,
		"INSERT INTO stories (id, entry_id, link_key, link, title, published, updated, first_seen, source_name) "+
			"VALUES (41, '"+canon.EntryID(key)+"', '"+key+"', '"+link+"', 'Ancienne', "+
			"'2026-02-28 12:00:00+00:00', '2026-02-28 12:00:00+00:00', '2026-02-28 12:00:00+00:00', 'old')",
		"INSERT INTO guids (source, guid, story_id, hash) VALUES ('old', 'g-old', 41, 'x')",
		"INSERT INTO matches (story_id, topic, keywords) VALUES (41, '', 'reconnaissance faciale')",
		"DELETE FROM stories WHERE id = 41", // as retention does: its id is never given again
		"INSERT INTO stories (id, entry_id, link_key, link, title, published, updated, first_seen, source_name) "+
			"VALUES (40, '"+canon.EntryID(key)+"', '"+key+"', '"+link+"', 'Ancienne', "+
			"'2026-02-28 12:00:00+00:00', '2026-02-28 12:00:00+00:00', '2026-02-28 12:00:00+00:00', 'old')",
		"UPDATE guids SET story_id = 40",
		"INSERT INTO tombstones (key, removed) VALUES ('guid:old' || char(0) || 'g-dead', '2026-02-27 12:00:00+00:00')",
		"UPDATE matches SET story_id = 40",
	)

	d := openAt(t, path)
	wantVersions(t, d)
	for _, name := range []string{"idx_stories_link_key", "idx_stories_published"} {
		if n := d.count("SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = ?", name); n != 0 {
			t.Errorf("index %s: got %d, want dropped", name, n)
		}
	}
	if n := d.count("SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = 'idx_stories_entry_id'"); n != 1 {
		t.Errorf("index idx_stories_entry_id: got %d, want kept", n)
	}

	if res := d.ingest("old", t0, pub("g-dead", "", "Supprimée", day(-3))); res.New != 0 {
		t.Errorf("story of a tombstoned GUID: got %+v, want ignored", res)
	}
	res := d.ingest("new", t0,
		pub("g-new", link+"?utm_source=rss", "Ancienne, reprise", day(-1)),
		pub("g-other", "https://example.org/2026/new-story.html", "Nouvelle", day(-1)))
	if res.New != 1 {
		t.Errorf("new stories: got %d, want 1 (the old story found by its link)", res.New)
	}
	got, err := d.StorySources(context.Background(), canon.EntryID(key))
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"old", "new"}; !slices.Equal(got, want) {
		t.Errorf("sources of the old story: got %q, want %q", got, want)
	}
	if n := d.count("SELECT COUNT(*) FROM stories WHERE id = 42 AND title = 'Nouvelle'"); n != 1 {
		t.Errorf("new story with id 42 (after the largest ever given): got %d rows", n)
	}
	if err := d.Check(context.Background()); err != nil {
		t.Error(err)
	}
	// Opening again finds nothing to change.
	d.Close()
	wantVersions(t, openAt(t, path))
}

// createV1 creates at path a database of schema version 1, as vigie's
// first releases did, and runs queries on it.
func createV1(t *testing.T, path string, queries ...string) {
	t.Helper()
	schema, err := os.ReadFile("testdata/schema-v1.sql")
	if err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("sqlite3", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, q := range append([]string{string(schema)}, queries...) {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// wantVersions checks that every migration is recorded once, from 1 up to
// the version the store reports.
func wantVersions(t *testing.T, d *db) {
	t.Helper()
	v, err := d.SchemaVersion(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if v < 1 {
		t.Fatalf("schema version: got %d, want at least 1", v)
	}
	if n := d.count("SELECT COUNT(*) FROM schema_migrations WHERE version BETWEEN 1 AND ?", v); n != v {
		t.Errorf("migrations recorded from 1 to %d: got %d rows, want %d", v, n, v)
	}
	if n := d.count("SELECT COUNT(*) FROM schema_migrations"); n != v {
		t.Errorf("migrations recorded: got %d, want %d", n, v)
	}
}

// TestNewDatabaseVersion: a new database is created at the latest version,
// and reopening it changes nothing.
func TestNewDatabaseVersion(t *testing.T) { both(t, testNewDatabaseVersion) }

func testNewDatabaseVersion(t *testing.T, eng engine) {
	d := eng.open(t)
	wantVersions(t, d)
	d.ingest("a", t0, pub("g1", "https://example.org/a/1", "Un", day(-1)))
	d.Close()
	d = openAt(t, d.database)
	wantVersions(t, d)
	if n := len(d.entries("")); n != 1 {
		t.Errorf("entries after reopening: got %d, want 1", n)
	}
}

// TestOpenRefusesNewerSchema: a database a newer vigie migrated further is
// refused with a clear error, and left as it was.
func TestOpenRefusesNewerSchema(t *testing.T) { both(t, testOpenRefusesNewerSchema) }

func testOpenRefusesNewerSchema(t *testing.T, eng engine) {
	d := eng.open(t)
	d.ingest("a", t0, pub("g1", "https://example.org/a/1", "Un", day(-1)))
	d.Close()
	d.exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'from the future', '2030-01-01 00:00:00')")

	s, err := store.Open(context.Background(), d.database)
	if err == nil {
		s.Close()
		t.Fatal("opened a database at schema version 999")
	}
	if !errors.Is(err, store.ErrSchemaTooNew) {
		t.Errorf("error: got %v, want ErrSchemaTooNew", err)
	}
	for _, want := range []string{"999", dburl.Redact(d.database)} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %q", err, want)
		}
	}
	if n := d.count("SELECT COUNT(*) FROM stories"); n != 1 {
		t.Errorf("stories after the refusal: got %d, want 1", n)
	}
}

// TestConcurrentOpen: processes starting together on a new database apply
// each migration once, and all open it.
func TestConcurrentOpen(t *testing.T) { both(t, testConcurrentOpen) }

func testConcurrentOpen(t *testing.T, eng engine) {
	path := eng.database(t)
	errs := make(chan error, 4)
	for range cap(errs) {
		go func() {
			s, err := store.Open(context.Background(), path)
			if err == nil {
				err = s.Close()
			}
			errs <- err
		}()
	}
	for range cap(errs) {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	wantVersions(t, openAt(t, path))
}
