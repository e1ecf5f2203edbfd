package feedgen_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vigie-watch/vigie/feeds"
	"github.com/vigie-watch/vigie/internal/canon"
	"github.com/vigie-watch/vigie/internal/config"
	"github.com/vigie-watch/vigie/internal/feedgen"
	"github.com/vigie-watch/vigie/internal/match"
)

func generate(t *testing.T, opts feedgen.Options) *feedgen.Set {
	t.Helper()
	set, err := feedgen.Generate(opts)
	if err != nil {
		t.Fatal(err)
	}
	return set
}

func TestDeterministic(t *testing.T) {
	a := generate(t, feedgen.Options{Feeds: 20, Items: 30, Seed: 7})
	b := generate(t, feedgen.Options{Feeds: 20, Items: 30, Seed: 7})
	c := generate(t, feedgen.Options{Feeds: 20, Items: 30, Seed: 8})
	for i := range a.Feeds {
		if !bytes.Equal(a.Feeds[i].Body, b.Feeds[i].Body) {
			t.Fatalf("feed %d: two runs with seed 7 differ", i)
		}
		if a.Feeds[i].ETag != b.Feeds[i].ETag {
			t.Fatalf("feed %d: got ETag %s then %s, want the same", i, a.Feeds[i].ETag, b.Feeds[i].ETag)
		}
	}
	if bytes.Equal(a.Feeds[0].Body, c.Feeds[0].Body) {
		t.Errorf("seeds 7 and 8 gave the same feed, want different ones")
	}
}

func TestOptionsRejected(t *testing.T) {
	for _, o := range []feedgen.Options{{Feeds: 0, Items: 5}, {Feeds: 5, Items: 0}, {Feeds: 1, Items: 1, MatchRate: 2}} {
		if _, err := feedgen.Generate(o); err == nil {
			t.Errorf("Generate(%+v): got no error, want one", o)
		}
	}
}

// TestParsesAndMatches parses every feed with vigie's parser and matches it
// with the default keywords: exactly the items generated as matching match,
// about 3 % of them, and the text keeps its French typography.
func TestParsesAndMatches(t *testing.T) {
	set := generate(t, feedgen.Options{Feeds: 100, Items: 50, Seed: 1})
	m, err := match.Compile(feedgen.DefaultKeywords, feedgen.DefaultExclude)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	matched, items := 0, 0
	var titles strings.Builder
	for _, f := range set.Feeds {
		parsed, err := feeds.Parse(f.Body, "application/rss+xml; charset=UTF-8", set.URL(f), now)
		if err != nil {
			t.Fatalf("%s: %v", f.Path, err)
		}
		if len(parsed.Items) != len(f.Items) {
			t.Fatalf("%s: got %d items, want %d", f.Path, len(parsed.Items), len(f.Items))
		}
		for i, it := range parsed.Items {
			want := f.Items[i]
			if it.GUID != want.GUID {
				t.Fatalf("%s item %d: got GUID %q, want %q", f.Path, i, it.GUID, want.GUID)
			}
			if !it.Published.Equal(want.Published) {
				t.Fatalf("%s item %d: got date %v, want %v", f.Path, i, it.Published, want.Published)
			}
			got := m.Match(append([]string{it.Title, it.Summary, it.Content}, it.Categories...)...).Published()
			if got != want.Matching {
				t.Fatalf("%s item %d %q: got matching %v, want %v", f.Path, i, it.Title, got, want.Matching)
			}
			items++
			if got {
				matched++
			}
			titles.WriteString(it.Title + it.Summary)
		}
	}
	if pct := 100 * float64(matched) / float64(items); pct < 2 || pct > 4.5 {
		t.Errorf("got %.1f %% of items matching, want about 3 %%", pct)
	}
	for _, s := range []string{"é", "œ", "’", "«", "\u00a0"} {
		if !strings.Contains(titles.String(), s) {
			t.Errorf("no parsed text holds %q, want French typography", s)
		}
	}
	if st := set.Stats(); st.Matching != matched {
		t.Errorf("Stats: got %d matching, want %d", st.Matching, matched)
	}
}

// TestRepeatedStories checks that about 10 % of items are stories another
// feed carries, under another GUID but the same canonical link.
func TestRepeatedStories(t *testing.T) {
	set := generate(t, feedgen.Options{Feeds: 40, Items: 50, Seed: 3})
	type seen struct {
		feeds int
		guids map[string]bool
		links map[string]bool
	}
	stories := map[int]*seen{}
	for _, f := range set.Feeds {
		inFeed := map[int]bool{}
		for _, it := range f.Items {
			if inFeed[it.Story] {
				t.Fatalf("%s: story %d twice in one feed", f.Path, it.Story)
			}
			inFeed[it.Story] = true
			s := stories[it.Story]
			if s == nil {
				s = &seen{guids: map[string]bool{}, links: map[string]bool{}}
				stories[it.Story] = s
			}
			s.feeds++
			s.guids[it.GUID] = true
			s.links[canon.Link(it.Link)] = true
		}
	}
	repeated := 0
	for id, s := range stories {
		if len(s.links) != 1 {
			t.Errorf("story %d: got %d canonical links, want 1", id, len(s.links))
		}
		if len(s.guids) != s.feeds {
			t.Errorf("story %d: got %d GUIDs in %d feeds, want one per feed", id, len(s.guids), s.feeds)
		}
		if s.feeds > 1 {
			repeated += s.feeds
		}
	}
	st := set.Stats()
	if st.Repeated != repeated {
		t.Errorf("Stats: got %d repeated items, want %d", st.Repeated, repeated)
	}
	if st.RepeatedPercent < 8 || st.RepeatedPercent > 12 {
		t.Errorf("got %.1f %% of items repeated, want about 10 %%", st.RepeatedPercent)
	}
	if one := generate(t, feedgen.Options{Feeds: 1, Items: 50}).Stats(); one.Repeated != 0 {
		t.Errorf("one feed: got %d repeated items, want 0", one.Repeated)
	}
}

func get(t *testing.T, srv *httptest.Server, path string, header map[string]string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	// A bare transport: no transparent gzip, so Accept-Encoding is ours.
	resp, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func TestConditionalRequests(t *testing.T) {
	set := generate(t, feedgen.Options{Feeds: 3, Items: 10})
	srv := httptest.NewServer(set.Handler())
	defer srv.Close()
	f := set.Feeds[1]

	first := get(t, srv, f.Path, nil)
	body, _ := io.ReadAll(first.Body)
	if first.StatusCode != 200 || !bytes.Equal(body, f.Body) {
		t.Fatalf("plain GET: got %d and %d bytes, want 200 and the feed's %d bytes", first.StatusCode, len(body), len(f.Body))
	}
	etag, lm := first.Header.Get("ETag"), first.Header.Get("Last-Modified")
	if etag != f.ETag || lm == "" {
		t.Fatalf("got ETag %q and Last-Modified %q, want %q and a date", etag, lm, f.ETag)
	}

	gz := get(t, srv, f.Path, map[string]string{"Accept-Encoding": "gzip"})
	zr, err := gzip.NewReader(gz.Body)
	if err != nil {
		t.Fatalf("gzip GET: %v", err)
	}
	unz, _ := io.ReadAll(zr)
	if !bytes.Equal(unz, f.Body) || gz.Header.Get("ETag") == etag {
		t.Errorf("gzip GET: got %d bytes and ETag %s, want the feed and an ETag of its own", len(unz), gz.Header.Get("ETag"))
	}

	tests := []struct {
		name   string
		header map[string]string
		want   int
	}{
		{"same etag", map[string]string{"If-None-Match": etag}, 304},
		{"gzip etag", map[string]string{"If-None-Match": gz.Header.Get("ETag")}, 304},
		{"weak etag in a list", map[string]string{"If-None-Match": `"x", W/` + etag}, 304},
		{"other etag", map[string]string{"If-None-Match": `"nope"`}, 200},
		{"other etag wins over date", map[string]string{"If-None-Match": `"nope"`, "If-Modified-Since": lm}, 200},
		{"same date", map[string]string{"If-Modified-Since": lm}, 304},
		{"older date", map[string]string{"If-Modified-Since": f.Modified.Add(-time.Hour).Format(http.TimeFormat)}, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := get(t, srv, f.Path, tt.header)
			b, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tt.want {
				t.Fatalf("got %d, want %d", resp.StatusCode, tt.want)
			}
			if tt.want == 304 && len(b) != 0 {
				t.Errorf("304 with %d body bytes, want none", len(b))
			}
		})
	}
	if resp := get(t, srv, "/feeds/99.rss", nil); resp.StatusCode != 404 {
		t.Errorf("unknown feed: got %d, want 404", resp.StatusCode)
	}
}

// With IgnoreConditional, every request gets 200 and the same bytes, its
// validators whatever they are.
func TestIgnoreConditional(t *testing.T) {
	set := generate(t, feedgen.Options{Feeds: 2, Items: 5})
	srv := httptest.NewServer(set.HandlerWith(feedgen.ServeOptions{IgnoreConditional: true}))
	defer srv.Close()
	f := set.Feeds[0]
	first := get(t, srv, f.Path, nil)
	etag, lm := first.Header.Get("ETag"), first.Header.Get("Last-Modified")
	if etag != f.ETag || lm == "" {
		t.Fatalf("got ETag %q and Last-Modified %q, want %q and a date", etag, lm, f.ETag)
	}
	for _, h := range []map[string]string{{"If-None-Match": etag}, {"If-Modified-Since": lm}, {"If-None-Match": "*"}} {
		resp := get(t, srv, f.Path, h)
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 || !bytes.Equal(b, f.Body) || resp.Header.Get("ETag") != etag {
			t.Errorf("%v: got %d, %d bytes, ETag %q; want 200, the feed's %d bytes, %q", h, resp.StatusCode, len(b), resp.Header.Get("ETag"), len(f.Body), etag)
		}
	}
}

// TestConfig writes a config that vigie loads, listing every feed, with the
// keywords of vigie's default config.yaml.
func TestConfig(t *testing.T) {
	set := generate(t, feedgen.Options{Feeds: 12, Items: 5, BaseURL: "http://127.0.0.1:9100"})
	var b bytes.Buffer
	if err := set.WriteConfig(&b, feedgen.ConfigOptions{Listen: "127.0.0.1:8181", Database: "/tmp/x.db", Concurrency: 8}); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Parse(&b)
	if err != nil {
		t.Fatalf("vigie rejects the config: %v\n%s", err, b.String())
	}
	if len(cfg.Sources) != 12 || cfg.Concurrency != 8 || cfg.Database != "/tmp/x.db" {
		t.Fatalf("got %d sources, concurrency %d, database %q; want 12, 8, /tmp/x.db", len(cfg.Sources), cfg.Concurrency, cfg.Database)
	}
	if got, want := cfg.Sources[5].URL, "http://127.0.0.1:9100/feeds/5.rss"; got != want {
		t.Errorf("got source URL %s, want %s", got, want)
	}
	def, err := config.Load("../../config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(cfg.Keywords, def.Keywords) || !slices.Equal(cfg.Exclude, def.Exclude) {
		t.Errorf("got keywords %q exclude %q, want config.yaml's %q %q", cfg.Keywords, cfg.Exclude, def.Keywords, def.Exclude)
	}
}
