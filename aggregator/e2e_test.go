package aggregator_test

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/vigie-watch/vigie/internal/vigietest"
)

func ids(f *gofeed.Feed) map[string]string {
	out := map[string]string{}
	for _, it := range f.Items {
		out[it.Title] = it.GUID
	}
	return out
}

func hasTitle(f *gofeed.Feed, prefix string) bool {
	return slices.ContainsFunc(f.Items, func(it *gofeed.Item) bool { return strings.HasPrefix(it.Title, prefix) })
}

// newFixtureUpstream serves the two franceinfo feeds (the main one as
// titresType) and Disclose's.
func newFixtureUpstream(t *testing.T, titresType string) *vigietest.Upstream {
	u := vigietest.NewUpstream(t)
	u.Set("/titres.rss", vigietest.Fixture(t, "franceinfo-titres.rss"), titresType)
	u.Set("/societe.rss", vigietest.Fixture(t, "franceinfo-societe.rss"), "application/rss+xml")
	u.Set("/feed", vigietest.Fixture(t, "disclose.atom"), "application/atom+xml")
	return u
}

const (
	briefcam = "Reconnaissance faciale : la police nationale a utilisé le logiciel israélien BriefCam « en dehors de tout cadre légal »"
	disclose = "La police nationale utilise illégalement un logiciel israélien de\u00a0vidéosurveillance"
	vsa      = "JO de Paris : le Conseil constitutionnel valide l'expérimentation de la VSA"
)

func baseConfig(u *vigietest.Upstream, keywords string) string {
	return fmt.Sprintf(`database: unused.db
feed:
  title: "Veille : reconnaissance faciale"
  url: http://vigie.example/feed.atom
sources:
  - name: franceinfo
    url: %s
  - name: franceinfo société
    url: %s
  - name: Disclose
    url: %s
keywords: %s
exclude:
  - Face ID
`, u.URL("/titres.rss"), u.URL("/societe.rss"), u.URL("/feed"), keywords)
}

func TestEndToEnd(t *testing.T) {
	u := newFixtureUpstream(t, "application/rss+xml; charset=UTF-8")
	h := vigietest.New(t, vigietest.ParseConfig(t, baseConfig(u, "[reconnaissance faciale, BriefCam, VSA]")), vigietest.Options{})

	reports := h.FetchAll()
	// The two franceinfo feeds carry the same five stories under other GUIDs.
	if got := reports[0].New + reports[1].New; reports[0].Fetched != 5 || reports[1].Fetched != 5 || got != 5 {
		t.Errorf("franceinfo feeds: got %d+%d fetched, %d new; want 5+5 fetched, 5 new", reports[0].Fetched, reports[1].Fetched, got)
	}
	f := h.Feed("/feed.atom")
	want := []string{briefcam, disclose, vsa} // newest first
	if got := vigietest.Titles(f); !slices.Equal(got, want) {
		t.Fatalf("entries:\n got %q\nwant %q", got, want)
	}
	if f.Items[1].Link != "https://disclose.ngo/fr/article/la-police-nationale-utilise-illegalement-un-logiciel-israelien/?utm_source=rss&utm_medium=rss" {
		t.Errorf("link: got %q, want the original article", f.Items[1].Link)
	}
	if !strings.Contains(f.Items[0].Link, "_6159871.html") {
		t.Errorf("link: got %q", f.Items[0].Link)
	}
	for _, it := range f.Items {
		if it.PublishedParsed == nil && it.UpdatedParsed == nil {
			t.Errorf("%q has no date", it.Title)
		}
		if it.Description == "" {
			t.Errorf("%q has no summary", it.Title)
		}
	}
	if got := f.Items[1].PublishedParsed; got == nil || !got.Equal(time.Date(2023, 11, 14, 8, 0, 0, 0, time.UTC)) {
		t.Errorf("published: got %v, want 2023-11-14T08:00:00Z", got)
	}
	firstIDs := ids(f)

	// A second cycle changes nothing.
	for _, r := range h.FetchAll() {
		if r.New != 0 || r.Updated != 0 {
			t.Errorf("second cycle of %s: got %d new, %d updated; want none", r.Source, r.New, r.Updated)
		}
	}
	f2 := h.Feed("/feed.atom")
	if got := vigietest.Titles(f2); !slices.Equal(got, want) {
		t.Fatalf("after a second cycle:\n got %q\nwant %q", got, want)
	}
	if got := ids(f2); !maps.Equal(got, firstIDs) {
		t.Errorf("ids changed after a second cycle: got %v, want %v", got, firstIDs)
	}

	// Reopening the database keeps the ids.
	h2 := h.Reopen()
	if got := ids(h2.Feed("/feed.atom")); !maps.Equal(got, firstIDs) {
		t.Errorf("ids changed after reopening: got %v, want %v", got, firstIDs)
	}
}

func TestKeywordEditAppliesToStoredItems(t *testing.T) {
	u := newFixtureUpstream(t, "application/rss+xml")
	h := vigietest.New(t, vigietest.ParseConfig(t, baseConfig(u, "[BriefCam]")), vigietest.Options{})
	h.FetchAll()
	if got := vigietest.Titles(h.Feed("/feed.atom")); !slices.Equal(got, []string{briefcam}) {
		t.Fatalf("before the edit: got %q", got)
	}
	// The sources no longer carry anything: the edit must use what is stored.
	for _, p := range []string{"/titres.rss", "/societe.rss", "/feed"} {
		u.Set(p, []byte(`<rss version="2.0"><channel><title>vide</title></channel></rss>`), "application/rss+xml")
	}
	hits := u.Hits("/titres.rss")
	if err := h.Engine.Apply(context.Background(), vigietest.ParseConfig(t, baseConfig(u, "[drones, VSA]"))); err != nil {
		t.Fatal(err)
	}
	got := vigietest.Titles(h.Feed("/feed.atom"))
	want := []string{"Drones : la préfecture de police autorisée à survoler les manifestations", vsa}
	if !slices.Equal(got, want) {
		t.Errorf("after the edit:\n got %q\nwant %q", got, want)
	}
	if u.Hits("/titres.rss") != hits {
		t.Errorf("the edit refetched the source")
	}
}

func TestUpdatedStoryKeepsItsID(t *testing.T) {
	u := newFixtureUpstream(t, "application/rss+xml")
	h := vigietest.New(t, vigietest.ParseConfig(t, baseConfig(u, "[reconnaissance faciale]")), vigietest.Options{})
	h.FetchAll()
	before := h.Feed("/feed.atom")
	b := vigietest.Fixture(t, "franceinfo-titres.rss")
	changed := strings.Replace(string(b), "« en dehors de tout cadre légal »", "« en dehors de tout cadre légal », confirme le ministère", 1)
	u.Set("/titres.rss", []byte(changed), "application/rss+xml")
	time.Sleep(1100 * time.Millisecond) // <updated> has a resolution of one second
	reports := h.FetchAll()
	if reports[0].Updated != 1 || reports[0].New != 0 {
		t.Errorf("got %d updated, %d new; want 1 and 0", reports[0].Updated, reports[0].New)
	}
	after := h.Feed("/feed.atom")
	if len(after.Items) != len(before.Items) {
		t.Fatalf("got %d entries, want %d", len(after.Items), len(before.Items))
	}
	if got, want := after.Items[0].Title, briefcam+", confirme le ministère"; got != want {
		t.Errorf("title: got %q, want %q", got, want)
	}
	if after.Items[0].GUID != before.Items[0].GUID {
		t.Errorf("id: got %q, want %q", after.Items[0].GUID, before.Items[0].GUID)
	}
	if !after.Items[0].UpdatedParsed.After(*before.Items[0].UpdatedParsed) {
		t.Errorf("updated: got %v, want later than %v", after.Items[0].UpdatedParsed, before.Items[0].UpdatedParsed)
	}
}
