package vigietest

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/mmcdole/gofeed"

	"github.com/vigie-watch/vigie/aggregator"
	"github.com/vigie-watch/vigie/internal/config"
	"github.com/vigie-watch/vigie/internal/fetch"
	"github.com/vigie-watch/vigie/internal/server"
	"github.com/vigie-watch/vigie/internal/store"
	"github.com/vigie-watch/vigie/internal/watch"
)

// Options change how New wires vigie; the zero value wires it as the
// daemon does, on a new database.
type Options struct {
	// Database is the SQLite file, created if missing; by default
	// vigie.db in a new temporary directory. The config's own database
	// is ignored.
	Database string
	// Engine is passed to aggregator.New (a fake clock, a logger...).
	Engine aggregator.Options
	// ServerStore, when set, wraps the store the HTTP handlers read, to
	// count or alter what they see.
	ServerStore func(*store.Store) server.Store
}

// Harness is vigie wired as the daemon wires it: the real store on a real
// SQLite file, the real fetch client with the config's body cap, the
// engine, and the HTTP handlers, called in-process. The store is closed
// when the test ends.
type Harness struct {
	TB       testing.TB
	Config   *config.Config
	Database string // the SQLite file
	Store    *store.Store
	Engine   *aggregator.Engine
	Handler  http.Handler // the daemon's routes
	opts     Options
}

// New wires vigie for cfg, and rematches what the database already holds
// as the daemon does when it starts.
func New(tb testing.TB, cfg *config.Config, opts Options) *Harness {
	tb.Helper()
	if opts.Database == "" {
		opts.Database = filepath.Join(tb.TempDir(), "vigie.db")
	}
	ctx := context.Background()
	st, err := store.Open(ctx, opts.Database)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	client := fetch.NewClient(fetch.ClientOptions{UserAgent: "vigie-test", MaxBodyBytes: cfg.MaxBodyBytes})
	fetchLog := server.NewFetchLog(nil) // the page's strips of recent fetches
	engOpts := opts.Engine
	engOpts.Observer = observers{fetchLog, opts.Engine.Observer}
	eng, err := aggregator.New(cfg, st, client, engOpts)
	if err != nil {
		tb.Fatal(err)
	}
	if err := eng.Rematch(ctx); err != nil {
		tb.Fatal(err)
	}
	var served server.Store = st
	if opts.ServerStore != nil {
		served = opts.ServerStore(st)
	}
	logger := slog.New(slog.NewTextHandler(tb.Output(), nil))
	return &Harness{
		TB:       tb,
		Config:   cfg,
		Database: opts.Database,
		Store:    st,
		Engine:   eng,
		Handler:  server.New(served, eng, server.Options{Logger: logger, FetchLog: fetchLog}).Handler(),
		opts:     opts,
	}
}

// Reopen closes the store and wires vigie again on the same database and
// options, as a restart does.
func (h *Harness) Reopen() *Harness {
	h.TB.Helper()
	if err := h.Store.Close(); err != nil {
		h.TB.Fatalf("close the store: %v", err)
	}
	return New(h.TB, h.Config, h.opts)
}

// FetchAll runs one pass over every source. It fails the test when a
// source fails, except those named in failing, which must fail.
func (h *Harness) FetchAll(failing ...string) []watch.Report {
	h.TB.Helper()
	reports := h.Engine.FetchAll(context.Background())
	for _, r := range reports {
		expected := slices.Contains(failing, r.Source)
		switch {
		case r.Err != nil && !expected:
			h.TB.Fatalf("source %s: %v", r.Source, r.Err)
		case r.Err == nil && expected:
			h.TB.Fatalf("source %s: got no error, want it to fail", r.Source)
		}
	}
	return reports
}

// Get serves a request to the handlers; headers come as name, value pairs.
func (h *Harness) Get(method, path string, headers ...string) *httptest.ResponseRecorder {
	h.TB.Helper()
	req := httptest.NewRequest(method, path, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	h.Handler.ServeHTTP(rec, req)
	return rec
}

// GetBody returns the body of the answer to GET path, failing the test
// unless it is a 200.
func (h *Harness) GetBody(path string, headers ...string) []byte {
	h.TB.Helper()
	rec := h.Get(http.MethodGet, path, headers...)
	if rec.Code != http.StatusOK {
		h.TB.Fatalf("GET %s: got %d, want 200: %s", path, rec.Code, rec.Body)
	}
	return rec.Body.Bytes()
}

// feedKinds maps a feed's extension to its content type and gofeed's name
// for its format.
var feedKinds = map[string]struct{ ctype, feedType string }{
	".atom": {"application/atom+xml", "atom"},
	".rss":  {"application/rss+xml", "rss"},
	".json": {"application/feed+json", "json"},
}

// Feed reads a served feed as a reader does, with gofeed. For a path ending
// in .atom, .rss or .json it checks the content type and the format.
func (h *Harness) Feed(path string) *gofeed.Feed {
	h.TB.Helper()
	rec := h.Get(http.MethodGet, path)
	if rec.Code != http.StatusOK {
		h.TB.Fatalf("GET %s: got %d, want 200: %s", path, rec.Code, rec.Body)
	}
	kind, known := feedKinds[filepath.Ext(path)]
	if ct := rec.Header().Get("Content-Type"); known && !strings.HasPrefix(ct, kind.ctype) {
		h.TB.Errorf("GET %s: Content-Type: got %q, want %s", path, ct, kind.ctype)
	}
	f, err := gofeed.NewParser().ParseString(rec.Body.String())
	if err != nil {
		h.TB.Fatalf("parse %s: %v\n%s", path, err, rec.Body)
	}
	if known && f.FeedType != kind.feedType {
		h.TB.Fatalf("%s: feed type: got %q, want %s", path, f.FeedType, kind.feedType)
	}
	return f
}

// Titles lists the titles of a feed's entries, in order.
func Titles(f *gofeed.Feed) []string {
	out := []string{}
	for _, it := range f.Items {
		out = append(out, it.Title)
	}
	return out
}

// observers tells each of its non-nil observers about every fetch, as the
// daemon tells its metrics and its page.
type observers []aggregator.Observer

func (o observers) Fetched(r watch.Report) {
	for _, obs := range o {
		if obs != nil {
			obs.Fetched(r)
		}
	}
}
