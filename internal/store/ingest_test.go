package store_test

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigie-watch/vigie/internal/watch"
)

const (
	fiTitres  = "https://www.francetvinfo.fr/internet/reconnaissance-faciale_6159871.html#xtor=RSS-3-[lestitres]"
	fiSociete = "https://www.francetvinfo.fr/internet/reconnaissance-faciale_6159871.html#xtor=RSS-3-[societe]"
	fiTitle   = "Reconnaissance faciale : la police nationale a utilisé BriefCam"
)

func TestSameGUIDTwiceInOneBatch(t *testing.T) { both(t, testSameGUIDTwiceInOneBatch) }

func testSameGUIDTwiceInOneBatch(t *testing.T, eng engine) {
	d := eng.open(t)
	res := d.ingest("franceinfo", t0,
		pub("g1", "https://example.org/a", "A", day(-1)),
		pub("g1", "https://example.org/a", "A", day(-1)))
	wantResult(t, "ingest", res, watch.IngestResult{Seen: 2, New: 1, Published: 1})
	if got := len(d.entries("")); got != 1 {
		t.Errorf("entries: got %d, want 1", got)
	}
	if got := d.count("SELECT COUNT(*) FROM guids"); got != 1 {
		t.Errorf("guid rows: got %d, want 1", got)
	}
}

func TestSameLinkTwoGUIDsInOneFeed(t *testing.T) { both(t, testSameLinkTwoGUIDsInOneFeed) }

func testSameLinkTwoGUIDsInOneFeed(t *testing.T, eng engine) {
	d := eng.open(t)
	res := d.ingest("franceinfo", t0,
		pub("https://www.francetvinfo.fr/6159871-titres", fiTitres, fiTitle, day(-1)),
		pub("https://www.francetvinfo.fr/6159871-societe", fiSociete, fiTitle, day(-1)))
	wantResult(t, "ingest", res, watch.IngestResult{Seen: 2, New: 1, Published: 1})
	es := d.entries("")
	if len(es) != 1 {
		t.Fatalf("entries: got %d, want 1", len(es))
	}
	if es[0].Link != fiTitres {
		t.Errorf("link: got %q, want the first one, %q", es[0].Link, fiTitres)
	}
	if got := d.count("SELECT COUNT(*) FROM guids JOIN stories ON stories.id = guids.story_id WHERE stories.entry_id = ?", es[0].ID); got != 2 {
		t.Errorf("guid rows of the story: got %d, want 2", got)
	}
	// Both GUIDs are known: the next fetch changes nothing.
	res = d.ingest("franceinfo", day(1),
		pub("https://www.francetvinfo.fr/6159871-societe", fiSociete, fiTitle, day(-1)),
		pub("https://www.francetvinfo.fr/6159871-titres", fiTitres, fiTitle, day(-1)))
	wantResult(t, "refetch", res, watch.IngestResult{Seen: 2})
}

func TestSameLinkAcrossSources(t *testing.T) { both(t, testSameLinkAcrossSources) }

func testSameLinkAcrossSources(t *testing.T, eng engine) {
	d := eng.open(t)
	d.ingest("franceinfo", t0, pub("fi-1", fiTitres, fiTitle, day(-1)))
	before := d.entries("")
	gen := d.Generation()

	other := pub("fi-societe-1", fiSociete, "Un autre titre pour la même histoire", day(-2))
	res := d.ingest("franceinfo société", day(1), other)
	wantResult(t, "second feed", res, watch.IngestResult{Seen: 1})
	res = d.ingest("Disclose", day(2), pub("https://disclose.ngo/?p=42", "http://WWW.francetvinfo.fr:80/internet/reconnaissance-faciale_6159871.html/?utm_source=disclose", "Encore un titre", day(-3)))
	wantResult(t, "second outlet", res, watch.IngestResult{Seen: 1})

	after := d.entries("")
	if !reflect.DeepEqual(after, before) {
		t.Errorf("entries changed when other sources carried the story:\n got %+v\nwant %+v", after, before)
	}
	if d.Generation() != gen {
		t.Errorf("generation: got %d, want %d (nothing published changed)", d.Generation(), gen)
	}
	if after[0].Source != "franceinfo" {
		t.Errorf("source: got %q, want franceinfo (the first)", after[0].Source)
	}
	got, err := d.StorySources(context.Background(), after[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"franceinfo", "franceinfo société", "Disclose"}; !slices.Equal(got, want) {
		t.Errorf("sources: got %q, want %q", got, want)
	}
	// Each source's later fetches of its own item change nothing.
	wantResult(t, "refetch", d.ingest("franceinfo société", day(3), other), watch.IngestResult{Seen: 1})
}

func TestSameLinkFromTwoSourcesAtOnce(t *testing.T) { both(t, testSameLinkFromTwoSourcesAtOnce) }

func testSameLinkFromTwoSourcesAtOnce(t *testing.T, eng engine) {
	d := eng.open(t)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			_, err := d.Ingest(context.Background(), source(fmt.Sprint("src", i)),
				[]watch.Incoming{pub(fmt.Sprint("g", i), fiTitres, fiTitle, day(-1))}, t0)
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if got := d.count("SELECT COUNT(*) FROM stories"); got != 1 {
		t.Errorf("stories: got %d, want 1", got)
	}
	if got := d.count("SELECT COUNT(DISTINCT story_id) FROM guids"); got != 1 {
		t.Errorf("stories the guids point to: got %d, want 1", got)
	}
	if got := d.count("SELECT COUNT(*) FROM guids"); got != 8 {
		t.Errorf("guid rows: got %d, want 8", got)
	}
}

func TestUpdateInPlace(t *testing.T) { both(t, testUpdateInPlace) }

func testUpdateInPlace(t *testing.T, eng engine) {
	d := eng.open(t)
	q := pub("SEQ260300042", "https://www.senat.fr/questions/base/2026/qSEQ260300042.html", "Question sur la vidéosurveillance algorithmique", day(-3))
	other := pub("SEQ260300043", "https://www.senat.fr/questions/base/2026/qSEQ260300043.html", "Autre question", day(-4))
	d.ingest("Sénat", t0, q, other)
	before := d.entries("")

	q.Item.Title += " (réponse du ministère)"
	q.Item.Content = "<p>Réponse publiée au JO.</p>"
	q.Item.Updated = day(1)
	gen := d.Generation()
	res := d.ingest("Sénat", day(2), q, other)
	wantResult(t, "update", res, watch.IngestResult{Seen: 2, Updated: 1, Published: 1})
	if d.Generation() == gen {
		t.Error("generation unchanged after an update")
	}
	after := d.entries("")
	if len(after) != 2 {
		t.Fatalf("entries: got %d, want 2", len(after))
	}
	e, old := after[0], before[0]
	if e.ID != old.ID {
		t.Errorf("id: got %q, want %q", e.ID, old.ID)
	}
	if e.Title != q.Item.Title || e.Content != q.Item.Content {
		t.Errorf("text: got %q / %q, want the new one", e.Title, e.Content)
	}
	if !e.Updated.Equal(day(2)) {
		t.Errorf("updated: got %v, want the ingest time %v", e.Updated, day(2))
	}
	if !e.Published.Equal(old.Published) {
		t.Errorf("published: got %v, want %v", e.Published, old.Published)
	}
	if !reflect.DeepEqual(after[1], before[1]) {
		t.Errorf("the other story changed: got %+v, want %+v", after[1], before[1])
	}

	// The same text again, even with a newer <updated>, changes nothing.
	gen = d.Generation()
	q.Item.Updated = day(3)
	res = d.ingest("Sénat", day(4), q, other)
	wantResult(t, "unchanged refetch", res, watch.IngestResult{Seen: 2})
	if d.Generation() != gen {
		t.Errorf("generation: got %d, want %d", d.Generation(), gen)
	}
	if got := d.entries("")[0]; !got.Updated.Equal(day(2)) {
		t.Errorf("updated after an unchanged refetch: got %v, want %v", got.Updated, day(2))
	}
}

func TestUpdateSeenByTwoFeedsAnnouncedOnce(t *testing.T) {
	both(t, testUpdateSeenByTwoFeedsAnnouncedOnce)
}

func testUpdateSeenByTwoFeedsAnnouncedOnce(t *testing.T, eng engine) {
	d := eng.open(t)
	titres := pub("fi-titres-1", fiTitres, fiTitle, day(-1))
	societe := pub("fi-societe-1", fiSociete, fiTitle, day(-1))
	d.ingest("franceinfo", t0, titres)
	d.ingest("franceinfo société", t0, societe)

	titres.Item.Title += ", confirme le ministère"
	societe.Item.Title = titres.Item.Title
	wantResult(t, "first feed", d.ingest("franceinfo", day(1), titres), watch.IngestResult{Seen: 1, Updated: 1, Published: 1})
	gen := d.Generation()
	wantResult(t, "second feed", d.ingest("franceinfo société", day(2), societe), watch.IngestResult{Seen: 1})
	if d.Generation() != gen {
		t.Error("generation changed when the second feed caught up")
	}
	es := d.entries("")
	if len(es) != 1 || !es[0].Updated.Equal(day(1)) || es[0].Title != titres.Item.Title {
		t.Errorf("entries: got %+v, want one, updated at %v", es, day(1))
	}
}

func TestUpdateChangingTheCanonicalLink(t *testing.T) { both(t, testUpdateChangingTheCanonicalLink) }

func testUpdateChangingTheCanonicalLink(t *testing.T, eng engine) {
	d := eng.open(t)
	it := pub("g1", "https://example.org/old-slug", "Titre", day(-1))
	d.ingest("a", t0, it)
	id := d.entries("")[0].ID

	it.Item.Link = "https://example.org/new-slug"
	wantResult(t, "link changed", d.ingest("a", day(1), it), watch.IngestResult{Seen: 1, Updated: 1, Published: 1})
	es := d.entries("")
	if len(es) != 1 || es[0].ID != id || es[0].Link != it.Item.Link {
		t.Fatalf("entries: got %+v, want one, id %s, link %s", es, id, it.Item.Link)
	}
	// The old link still names the story; the new one does not, yet
	// nothing breaks when another source carries either.
	wantResult(t, "old link elsewhere", d.ingest("b", day(2), pub("b1", "https://example.org/old-slug", "Titre", day(-1))), watch.IngestResult{Seen: 1})
	wantResult(t, "new link elsewhere", d.ingest("c", day(2), pub("c1", "https://example.org/new-slug", "Titre", day(-1))), watch.IngestResult{Seen: 1, New: 1, Published: 1})
	wantResult(t, "refetch", d.ingest("a", day(3), it), watch.IngestResult{Seen: 1})
	if got := d.count("SELECT COUNT(DISTINCT entry_id) FROM stories"); got != 2 {
		t.Errorf("stories: got %d, want 2", got)
	}
}

func TestItemsWithoutUsableLink(t *testing.T) { both(t, testItemsWithoutUsableLink) }

func testItemsWithoutUsableLink(t *testing.T, eng engine) {
	d := eng.open(t)
	res := d.ingest("a", t0,
		pub("q1", "", "Sans lien 1", day(-1)),
		pub("q2", "", "Sans lien 2", day(-1)),
		pub("h1", "https://example.org/", "Lien vers l'accueil 1", day(-1)),
		pub("h2", "https://example.org", "Lien vers l'accueil 2", day(-1)),
		pub("", "https://example.org/sans-guid", "Sans GUID", day(-1)))
	wantResult(t, "ingest", res, watch.IngestResult{Seen: 5, New: 5, Published: 5})
	// Another source with the same GUIDs: other stories (GUIDs are per source).
	res = d.ingest("b", t0, pub("q1", "", "Sans lien 1", day(-1)), pub("h1", "https://example.org/", "Accueil", day(-1)))
	wantResult(t, "other source", res, watch.IngestResult{Seen: 2, New: 2, Published: 2})
	ids := map[string]bool{}
	for _, e := range d.entries("") {
		ids[e.ID] = true
	}
	if len(ids) != 7 {
		t.Errorf("distinct ids: got %d, want 7", len(ids))
	}
	wantResult(t, "refetch", d.ingest("a", day(1), pub("q1", "", "Sans lien 1", day(-1)), pub("", "https://example.org/sans-guid", "Sans GUID", day(-1))), watch.IngestResult{Seen: 2})
}

func TestDates(t *testing.T) { both(t, testDates) }

func testDates(t *testing.T, eng engine) {
	d := eng.open(t)
	undated := pub("u", "https://example.org/u", "Sans date", time.Time{})
	future := pub("f", "https://example.org/f", "Futur", day(30))
	early := pub("e", "https://example.org/e", "Mis à jour avant sa publication", day(-2))
	early.Item.Updated = day(-5)
	d.ingest("a", t0, undated, future, early)
	got := map[string][2]time.Time{}
	for _, e := range d.entries("") {
		got[e.Title] = [2]time.Time{e.Published, e.Updated}
	}
	want := map[string][2]time.Time{
		"Sans date":                       {t0, t0},
		"Futur":                           {t0, t0},
		"Mis à jour avant sa publication": {day(-2), day(-2)},
	}
	for title, w := range want {
		if g := got[title]; !g[0].Equal(w[0]) || !g[1].Equal(w[1]) {
			t.Errorf("%s: got published %v, updated %v; want %v, %v", title, g[0], g[1], w[0], w[1])
		}
	}
}

func TestReopenKeepsIDs(t *testing.T) { both(t, testReopenKeepsIDs) }

func testReopenKeepsIDs(t *testing.T, eng engine) {
	d := eng.open(t)
	items := []watch.Incoming{pub("g1", fiTitres, fiTitle, day(-1)), pub("g2", "", "Sans lien", day(-2))}
	d.ingest("franceinfo", t0, items...)
	before := d.entries("")
	d.Close()

	d2 := openAt(t, d.database)
	if got := d2.entries(""); !reflect.DeepEqual(got, before) {
		t.Errorf("after reopening:\n got %+v\nwant %+v", got, before)
	}
	wantResult(t, "refetch after reopening", d2.ingest("franceinfo", day(1), items...), watch.IngestResult{Seen: 2})
	if err := d2.Check(context.Background()); err != nil {
		t.Error(err)
	}
}

// TestTextTheEngineCannotHold: an item with a NUL byte and invalid UTF-8
// (a JSON Feed may carry "\u0000") is stored on both engines, and
// recognised when it comes again; so is an error message with them.
func TestTextTheEngineCannotHold(t *testing.T) { both(t, testTextTheEngineCannotHold) }

func testTextTheEngineCannotHold(t *testing.T, eng engine) {
	d := eng.open(t)
	it := pub("g\x00nul", "https://example.org/nul", "Reconnaissance\x00 faciale \xff", day(-1))
	it.Item.Categories = []string{"vid\x00éo"}
	it.Item.Recalls = "g\x00earlier \xff" // a GUID, made storable as GUIDs are
	wantResult(t, "first", d.ingest("a", t0, it), watch.IngestResult{Seen: 1, New: 1, Published: 1})
	wantResult(t, "again", d.ingest("a", day(1), it), watch.IngestResult{Seen: 1})
	if es := d.entries(""); len(es) != 1 || !strings.Contains(es[0].Title, "faciale") {
		t.Errorf("entries: got %+v, want the item", es)
	}
	st := source("a")
	st.LastError = "bad \x00 byte \xff"
	if err := d.SaveSource(context.Background(), st); err != nil {
		t.Fatal(err)
	}
}
