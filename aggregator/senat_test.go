package aggregator_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/vigie-watch/vigie/internal/store"
	"github.com/vigie-watch/vigie/internal/vigietest"
	"github.com/vigie-watch/vigie/internal/watch"
)

// senatPath is where data.senat.fr serves the export of written questions.
const senatPath = "/data/questions/questions-depuis-un-an.csv"

// newSenate serves an export of questions at senatPath with validators.
func newSenate(tb testing.TB) (*vigietest.Upstream, *vigietest.Validating) {
	u := vigietest.NewUpstream(tb)
	v := &vigietest.Validating{}
	u.Handle(senatPath, v)
	return u, v
}

func senatConfig(url string) string {
	return fmt.Sprintf(`database: unused.db
feed:
  title: "Veille : reconnaissance faciale"
  url: http://vigie.example/feed.atom
sources:
  - name: Sénat questions écrites
    type: senat-questions
    url: %s
keywords:
  - reconnaissance faciale
  - BriefCam
  - vidéosurveillance algorithmique
`, url)
}

// storedTitles lists the titles of every stored story, published or not.
func storedTitles(t *testing.T, st *store.Store) []string {
	t.Helper()
	var out []string
	err := st.ForEach(context.Background(), func(tx watch.Text, _ watch.Summary) error {
		out = append(out, tx.Title)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func findItem(f *gofeed.Feed, titlePrefix string) []*gofeed.Item {
	var out []*gofeed.Item
	for _, it := range f.Items {
		if strings.HasPrefix(it.Title, titlePrefix) {
			out = append(out, it)
		}
	}
	return out
}

const (
	q09077Title = "QE n° 09077 : Utilisation par la police nationale du logiciel de reconnaissance faciale BriefCam"
	q09077Link  = "https://www.senat.fr/questions/base/2023/qSEQ231109077.html"
	q09077By    = "M. Jérôme Durain (Saône-et-Loire, SER)"
	q08512Title = "QE n° 08512 : Bilan de la vidéosurveillance algorithmique pendant les jeux Olympiques et Paralympiques"
)

// TestSenateQuestionFollowedUntilAnswered follows question n° 09077 from
// the Latin-1 export through a 304 to the export that carries its answer,
// whatever charset the server claims.
func TestSenateQuestionFollowedUntilAnswered(t *testing.T) {
	for _, ctype := range []string{"text/csv", "text/csv; charset=utf-8"} {
		t.Run(ctype, func(t *testing.T) { followQuestion(t, ctype) })
	}
}

func followQuestion(t *testing.T, ctype string) {
	u, up := newSenate(t)
	up.Set(vigietest.Fixture(t, "senat-questions.csv"), ctype)
	h := vigietest.New(t, vigietest.ParseConfig(t, senatConfig(u.URL(senatPath))), vigietest.Options{})

	// First fetch: every well-formed row stored, the two malformed skipped.
	r := h.FetchAll()[0]
	if r.Fetched != 10 || r.New != 10 || r.RowErrors != 2 || r.Published != 2 {
		t.Errorf("first fetch: got %d fetched, %d new, %d row errors, %d published; want 10, 10, 2, 2",
			r.Fetched, r.New, r.RowErrors, r.Published)
	}
	stored := storedTitles(t, h.Store)
	for _, want := range []string{"QE n° 09600 : ", "QG n° 0123G : ", "QE n° 09455 : Conservation des images de vidéoprotection filmées sur la voie publique"} {
		if !slices.ContainsFunc(stored, func(s string) bool { return strings.HasPrefix(s, want) }) {
			t.Errorf("stored titles: got %q, want one starting %q", stored, want)
		}
	}
	for _, bad := range []string{"09999", "09512"} {
		if slices.ContainsFunc(stored, func(s string) bool { return strings.Contains(s, bad) }) {
			t.Errorf("malformed row %s was stored", bad)
		}
	}

	f := h.Feed("/feed.atom")
	if got, want := vigietest.Titles(f), []string{q09077Title, q08512Title}; !slices.Equal(got, want) {
		t.Fatalf("entries:\n got %q\nwant %q", got, want)
	}
	q := f.Items[0]
	if q.Link != q09077Link {
		t.Errorf("link: got %q, want %q", q.Link, q09077Link)
	}
	if q.Author == nil || q.Author.Name != q09077By {
		t.Errorf("author: got %+v, want %q", q.Author, q09077By)
	}
	paris, _ := time.LoadLocation("Europe/Paris")
	if want := time.Date(2023, 11, 23, 0, 0, 0, 0, paris); q.PublishedParsed == nil || !q.PublishedParsed.Equal(want) {
		t.Errorf("published: got %v, want %v", q.PublishedParsed, want)
	}
	if want := []string{"reconnaissance faciale", "BriefCam"}; !sameSet(q.Categories, want) {
		t.Errorf("categories: got %q, want %q", q.Categories, want)
	}
	for _, want := range []string{"Question écrite n° 09077 de " + q09077By, "Intérieur et outre-mer", "En attente de réponse", "Police et sécurité"} {
		if !strings.Contains(q.Description, want) {
			t.Errorf("summary: got %q, want it to contain %q", q.Description, want)
		}
	}
	raw := string(h.GetBody("/feed.atom"))
	for _, want := range []string{"<name>" + q09077By + "</name>", "Utilisation par la police nationale", `href="` + q09077Link + `"`} {
		if !strings.Contains(raw, want) {
			t.Errorf("/feed.atom does not contain %q", want)
		}
	}
	for _, bad := range []string{"Ã", "\ufffd"} {
		if strings.Contains(raw, bad) {
			t.Errorf("/feed.atom holds mojibake %q", bad)
		}
	}
	id, updated := q.GUID, *q.UpdatedParsed

	// Same export: the server sees the validators and answers 304.
	r = h.FetchAll()[0]
	inm, status := up.Last()
	if !r.NotModified || status != http.StatusNotModified || inm == "" {
		t.Errorf("second fetch: got NotModified=%v, upstream answered %d to If-None-Match %q; want a 304 to the stored ETag",
			r.NotModified, status, inm)
	}
	if r.New != 0 || r.Updated != 0 {
		t.Errorf("second fetch: got %d new, %d updated; want none", r.New, r.Updated)
	}
	if got := h.Feed("/feed.atom"); !slices.Equal(vigietest.Titles(got), vigietest.Titles(f)) || got.Items[0].GUID != id || !got.Items[0].UpdatedParsed.Equal(updated) {
		t.Errorf("after a 304: got entries %q, first %q updated %v; want them unchanged", vigietest.Titles(got), got.Items[0].GUID, got.Items[0].UpdatedParsed)
	}

	// The export now carries the answer: the same entry, with new text.
	up.Set(vigietest.Fixture(t, "senat-questions-answered.csv"), ctype)
	r = h.FetchAll()[0]
	if inm, status := up.Last(); status != http.StatusOK || inm == "" {
		t.Errorf("third fetch: upstream answered %d to If-None-Match %q; want 200 to a conditional request", status, inm)
	}
	if r.NotModified || r.New != 0 || r.Updated != 1 || r.Published != 1 || r.RowErrors != 2 {
		t.Errorf("answered export: got NotModified=%v, %d new, %d updated, %d published, %d row errors; want false, 0, 1, 1, 2",
			r.NotModified, r.New, r.Updated, r.Published, r.RowErrors)
	}
	f = h.Feed("/feed.atom")
	got := findItem(f, "QE n° 09077")
	if len(got) != 1 {
		t.Fatalf("entries for 09077: got %d, want 1 (all: %q)", len(got), vigietest.Titles(f))
	}
	a := got[0]
	if a.GUID != id {
		t.Errorf("id: got %q, want %q", a.GUID, id)
	}
	if !strings.Contains(a.Description, "Réponse publiée au JO le 14/03/2024") || strings.Contains(a.Description, "En attente de réponse") {
		t.Errorf("summary: got %q, want the answer of 14/03/2024", a.Description)
	}
	if a.UpdatedParsed == nil || !a.UpdatedParsed.After(updated) {
		t.Errorf("updated: got %v, want later than %v", a.UpdatedParsed, updated)
	}
	if a.Title != q09077Title || a.Link != q09077Link || a.Author == nil || a.Author.Name != q09077By {
		t.Errorf("answered entry: got %q, %q, %+v; want title, link and author unchanged", a.Title, a.Link, a.Author)
	}
	if n := len(f.Items); n != 2 {
		t.Errorf("entries: got %d, want 2: %q", n, vigietest.Titles(f))
	}

	// A restart keeps the id and the answer.
	h2 := h.Reopen()
	got = findItem(h2.Feed("/feed.atom"), "QE n° 09077")
	if len(got) != 1 || got[0].GUID != id || !strings.Contains(got[0].Description, "14/03/2024") {
		t.Errorf("after reopening: got %d entries for 09077, want 1 with id %q and its answer", len(got), id)
	}
	// And the next fetch of the same export is a 304 again.
	if r := h2.FetchAll()[0]; !r.NotModified {
		inm, status := up.Last()
		t.Errorf("after reopening: got NotModified=false (upstream answered %d to If-None-Match %q), want a 304", status, inm)
	}
}

// TestSenateUnchangedBodyWritesNothing fetches the same export twice from a
// server that ignores validators: the second cycle sees the same bytes,
// parses nothing (no row read, so no row error) and changes nothing.
func TestSenateUnchangedBodyWritesNothing(t *testing.T) {
	u, up := newSenate(t)
	up.IgnoreValidators()
	up.Set(vigietest.Fixture(t, "senat-questions.csv"), "text/csv")
	h := vigietest.New(t, vigietest.ParseConfig(t, senatConfig(u.URL(senatPath))), vigietest.Options{})
	h.FetchAll()
	before := string(h.GetBody("/feed.atom"))
	r := h.FetchAll()[0]
	if r.Outcome() != watch.OutcomeSameBody || r.Fetched != 10 || r.New != 0 || r.Updated != 0 || r.RowErrors != 0 {
		t.Errorf("second fetch: got %s, %d fetched, %d new, %d updated, %d row errors; want same_body, 10, 0, 0, 0",
			r.Outcome(), r.Fetched, r.New, r.Updated, r.RowErrors)
	}
	if after := string(h.GetBody("/feed.atom")); after != before {
		t.Errorf("/feed.atom changed after an unchanged export:\n got %s\nwant %s", after, before)
	}
}

func sameSet(got, want []string) bool {
	g, w := slices.Clone(got), slices.Clone(want)
	slices.Sort(g)
	slices.Sort(w)
	return slices.Equal(g, w)
}
