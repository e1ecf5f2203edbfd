package server_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/mmcdole/gofeed"

	"github.com/vigie-watch/vigie/aggregator"
	"github.com/vigie-watch/vigie/internal/config"
	"github.com/vigie-watch/vigie/internal/fetch"
	"github.com/vigie-watch/vigie/internal/server"
	"github.com/vigie-watch/vigie/internal/store"
	"github.com/vigie-watch/vigie/internal/watch"
)

// Titles of the stories in testdata, as the feeds publish them.
const (
	briefcam = "Reconnaissance faciale : la police nationale a utilisé le logiciel israélien BriefCam « en dehors de tout cadre légal »"
	disclose = "La police nationale utilise illégalement un logiciel israélien de\u00a0vidéosurveillance"
	cnil     = `Caméras augmentées : la CNIL <script>alert("titre")</script> publie son avis sur la VSA`
	jo       = "JO de Paris : le Conseil constitutionnel valide l'expérimentation de la VSA"
	drones   = "Drones : la préfecture de police autorisée à survoler les manifestations"
)

// mainTitles is the main feed of the fixtures, newest first.
var mainTitles = []string{briefcam, disclose, cnil, jo}

// upstream serves fixture feeds that a test may change between fetches.
type upstream struct {
	mu     sync.Mutex
	files  map[string][]byte
	status map[string]int
	srv    *httptest.Server
}

func newUpstream(t testing.TB) *upstream {
	u := &upstream{files: map[string][]byte{}, status: map[string]int{}}
	u.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u.mu.Lock()
		body, ok := u.files[r.URL.Path]
		code := u.status[r.URL.Path]
		u.mu.Unlock()
		switch {
		case code != 0:
			http.Error(w, http.StatusText(code), code)
		case !ok:
			http.NotFound(w, r)
		default:
			w.Header().Set("Content-Type", "application/xml; charset=utf-8")
			w.Write(body)
		}
	}))
	t.Cleanup(u.srv.Close)
	u.set("/titres.rss", readFixture(t, "franceinfo.rss"))
	u.set("/disclose", readFixture(t, "disclose.atom"))
	return u
}

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func (u *upstream) set(path string, body []byte) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.files[path] = body
}

// fail makes path answer with an HTTP error status.
func (u *upstream) fail(path string, code int) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.status[path] = code
}

// baseConfig is the configuration of the tests; extra is YAML appended at
// the top level.
func baseConfig(u *upstream, extra string) string {
	return fmt.Sprintf(`database: unused.db
feed:
  title: "Veille : reconnaissance faciale"
  url: http://vigie.example/feed.atom
sources:
  - name: franceinfo
    url: %s/titres.rss
  - name: Disclose
    url: %s/disclose
keywords: [reconnaissance faciale, BriefCam, VSA]
exclude: [Face ID]
topics:
  - name: drones
    title: "Veille : drones"
    keywords: [drones]
  - name: vsa
    keywords: [VSA, vidéosurveillance algorithmique]
    exclude: [JO]
%s`, u.srv.URL, u.srv.URL, extra)
}

func parseConfig(t testing.TB, yaml string) *config.Config {
	t.Helper()
	cfg, err := config.Parse(strings.NewReader(yaml))
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	return cfg
}

// countingStore is the real store, counting the reads of entries.
type countingStore struct {
	*store.Store
	entries atomic.Int64
}

func (c *countingStore) Entries(ctx context.Context, topic string, limit int) ([]watch.Entry, error) {
	c.entries.Add(1)
	return c.Store.Entries(ctx, topic, limit)
}

// harness is vigie wired as the daemon wires it, on a real SQLite file.
type harness struct {
	t       testing.TB
	up      *upstream
	store   *store.Store
	counted *countingStore
	engine  *aggregator.Engine
	handler http.Handler
}

func newHarness(t testing.TB, u *upstream, cfg *config.Config) *harness {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "vigie.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	client := fetch.NewClient(fetch.ClientOptions{UserAgent: "vigie-test"})
	fetchLog := server.NewFetchLog(nil)
	eng, err := aggregator.New(cfg, st, client, aggregator.Options{Observer: fetchLog})
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, up: u, store: st, counted: &countingStore{Store: st}, engine: eng}
	logger := slog.New(slog.NewTextHandler(t.Output(), nil))
	h.handler = server.New(h.counted, eng, server.Options{Logger: logger, FetchLog: fetchLog}).Handler()
	return h
}

// fetchAll runs one pass over every source and fails the test on any
// error other than the ones the test asked the upstream for.
func (h *harness) fetchAll() []watch.Report {
	h.t.Helper()
	reports := h.engine.FetchAll(context.Background())
	h.up.mu.Lock()
	defer h.up.mu.Unlock()
	for _, r := range reports {
		if r.Err != nil && len(h.up.status) == 0 {
			h.t.Fatalf("source %s: %v", r.Source, r.Err)
		}
	}
	return reports
}

// get serves a request; headers come as name, value pairs.
func (h *harness) get(method, path string, headers ...string) *httptest.ResponseRecorder {
	h.t.Helper()
	req := httptest.NewRequest(method, path, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	h.handler.ServeHTTP(rec, req)
	return rec
}

// mustGet returns the body of a 200 answer to GET path.
func (h *harness) mustGet(path string, headers ...string) []byte {
	h.t.Helper()
	rec := h.get(http.MethodGet, path, headers...)
	if rec.Code != http.StatusOK {
		h.t.Fatalf("GET %s: got %d, want 200: %s", path, rec.Code, rec.Body)
	}
	return rec.Body.Bytes()
}

// parse parses a served feed with gofeed.
func (h *harness) parse(path string) *gofeed.Feed {
	h.t.Helper()
	body := h.mustGet(path)
	f, err := gofeed.NewParser().ParseString(string(body))
	if err != nil {
		h.t.Fatalf("parse %s: %v\n%s", path, err, body)
	}
	return f
}

func titles(f *gofeed.Feed) []string {
	out := []string{}
	for _, it := range f.Items {
		out = append(out, it.Title)
	}
	return out
}
