package store_test

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vigie-watch/vigie/internal/watch"
)

// full is an item of a full-text source.
func full(it watch.Incoming) watch.Incoming {
	it.WantPage = true
	return it
}

func (d *db) due(src string, now time.Time) []string {
	d.t.Helper()
	tasks, err := d.PagesDue(context.Background(), src, now, 100)
	if err != nil {
		d.t.Fatal(err)
	}
	var links []string
	for _, task := range tasks {
		links = append(links, task.Link)
	}
	return links
}

func (d *db) savePages(src string, now time.Time, rs ...watch.PageResult) {
	d.t.Helper()
	if err := d.SavePages(context.Background(), src, rs, watch.PageHealth{Fetched: len(rs)}, now); err != nil {
		d.t.Fatal(err)
	}
}

func entryOf(t *testing.T, d *db, title string) watch.Entry {
	t.Helper()
	for _, e := range d.entries("") {
		if e.Title == title {
			return e
		}
	}
	t.Fatalf("no entry %q among %q", title, titlesOf(d.entries("")))
	return watch.Entry{}
}

const pageText = "Premier paragraphe.\n\nUne option de reconnaissance faciale pouvait être activée. La Cnil enquête.\n\nLe ministre a demandé une inspection administrative."

// matchedPage is the result of reading pageText for the story id, a page
// that matches "reconnaissance faciale".
func matchedPage(id string) watch.PageResult {
	return watch.PageResult{EntryID: id, Text: pageText, Matches: map[string][]string{"": {"reconnaissance faciale"}}}
}

func TestPagesDueOncePerVersion(t *testing.T) { both(t, testPagesDueOncePerVersion) }

func testPagesDueOncePerVersion(t *testing.T, eng engine) {
	d := eng.open(t)
	a := full(pub("a", "https://news.example/a", "A", day(-1)))
	b := full(unpub("b", "https://news.example/b", "B", day(-1)))
	plain := unpub("c", "https://news.example/c", "C", day(-1)) // a source without full text
	d.ingest("fi", t0, a, b)
	d.ingest("other", t0, plain)
	if got := d.due("fi", t0); !slices.Equal(got, []string{a.Link, b.Link}) {
		t.Fatalf("due after ingest: got %q, want a and b", got)
	}
	if got := d.due("other", t0); got != nil {
		t.Errorf("pages due for a source without full text: %q", got)
	}
	ea := entryOf(t, d, "A")
	d.savePages("fi", t0, matchedPage(ea.ID))
	if got := d.due("fi", t0); !slices.Equal(got, []string{b.Link}) {
		t.Errorf("due after a's page was read: got %q, want b only", got)
	}

	// The same feed again: nothing due again.
	d.ingest("fi", t0.Add(time.Hour), a, b)
	if got := d.due("fi", t0.Add(time.Hour)); !slices.Equal(got, []string{b.Link}) {
		t.Errorf("due after the same feed again: got %q, want b only", got)
	}
	// A new version of a: its page is due again, and its old text kept
	// until then.
	a2 := a
	a2.Title = "A, mis à jour"
	d.ingest("fi", t0.Add(2*time.Hour), a2)
	if got := d.due("fi", t0.Add(2*time.Hour)); !slices.Contains(got, a.Link) {
		t.Errorf("due after a changed: got %q, want a among them", got)
	}
	if e := entryOf(t, d, "A, mis à jour"); len(e.Passages) != 1 {
		t.Errorf("passages of a while its new page is due: got %v, want the old page's", e.Passages)
	}
}

func TestSavePagesFailureAndRetry(t *testing.T) { both(t, testSavePagesFailureAndRetry) }

func testSavePagesFailureAndRetry(t *testing.T, eng engine) {
	d := eng.open(t)
	a := full(pub("a", "https://news.example/a", "A", day(-1)))
	d.ingest("fi", t0, a)
	id := entryOf(t, d, "A").ID
	d.savePages("fi", t0, matchedPage(id))
	a.Title = "A2"
	d.ingest("fi", t0.Add(time.Hour), a)

	// The new version's page fails: text and matches stay, a retry is due.
	retry := t0.Add(2 * time.Hour)
	d.savePages("fi", t0.Add(time.Hour), watch.PageResult{EntryID: id, Err: "GET: 503", Tries: 1, NextDue: retry})
	e := entryOf(t, d, "A2")
	if len(e.Passages) != 1 || !slices.Equal(e.Keywords, []string{"reconnaissance faciale"}) {
		t.Errorf("after a failed page: passages %v, keywords %q; want the earlier page's", e.Passages, e.Keywords)
	}
	if got := d.due("fi", retry.Add(-time.Minute)); got != nil {
		t.Errorf("due before the retry time: %q", got)
	}
	if got := d.due("fi", retry); len(got) != 1 {
		t.Errorf("due at the retry time: got %q, want a", got)
	}
}

func TestPagesKeywordEditWithoutRefetch(t *testing.T) { both(t, testPagesKeywordEditWithoutRefetch) }

func testPagesKeywordEditWithoutRefetch(t *testing.T, eng engine) {
	d := eng.open(t)
	d.ingest("fi", t0, full(unpub("a", "https://news.example/a", "A", day(-1))))
	d.savePages("fi", t0, watch.PageResult{EntryID: entryID(t, d), Text: pageText})
	if n := len(d.entries("")); n != 0 {
		t.Fatalf("%d entries before the keyword edit, want 0", n)
	}
	n, err := d.Rematch(context.Background(), func(tx watch.Text) map[string][]string {
		if strings.Contains(tx.Page, "inspection administrative") {
			return map[string][]string{"": {"inspection administrative"}}
		}
		return nil
	})
	if err != nil || n != 1 {
		t.Fatalf("rematch: %d published, %v; want 1", n, err)
	}
	e := entryOf(t, d, "A")
	if len(e.Passages) != 1 || e.Passages[0].String() != "Le ministre a demandé une «inspection administrative»." {
		t.Errorf("passages: got %v", e.Passages)
	}
}

func TestRecordShownWholeAndUpdated(t *testing.T) { both(t, testRecordShownWholeAndUpdated) }

func testRecordShownWholeAndUpdated(t *testing.T, eng engine) {
	d := eng.open(t)
	q := full(pub("q", "https://www.senat.fr/questions/base/2023/qSEQ231109077.html", "QE n° 09077", day(-1)))
	d.ingest("senat", t0, q)
	e := entryOf(t, d, "QE n° 09077")
	question := "Question de M. Jérôme Durain publiée le 23/11/2023\n\nIl interroge le ministre sur la reconnaissance faciale.\n\nEn attente de réponse du Ministère de l'intérieur"
	m := map[string][]string{"": {"reconnaissance faciale"}}
	d.savePages("senat", t0, watch.PageResult{EntryID: e.ID, Text: question, Record: true, Matches: m, NextDue: t0.Add(24 * time.Hour)})
	e = entryOf(t, d, "QE n° 09077")
	if e.Record != question || len(e.Passages) != 0 || !e.Updated.Equal(e.Published) {
		t.Errorf("question read: got record %q, passages %v, updated %v; want the whole question, no passages, not updated", e.Record, e.Passages, e.Updated)
	}
	if got := d.due("senat", t0.Add(24*time.Hour)); len(got) != 1 {
		t.Errorf("a pending question is not due a day later: %q", got)
	}
	answered := question + "\n\nRéponse du Ministère de l'intérieur publiée dans le JO Sénat du 13/06/2024\n\nLe ministère répond."
	later := t0.Add(24 * time.Hour)
	d.savePages("senat", later, watch.PageResult{EntryID: e.ID, Text: answered, Record: true, Matches: m})
	e = entryOf(t, d, "QE n° 09077")
	if e.Record != answered || !e.Updated.Equal(later) {
		t.Errorf("answer read: got record %q, updated %v; want the answer, updated %v", e.Record, e.Updated, later)
	}
}

// TestUpgradeToPageText opens a database of schema version 1, with a story:
// it gains the page columns, and its story works with them.
func TestUpgradeToPageText(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v1.db")
	createV1(t, path,
		"INSERT INTO stories (id, entry_id, link_key, link, title, published, updated, first_seen, source_name) "+
			"VALUES (7, 'tag:old', 'news.example/old', 'https://news.example/old', 'Ancienne', "+
			"'2026-02-28 12:00:00+00:00', '2026-02-28 12:00:00+00:00', '2026-02-28 12:00:00+00:00', 'fi')",
		"INSERT INTO guids (source, guid, story_id, hash) VALUES ('fi', 'g-old', 7, 'x')",
	)
	d := openAt(t, path)
	if got := d.due("fi", t0); got != nil {
		t.Errorf("pages due in an upgraded database: %q, want none", got)
	}
	d.savePages("fi", t0, matchedPage("tag:old"))
	if e := entryOf(t, d, "Ancienne"); len(e.Passages) != 1 {
		t.Errorf("the old story's passages: got %v", e.Passages)
	}
}

// TestUpdateKeepsWhatThePageMatched updates, from a source without full
// text, a story whose page matched: it stays published.
func TestUpdateKeepsWhatThePageMatched(t *testing.T) { both(t, testUpdateKeepsWhatThePageMatched) }

func testUpdateKeepsWhatThePageMatched(t *testing.T, eng engine) {
	d := eng.open(t)
	a := full(unpub("a", "https://news.example/a", "A", day(-1)))
	d.ingest("fi", t0, a)
	d.savePages("fi", t0, matchedPage(entryID(t, d)))
	matchPage := func(tx watch.Text) map[string][]string {
		if strings.Contains(tx.Page, "reconnaissance faciale") {
			return map[string][]string{"": {"reconnaissance faciale"}}
		}
		return nil
	}
	a.Title, a.WantPage, a.MatchText = "A corrigé", false, matchPage
	if res := d.ingest("fi", t0.Add(time.Hour), a); res.Updated != 1 || res.Published != 1 {
		t.Errorf("update: got %+v, want 1 updated and published", res)
	}
	if e := entryOf(t, d, "A corrigé"); len(e.Passages) != 1 {
		t.Errorf("the updated story lost its page's match or passage: %+v", e)
	}
}

func entryID(t *testing.T, d *db) string {
	t.Helper()
	var id string
	err := d.ForEach(context.Background(), func(_ watch.Text, s watch.Summary) error { id = s.EntryID; return nil })
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// TestPagesTheEngineCannotHold: a page's text, its error and the source's
// page health with a NUL byte or invalid UTF-8 (a page that lies about its
// charset) are stored on both engines, instead of failing the source's
// pages again at each cycle.
func TestPagesTheEngineCannotHold(t *testing.T) { both(t, testPagesTheEngineCannotHold) }

func testPagesTheEngineCannotHold(t *testing.T, eng engine) {
	ctx := context.Background()
	d := eng.open(t)
	d.ingest("fi", t0, full(unpub("a", "https://news.example/a", "A", day(-1))), full(unpub("b", "https://news.example/b", "B", day(-1))))
	tasks, err := d.PagesDue(ctx, "fi", t0, 10)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]string{}
	for _, task := range tasks {
		ids[task.Link] = task.EntryID
	}
	read := watch.PageResult{EntryID: ids["https://news.example/a"], Text: "Reconnaissance\x00 faciale \xff.",
		Matches: map[string][]string{"": {"reconnaissance faciale"}}, Announce: "Réponse\x00 \xff"}
	failed := watch.PageResult{EntryID: ids["https://news.example/b"], Err: "extract: bad byte \x00 in \xc3(", Tries: 1, NextDue: t0.Add(time.Hour)}
	health := watch.PageHealth{Fetched: 1, Failed: 1, LastError: failed.Err}
	if err := d.SavePages(ctx, "fi", []watch.PageResult{read, failed}, health, t0); err != nil {
		t.Fatalf("SavePages: %v", err)
	}
	if e := entryOf(t, d, "A"); len(e.Passages) != 1 {
		t.Errorf("passages of the page read: got %v, want one", e.Passages)
	}
	st, err := d.Source(ctx, "fi")
	if err != nil {
		t.Fatal(err)
	}
	if st.PagesFailed != 1 || !strings.Contains(st.LastPageError, "bad byte") {
		t.Errorf("page health: got %d failed, last %q; want 1 and the error", st.PagesFailed, st.LastPageError)
	}
}
