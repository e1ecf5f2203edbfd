package server_test

import (
	"bytes"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/vigie-watch/vigie/internal/server"
	"github.com/vigie-watch/vigie/internal/store"
	"github.com/vigie-watch/vigie/internal/vigietest"
)

func TestFeedBytesStable(t *testing.T) {
	u := newUpstream(t)
	h := newHarness(t, baseConfig(u, ""))
	h.FetchAll()
	paths := []string{"/feed.atom", "/feed.rss", "/feed.json", "/topics/vsa.atom", "/topics/drones.rss"}
	first := map[string][]byte{}
	for _, p := range paths {
		first[p] = h.GetBody(p)
	}
	check := func(when string) {
		t.Helper()
		for _, p := range paths {
			if got := h.GetBody(p); !bytes.Equal(got, first[p]) {
				t.Errorf("%s %s: bytes changed:\n got %s\nwant %s", p, when, got, first[p])
			}
		}
	}
	check("on a second request")
	for _, r := range h.FetchAll() {
		if r.New != 0 || r.Updated != 0 {
			t.Fatalf("second pass over %s: got %d new, %d updated; want none", r.Source, r.New, r.Updated)
		}
	}
	check("after a pass that changed nothing")

	// A fresh store filled from the same sources renders the same bytes.
	h2 := newHarness(t, baseConfig(u, ""))
	h2.FetchAll()
	for _, p := range paths {
		if got := h2.GetBody(p); !bytes.Equal(got, first[p]) {
			t.Errorf("%s from another database: bytes differ:\n got %s\nwant %s", p, got, first[p])
		}
	}

	// New data: a new story matches.
	oldTag := h.Get(http.MethodGet, "/feed.atom").Header().Get("ETag")
	oldLM := h.Get(http.MethodGet, "/feed.atom").Header().Get("Last-Modified")
	const fresh = "BriefCam : le ministère de l’Intérieur ouvre une enquête administrative"
	feed := strings.Replace(string(vigietest.Fixture(t, "franceinfo.rss")), "<item>", `<item>
  <title>`+fresh+`</title>
  <link>https://www.francetvinfo.fr/societe/briefcam-enquete_6160000.html</link>
  <guid>https://www.francetvinfo.fr/societe/briefcam-enquete_6160000.html</guid>
  <description>Gérald Darmanin a demandé un rapport.</description>
  <pubDate>Wed, 15 Nov 2023 09:00:00 +0100</pubDate>
</item>
<item>`, 1)
	u.Set("/titres.rss", []byte(feed), fixtureType)
	h.FetchAll()
	rec := h.Get(http.MethodGet, "/feed.atom", "If-None-Match", oldTag)
	if rec.Code != http.StatusOK {
		t.Fatalf("If-None-Match with the old ETag after new data: got %d, want 200", rec.Code)
	}
	if bytes.Equal(rec.Body.Bytes(), first["/feed.atom"]) {
		t.Errorf("/feed.atom: bytes unchanged after new data")
	}
	if got := rec.Header().Get("ETag"); got == oldTag {
		t.Errorf("ETag: got %q again after new data", got)
	}
	if got, want := rec.Header().Get("Last-Modified"), "Wed, 15 Nov 2023 08:00:00 GMT"; got != want || got == oldLM {
		t.Errorf("Last-Modified: got %q, want %q", got, want)
	}
	if got := vigietest.Titles(h.Feed("/feed.json")); len(got) != 5 || got[0] != fresh {
		t.Errorf("/feed.json after new data: got %q, want %q first of 5", got, fresh)
	}
	if got := h.GetBody("/topics/drones.rss"); !bytes.Equal(got, first["/topics/drones.rss"]) {
		t.Errorf("/topics/drones.rss changed though none of its entries did")
	}
}

func TestFeedLastModifiedNeverGoesBack(t *testing.T) {
	u := newUpstream(t)
	h := newHarness(t, baseConfig(u, ""))
	h.FetchAll()
	before := h.Get(http.MethodGet, "/feed.atom")
	lm, _ := http.ParseTime(before.Header().Get("Last-Modified"))
	// Without BriefCam as a keyword, the story behind Last-Modified leaves
	// the feed but others remain: a reader holding the old feed must get
	// the new one, even with If-Modified-Since alone.
	cfg := vigietest.ParseConfig(t, strings.Replace(baseConfig(u, ""), "[reconnaissance faciale, BriefCam, VSA]", "[VSA]", 1))
	if err := h.Engine.Apply(t.Context(), cfg); err != nil {
		t.Fatal(err)
	}
	rec := h.Get(http.MethodGet, "/feed.atom", "If-Modified-Since", before.Header().Get("Last-Modified"))
	if rec.Code != http.StatusOK {
		t.Fatalf("If-Modified-Since after a keyword edit: got %d, want 200", rec.Code)
	}
	got, _ := http.ParseTime(rec.Header().Get("Last-Modified"))
	if !got.After(lm) {
		t.Errorf("Last-Modified: got %v, want after %v", got, lm)
	}
	if f := h.Feed("/feed.atom"); !slices.Equal(vigietest.Titles(f), []string{cnil, jo}) {
		t.Errorf("entries after the edit: got %q, want %q", vigietest.Titles(f), []string{cnil, jo})
	}
}

func TestFeedTiesKeepTheirOrder(t *testing.T) {
	u := newUpstream(t)
	var items strings.Builder
	for _, n := range []string{"un", "deux", "trois", "quatre"} {
		items.WriteString(`<item><title>VSA : épisode ` + n + `</title><link>https://example.org/vsa-` + n + `</link>` +
			`<pubDate>Mon, 06 Nov 2023 10:00:00 +0100</pubDate></item>`)
	}
	u.Set("/titres.rss", []byte(`<rss version="2.0"><channel><title>t</title>`+items.String()+`</channel></rss>`), fixtureType)
	h := newHarness(t, baseConfig(u, ""))
	h.FetchAll()
	first := vigietest.Titles(h.Feed("/feed.atom"))
	if len(first) != 5 {
		t.Fatalf("got %d entries, want 5: %q", len(first), first)
	}
	// New data elsewhere in the feed leaves the ties in their order.
	u.Set("/disclose", []byte(strings.Replace(string(vigietest.Fixture(t, "disclose.atom")), "menti", "menti, BriefCam aussi", 1)), fixtureType)
	h.FetchAll()
	want := append(slices.Clone(first), "Pollution : les industriels du plastique ont menti, BriefCam aussi")
	if got := vigietest.Titles(h.Feed("/feed.atom")); !slices.Equal(got, want) {
		t.Errorf("order of ties after new data:\n got %q\nwant %q", got, want)
	}
	if got := vigietest.Titles(h.Feed("/feed.rss")); !slices.Equal(got, want) {
		t.Errorf("order of ties in RSS:\n got %q\nwant %q", got, first)
	}
	// Another database filled the same way gives the same order.
	h2 := newHarness(t, baseConfig(u, ""))
	h2.FetchAll()
	if got := vigietest.Titles(h2.Feed("/feed.atom")); !slices.Equal(got, want) {
		t.Errorf("order of ties in another database:\n got %q\nwant %q", got, want)
	}
}

func TestFeedRenderedOncePerChange(t *testing.T) {
	u := newUpstream(t)
	counted := &countingStore{}
	h := vigietest.New(t, vigietest.ParseConfig(t, baseConfig(u, "")), vigietest.Options{
		ServerStore: func(st *store.Store) server.Store { counted.Store = st; return counted },
	})
	h.FetchAll()
	reads := func() int64 { return counted.entries.Load() }
	for range 20 {
		for _, p := range []string{"/feed.atom", "/feed.rss", "/feed.json", "/"} {
			h.Get(http.MethodGet, p)
			h.Get(http.MethodGet, p, "Accept-Encoding", "gzip")
			h.Get(http.MethodHead, p)
		}
	}
	if got := reads(); got != 1 {
		t.Errorf("reads of the main feed's entries after 240 requests: got %d, want 1", got)
	}
	for range 10 {
		h.Get(http.MethodGet, "/topics/vsa.atom")
		h.Get(http.MethodGet, "/topics/vsa.json")
		h.Get(http.MethodGet, "/topics/drones.rss")
	}
	if got := reads(); got != 3 {
		t.Errorf("reads after requests to two topics: got %d, want 3", got)
	}
	h.FetchAll() // changes nothing
	for range 5 {
		h.Get(http.MethodGet, "/feed.atom")
		h.Get(http.MethodGet, "/topics/vsa.atom")
	}
	if got := reads(); got != 3 {
		t.Errorf("reads after a pass that changed nothing: got %d, want 3", got)
	}
	u.Set("/titres.rss", []byte(strings.Replace(string(vigietest.Fixture(t, "franceinfo.rss")), "« en dehors de tout cadre légal »", "« hors cadre »", 1)), fixtureType)
	h.FetchAll()
	for range 5 {
		h.Get(http.MethodGet, "/feed.atom")
		h.Get(http.MethodGet, "/feed.rss")
		h.Get(http.MethodGet, "/")
	}
	if got := reads(); got != 4 {
		t.Errorf("reads after new data: got %d, want 4", got)
	}
}
