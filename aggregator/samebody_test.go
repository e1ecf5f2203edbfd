package aggregator_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vigie-watch/vigie/aggregator"
	"github.com/vigie-watch/vigie/internal/config"
	"github.com/vigie-watch/vigie/internal/fetch"
	"github.com/vigie-watch/vigie/internal/store"
	"github.com/vigie-watch/vigie/internal/vigietest"
	"github.com/vigie-watch/vigie/internal/watch"
)

const rssType = "application/rss+xml; charset=utf-8"

// ignoring answers 200 with its body whatever the request's validators,
// under a new ETag each time, as servers that generate an ETag per
// response and never honour If-None-Match do.
type ignoring struct {
	mu      sync.Mutex
	body    []byte
	ctype   string
	answers int
}

func (s *ignoring) set(body []byte, ctype string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.body, s.ctype = body, ctype
}

func (s *ignoring) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.answers++
	w.Header().Set("ETag", fmt.Sprintf(`"r%d"`, s.answers))
	w.Header().Set("Content-Type", s.ctype)
	w.Write(s.body)
}

// countingStore is the real store, counting the engine's Ingest calls:
// a body not parsed again stores nothing.
type countingStore struct {
	*store.Store
	ingests atomic.Int32
}

func (c *countingStore) Ingest(ctx context.Context, st watch.SourceState, items []watch.Incoming, now time.Time) (watch.IngestResult, error) {
	c.ingests.Add(1)
	return c.Store.Ingest(ctx, st, items, now)
}

// sameBodyRig is vigie on one source served by an ignoring upstream: the
// harness (real SQLite store, real handlers) and an engine on the same
// store that counts its Ingest calls, on a fake clock.
type sameBodyRig struct {
	t        *testing.T
	h        *vigietest.Harness
	up       *vigietest.Upstream
	upstream *ignoring
	store    *countingStore
	eng      *aggregator.Engine
	clk      *vigietest.Clock
}

// sameBodyConfig is a config of one source "src" at url, its settings
// (YAML flow-mapping fields, "" for none) and the keywords.
func sameBodyConfig(t *testing.T, url, settings string, keywords ...string) *config.Config {
	t.Helper()
	if settings != "" {
		settings = ", " + settings
	}
	return vigietest.ParseConfig(t, fmt.Sprintf(`database: unused.db
feed: {title: Test, url: "http://vigie.example/feed.atom"}
keywords: [%s]
sources:
  - {name: src, url: %q%s}
`, strings.Join(keywords, ", "), url, settings))
}

func newSameBodyRig(t *testing.T, body []byte, ctype, settings string, keywords ...string) *sameBodyRig {
	t.Helper()
	r := &sameBodyRig{t: t, up: vigietest.NewUpstream(t), upstream: &ignoring{}, clk: newClock()}
	r.upstream.set(body, ctype)
	r.up.Handle("/feed", r.upstream)
	cfg := sameBodyConfig(t, r.up.URL("/feed"), settings, keywords...)
	r.h = vigietest.New(t, cfg, vigietest.Options{Engine: aggregator.Options{Now: r.clk.Now}})
	r.store = &countingStore{Store: r.h.Store}
	client := fetch.NewClient(fetch.ClientOptions{UserAgent: "vigie-test", MaxBodyBytes: cfg.MaxBodyBytes})
	eng, err := aggregator.New(cfg, r.store, client, aggregator.Options{Now: r.clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	r.eng = eng
	return r
}

// fetch runs a cycle of the source a minute after the previous one.
func (r *sameBodyRig) fetch() watch.Report {
	r.t.Helper()
	r.clk.Add(time.Minute)
	return r.eng.FetchSource(context.Background(), r.eng.Config().Sources[0])
}

// apply puts a config of the source with other settings or keywords in
// force, as saving config.yaml does.
func (r *sameBodyRig) apply(settings string, keywords ...string) {
	r.t.Helper()
	if err := r.eng.Apply(context.Background(), sameBodyConfig(r.t, r.up.URL("/feed"), settings, keywords...)); err != nil {
		r.t.Fatal(err)
	}
}

func (r *sameBodyRig) wantParsed(what string, rep watch.Report, ingests int32) {
	r.t.Helper()
	if rep.Err != nil || rep.Outcome() != watch.OutcomeOK {
		r.t.Fatalf("%s: got outcome %s (%v), want ok: the body parsed and stored", what, rep.Outcome(), rep.Err)
	}
	if got := r.store.ingests.Load(); got != ingests {
		r.t.Errorf("%s: got %d Ingest calls in all, want %d", what, got, ingests)
	}
}

func (r *sameBodyRig) wantSame(what string, rep watch.Report, ingests int32) {
	r.t.Helper()
	if rep.Err != nil || rep.Outcome() != watch.OutcomeSameBody || !rep.SameBody || rep.NotModified || rep.New != 0 || rep.Updated != 0 || rep.Published != 0 {
		r.t.Fatalf("%s: got outcome %s, %d new, %d updated, %d published (%v); want same_body and nothing new",
			what, rep.Outcome(), rep.New, rep.Updated, rep.Published, rep.Err)
	}
	if got := r.store.ingests.Load(); got != ingests {
		r.t.Errorf("%s: got %d Ingest calls in all, want %d: the same bytes were stored again", what, got, ingests)
	}
}

// entries returns the titles of the merged feed's entries.
func (r *sameBodyRig) entries() []string {
	r.t.Helper()
	return vigietest.Titles(r.h.Feed("/feed.atom"))
}

func TestSameBytesAreNotParsedAgain(t *testing.T) {
	body := vigietest.Fixture(t, "franceinfo-titres.rss")
	// A reference to a character XML forbids: counted each time the body
	// is parsed.
	body = bytes.Replace(body, []byte("Les titres de franceinfo"), []byte("Les titres&#0; de franceinfo"), 1)
	r := newSameBodyRig(t, body, rssType, "", "reconnaissance faciale")

	first := r.fetch()
	r.wantParsed("first fetch", first, 1)
	if first.New != 5 || first.BadCharRefs != 1 {
		t.Fatalf("first fetch: got %d new, %d bad references; want 5, 1", first.New, first.BadCharRefs)
	}
	before := r.h.GetBody("/feed.atom")

	second := r.fetch()
	r.wantSame("same bytes, new ETag", second, 1)
	if second.Fetched != first.Fetched || second.BadCharRefs != 0 || second.Status != http.StatusOK {
		t.Errorf("same bytes: got %d items, %d bad references, status %d; want %d items (those stored), 0 (not parsed), 200",
			second.Fetched, second.BadCharRefs, second.Status, first.Fetched)
	}
	st := sourceState(t, r.h, "src")
	if st.ETag != `"r2"` || !st.LastSuccess.Equal(r.clk.Now()) || st.LastStatus != http.StatusOK || st.ConsecutiveFailures != 0 || st.ItemsSeen != first.Fetched {
		t.Errorf("state after same bytes: got ETag %s, last success %v, status %d, %d failures, %d items; want the answer's ETag \"r2\", %v, 200, 0, %d",
			st.ETag, st.LastSuccess, st.LastStatus, st.ConsecutiveFailures, st.ItemsSeen, r.clk.Now(), first.Fetched)
	}
	if after := r.h.GetBody("/feed.atom"); !bytes.Equal(after, before) {
		t.Errorf("/feed.atom changed after the same bytes:\n got %s\nwant %s", after, before)
	}
	r.wantSame("same bytes again", r.fetch(), 1)
	if got := r.up.Last("/feed").Header.Get("If-None-Match"); got != `"r2"` {
		t.Errorf("third request: got If-None-Match %q, want the ETag of the same-bytes answer before it, \"r2\"", got)
	}

	// One byte changed, in a title: the story is updated and published.
	changed := bytes.Replace(body, []byte("cadre légal »"), []byte("cadre légal!»"), 1)
	if len(changed) != len(body) || bytes.Equal(changed, body) {
		t.Fatal("the fixture lacks the text to change")
	}
	r.upstream.set(changed, rssType)
	rep := r.fetch()
	r.wantParsed("one byte changed", rep, 2)
	if rep.Updated != 1 || rep.Published != 1 || rep.BadCharRefs != 1 {
		t.Errorf("one byte changed: got %d updated, %d published, %d bad references; want 1, 1, 1", rep.Updated, rep.Published, rep.BadCharRefs)
	}
	if titles := r.entries(); !slices.ContainsFunc(titles, func(s string) bool { return strings.HasSuffix(s, "cadre légal!»") }) {
		t.Errorf("entries after one byte changed: got %q, want the new title", titles)
	}
	r.wantSame("the changed bytes again", r.fetch(), 2)
}

// Editing what shapes a source's items parses its same bytes again;
// editing what does not (timeout, schedule) does not.
func TestSameBytesParsedAgainWhenSettingsChange(t *testing.T) {
	feed := vigietest.Fixture(t, "franceinfo-titres.rss")
	export := vigietest.Fixture(t, "senat-questions.csv")
	for _, tc := range []struct {
		name           string
		body           []byte
		ctype          string
		before, after  string
		parsed, failed bool
	}{
		{name: "full_text on", body: feed, ctype: rssType, after: "full_text: true", parsed: true},
		{name: "full_text off", body: feed, ctype: rssType, before: "full_text: true", parsed: true},
		{name: "selector", body: feed, ctype: rssType, before: "full_text: true", after: `full_text: true, full_text_selector: "article .c-body"`, parsed: true},
		{name: "type", body: export, ctype: "text/csv", before: "type: senat-questions", after: "type: feed", failed: true},
		{name: "timeout and schedule", body: feed, ctype: rssType, after: `timeout: 5s, schedule: "@every 5m"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newSameBodyRig(t, tc.body, tc.ctype, tc.before, "reconnaissance faciale")
			r.wantParsed("first fetch", r.fetch(), 1)
			r.wantSame("same bytes", r.fetch(), 1)
			r.apply(tc.after, "reconnaissance faciale")
			rep := r.fetch()
			switch {
			case tc.failed:
				if rep.Err == nil || rep.SameBody || r.store.ingests.Load() != 1 {
					t.Fatalf("after editing the source: got %s (%v), %d Ingest calls; want the body parsed again, failing",
						rep.Outcome(), rep.Err, r.store.ingests.Load())
				}
			case tc.parsed:
				r.wantParsed("after editing the source", rep, 2)
				r.wantSame("same bytes under the new settings", r.fetch(), 2)
			default:
				r.wantSame("after editing the source", rep, 1)
			}
		})
	}
}

// A body that fails to parse is parsed again each time it is served, and
// so is, after it, the body stored before it.
func TestBodyThatFailedToParseIsParsedAgain(t *testing.T) {
	good := vigietest.Fixture(t, "franceinfo-titres.rss")
	broken := []byte("<!DOCTYPE html><html><body><p>Maintenance en cours</p></body></html>")
	r := newSameBodyRig(t, good, rssType, "", "reconnaissance faciale")
	r.wantParsed("first fetch", r.fetch(), 1)

	r.upstream.set(broken, "text/html")
	for i := range 2 {
		rep := r.fetch()
		if rep.Err == nil || rep.SameBody {
			t.Fatalf("broken body, fetch %d: got %s (%v), want a parse error", i+1, rep.Outcome(), rep.Err)
		}
		if st := sourceState(t, r.h, "src"); st.ConsecutiveFailures != i+1 {
			t.Errorf("broken body, fetch %d: got %d consecutive failures, want %d", i+1, st.ConsecutiveFailures, i+1)
		}
	}
	r.clk.Set(sourceState(t, r.h, "src").NextAttempt) // past the backoff

	r.upstream.set(good, rssType)
	r.wantParsed("the good body back", r.fetch(), 2)
	r.wantSame("the good body again", r.fetch(), 2)
}

// Keywords need no reparse: applying a config with a new keyword matches
// the stored items again, and the next same-bytes cycle skips the body.
func TestKeywordAddedBetweenSameBodyCycles(t *testing.T) {
	r := newSameBodyRig(t, vigietest.Fixture(t, "franceinfo-titres.rss"), rssType, "", "reconnaissance faciale")
	r.wantParsed("first fetch", r.fetch(), 1)
	const storm = "Météo : la tempête Ciarán frappe la Bretagne"
	if slices.Contains(r.entries(), storm) {
		t.Fatalf("the storm is published before its keyword: %q", r.entries())
	}
	r.apply("", "reconnaissance faciale", "tempête")
	r.wantSame("same bytes after the new keyword", r.fetch(), 1)
	if titles := r.entries(); !slices.Contains(titles, storm) {
		t.Errorf("entries after the new keyword: got %q, want %q", titles, storm)
	}
}

// The charset of the Content-Type decodes the bytes: the same bytes under
// another charset are parsed again, and the entry then reads as the new
// charset says (here a server that corrects windows-1252 to Latin-9,
// where byte A4 is the euro sign).
func TestSameBytesParsedAgainUnderAnotherCharset(t *testing.T) {
	feed := []byte("<rss version=\"2.0\"><channel><title>Test</title><link>https://news.example/</link>\n" +
		"<item><title>Reconnaissance faciale : un contrat de 5 M\xa4</title><link>https://news.example/a</link>" +
		"<guid>https://news.example/a</guid><pubDate>Mon, 30 Nov 2026 08:00:00 +0000</pubDate></item>\n</channel></rss>\n")
	r := newSameBodyRig(t, feed, "application/rss+xml; charset=windows-1252", "", "reconnaissance faciale")
	r.wantParsed("first fetch", r.fetch(), 1)
	if got := r.entries(); !slices.Equal(got, []string{"Reconnaissance faciale : un contrat de 5 M¤"}) {
		t.Fatalf("entries under windows-1252: got %q", got)
	}
	r.wantSame("same bytes, same charset", r.fetch(), 1)

	r.upstream.set(feed, "application/rss+xml; charset=iso-8859-15")
	r.wantParsed("same bytes under Latin-9", r.fetch(), 2)
	if got := r.entries(); !slices.Equal(got, []string{"Reconnaissance faciale : un contrat de 5 M€"}) {
		t.Errorf("entries under Latin-9: got %q, want the euro sign", got)
	}
	r.wantSame("same bytes under Latin-9 again", r.fetch(), 2)
}
