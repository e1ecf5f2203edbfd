package aggregator_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/vigie-watch/vigie/aggregator"
	"github.com/vigie-watch/vigie/internal/config"
	"github.com/vigie-watch/vigie/internal/fetch"
	"github.com/vigie-watch/vigie/internal/server"
	"github.com/vigie-watch/vigie/internal/store"
	"github.com/vigie-watch/vigie/internal/watch"
)

// upstream serves fixture feeds that a test may change between cycles.
type upstream struct {
	mu    sync.Mutex
	files map[string][]byte // by path
	ctype map[string]string
	hits  map[string]int
	srv   *httptest.Server
}

func newUpstream(t *testing.T) *upstream {
	u := &upstream{files: map[string][]byte{}, ctype: map[string]string{}, hits: map[string]int{}}
	u.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u.mu.Lock()
		body, ok := u.files[r.URL.Path]
		ctype := u.ctype[r.URL.Path]
		u.hits[r.URL.Path]++
		u.mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", ctype)
		w.Write(body)
	}))
	t.Cleanup(u.srv.Close)
	return u
}

// serve publishes a fixture of testdata at path.
func (u *upstream) serve(t *testing.T, path, fixture, ctype string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", fixture))
	if err != nil {
		t.Fatal(err)
	}
	u.set(path, b, ctype)
}

func (u *upstream) set(path string, body []byte, ctype string) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.files[path] = body
	u.ctype[path] = ctype
}

func (u *upstream) url(path string) string { return u.srv.URL + path }

// harness is vigie wired as the daemon wires it, on a real SQLite file.
type harness struct {
	t      *testing.T
	dbPath string
	cfg    *config.Config
	store  *store.Store
	engine *aggregator.Engine
	http   http.Handler
}

func parseConfig(t *testing.T, yaml string) *config.Config {
	t.Helper()
	cfg, err := config.Parse(strings.NewReader(yaml))
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	return cfg
}

func newHarness(t *testing.T, dbPath string, cfg *config.Config) *harness {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	client := fetch.NewClient(fetch.ClientOptions{UserAgent: "vigie-test"})
	eng, err := aggregator.New(cfg, st, client, aggregator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := eng.Rematch(ctx); err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, dbPath: dbPath, cfg: cfg, store: st, engine: eng}
	h.http = server.New(st, eng, server.Options{Logger: slog.New(slog.NewTextHandler(t.Output(), nil))}).Handler()
	return h
}

func (h *harness) fetchAll() []watch.Report {
	h.t.Helper()
	reports := h.engine.FetchAll(context.Background())
	for _, r := range reports {
		if r.Err != nil {
			h.t.Fatalf("source %s: %v", r.Source, r.Err)
		}
	}
	return reports
}

// atom reads /feed.atom through the HTTP handler and parses it with gofeed.
func (h *harness) atom() *gofeed.Feed {
	h.t.Helper()
	rec := httptest.NewRecorder()
	h.http.ServeHTTP(rec, httptest.NewRequest("GET", "/feed.atom", nil))
	if rec.Code != http.StatusOK {
		h.t.Fatalf("GET /feed.atom: got %d, want 200: %s", rec.Code, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/atom+xml") {
		h.t.Errorf("Content-Type: got %q, want application/atom+xml", ct)
	}
	f, err := gofeed.NewParser().ParseString(rec.Body.String())
	if err != nil {
		h.t.Fatalf("parse /feed.atom: %v\n%s", err, rec.Body)
	}
	if f.FeedType != "atom" {
		h.t.Fatalf("feed type: got %q, want atom", f.FeedType)
	}
	return f
}

func titles(f *gofeed.Feed) []string {
	var out []string
	for _, it := range f.Items {
		out = append(out, it.Title)
	}
	return out
}

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

const (
	briefcam = "Reconnaissance faciale : la police nationale a utilisé le logiciel israélien BriefCam « en dehors de tout cadre légal »"
	disclose = "La police nationale utilise illégalement un logiciel israélien de\u00a0vidéosurveillance"
	vsa      = "JO de Paris : le Conseil constitutionnel valide l'expérimentation de la VSA"
)

func baseConfig(u *upstream, keywords string) string {
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
`, u.url("/titres.rss"), u.url("/societe.rss"), u.url("/feed"), keywords)
}

func TestEndToEnd(t *testing.T) {
	u := newUpstream(t)
	u.serve(t, "/titres.rss", "franceinfo-titres.rss", "application/rss+xml; charset=UTF-8")
	u.serve(t, "/societe.rss", "franceinfo-societe.rss", "application/rss+xml")
	u.serve(t, "/feed", "disclose.atom", "application/atom+xml")
	dbPath := filepath.Join(t.TempDir(), "vigie.db")
	cfg := parseConfig(t, baseConfig(u, "[reconnaissance faciale, BriefCam, VSA]"))
	h := newHarness(t, dbPath, cfg)

	reports := h.fetchAll()
	// The two franceinfo feeds carry the same five stories under other GUIDs.
	if got := reports[0].New + reports[1].New; reports[0].Fetched != 5 || reports[1].Fetched != 5 || got != 5 {
		t.Errorf("franceinfo feeds: got %d+%d fetched, %d new; want 5+5 fetched, 5 new", reports[0].Fetched, reports[1].Fetched, got)
	}
	f := h.atom()
	want := []string{briefcam, disclose, vsa} // newest first
	if got := titles(f); !slices.Equal(got, want) {
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
	for _, r := range h.fetchAll() {
		if r.New != 0 || r.Updated != 0 {
			t.Errorf("second cycle of %s: got %d new, %d updated; want none", r.Source, r.New, r.Updated)
		}
	}
	f2 := h.atom()
	if got := titles(f2); !slices.Equal(got, want) {
		t.Fatalf("after a second cycle:\n got %q\nwant %q", got, want)
	}
	if got := ids(f2); !mapsEqual(got, firstIDs) {
		t.Errorf("ids changed after a second cycle: got %v, want %v", got, firstIDs)
	}

	// Reopening the database keeps the ids.
	h.store.Close()
	h2 := newHarness(t, dbPath, cfg)
	if got := ids(h2.atom()); !mapsEqual(got, firstIDs) {
		t.Errorf("ids changed after reopening: got %v, want %v", got, firstIDs)
	}
}

func TestKeywordEditAppliesToStoredItems(t *testing.T) {
	u := newUpstream(t)
	u.serve(t, "/titres.rss", "franceinfo-titres.rss", "application/rss+xml")
	u.serve(t, "/societe.rss", "franceinfo-societe.rss", "application/rss+xml")
	u.serve(t, "/feed", "disclose.atom", "application/atom+xml")
	h := newHarness(t, filepath.Join(t.TempDir(), "vigie.db"), parseConfig(t, baseConfig(u, "[BriefCam]")))
	h.fetchAll()
	if got := titles(h.atom()); !slices.Equal(got, []string{briefcam}) {
		t.Fatalf("before the edit: got %q", got)
	}
	// The sources no longer carry anything: the edit must use what is stored.
	for _, p := range []string{"/titres.rss", "/societe.rss", "/feed"} {
		u.set(p, []byte(`<rss version="2.0"><channel><title>vide</title></channel></rss>`), "application/rss+xml")
	}
	hits := u.hits["/titres.rss"]
	if err := h.engine.Apply(context.Background(), parseConfig(t, baseConfig(u, "[drones, VSA]"))); err != nil {
		t.Fatal(err)
	}
	got := titles(h.atom())
	want := []string{"Drones : la préfecture de police autorisée à survoler les manifestations", vsa}
	if !slices.Equal(got, want) {
		t.Errorf("after the edit:\n got %q\nwant %q", got, want)
	}
	if u.hits["/titres.rss"] != hits {
		t.Errorf("the edit refetched the source")
	}
}

func TestUpdatedStoryKeepsItsID(t *testing.T) {
	u := newUpstream(t)
	u.serve(t, "/titres.rss", "franceinfo-titres.rss", "application/rss+xml")
	u.serve(t, "/societe.rss", "franceinfo-societe.rss", "application/rss+xml")
	u.serve(t, "/feed", "disclose.atom", "application/atom+xml")
	h := newHarness(t, filepath.Join(t.TempDir(), "vigie.db"), parseConfig(t, baseConfig(u, "[reconnaissance faciale]")))
	h.fetchAll()
	before := h.atom()
	b, _ := os.ReadFile("testdata/franceinfo-titres.rss")
	changed := strings.Replace(string(b), "« en dehors de tout cadre légal »", "« en dehors de tout cadre légal », confirme le ministère", 1)
	u.set("/titres.rss", []byte(changed), "application/rss+xml")
	time.Sleep(1100 * time.Millisecond) // <updated> has a resolution of one second
	reports := h.fetchAll()
	if reports[0].Updated != 1 || reports[0].New != 0 {
		t.Errorf("got %d updated, %d new; want 1 and 0", reports[0].Updated, reports[0].New)
	}
	after := h.atom()
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

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
