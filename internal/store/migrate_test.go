package store_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/vigie-watch/vigie/internal/canon"
)

// TestOpenOldSchema opens a database created by an earlier version, with
// the indexes on links and publication dates: they are dropped, and its
// stories are still found by link and followed by the new ones.
func TestOpenOldSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	schema, err := os.ReadFile("testdata/schema-v1.sql")
	if err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("sqlite3", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	const link = "https://example.org/2026/old-story.html"
	key := canon.Link(link)
	for _, q := range []string{
		string(schema),
		"INSERT INTO stories (id, entry_id, link_key, link, title, published, updated, first_seen, source_name) " +
			"VALUES (41, '" + canon.EntryID(key) + "', '" + key + "', '" + link + "', 'Ancienne', " +
			"'2026-02-28 12:00:00+00:00', '2026-02-28 12:00:00+00:00', '2026-02-28 12:00:00+00:00', 'old')",
		"INSERT INTO guids (source, guid, story_id, hash) VALUES ('old', 'g-old', 41, 'x')",
		"INSERT INTO matches (story_id, topic, keywords) VALUES (41, '', 'reconnaissance faciale')",
		"DELETE FROM stories WHERE id = 41", // as retention does: its id is never given again
		"INSERT INTO stories (id, entry_id, link_key, link, title, published, updated, first_seen, source_name) " +
			"VALUES (40, '" + canon.EntryID(key) + "', '" + key + "', '" + link + "', 'Ancienne', " +
			"'2026-02-28 12:00:00+00:00', '2026-02-28 12:00:00+00:00', '2026-02-28 12:00:00+00:00', 'old')",
		"UPDATE guids SET story_id = 40",
		"UPDATE matches SET story_id = 40",
	} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	raw.Close()

	d := openAt(t, path)
	for _, name := range []string{"idx_stories_link_key", "idx_stories_published"} {
		if n := d.count("SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = ?", name); n != 0 {
			t.Errorf("index %s: got %d, want dropped", name, n)
		}
	}
	if n := d.count("SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = 'idx_stories_entry_id'"); n != 1 {
		t.Errorf("index idx_stories_entry_id: got %d, want kept", n)
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
	openAt(t, path)
}
