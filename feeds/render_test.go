package feeds_test

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/vigie-watch/vigie/feeds"
	"github.com/vigie-watch/vigie/internal/watch"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

func date(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// testMeta is the merged feed's description, with the self link of format f.
func testMeta(f feeds.Format) feeds.Meta {
	return feeds.Meta{
		Title:    "Veille : reconnaissance faciale & VSA",
		ID:       "tag:vigie.example,2025:feed",
		SelfURL:  "http://127.0.0.1:8080/feed." + string(f),
		HTMLURL:  "http://127.0.0.1:8080/",
		Language: "fr",
	}
}

// testEntries are French stories with the characters that break feeds:
// accents, œ, « », ’, &, <, quotes, control characters and hostile HTML.
func testEntries() []watch.Entry {
	return []watch.Entry{
		{
			ID:    "tag:vigie.example,2025:entry/1",
			Title: "Reconnaissance faciale : la CNIL met en garde l’État « contre les dérives »",
			Link:  "https://www.francetvinfo.fr/societe/reconnaissance-faciale-cnil_123.html",
			Summary: `<p>Le ministère de l’Intérieur &amp; la préfecture de police <b>testent</b> des caméras.` +
				`<script>alert("xss")</script><img src="/images/camera.jpg" alt="Caméra" onerror="alert(1)">` +
				` <a href="javascript:alert(2)">cliquez</a> <a href="https://www.cnil.fr/fr/reconnaissance-faciale">avis de la CNIL</a></p>` +
				`<style>body{display:none}</style>`,
			Author:     "Élise Lucet",
			Published:  date("2025-03-14T08:30:00+01:00"),
			Updated:    date("2025-03-14T09:45:10+01:00"),
			Source:     "franceinfo",
			SourceURL:  "https://www.francetvinfo.fr/titres.rss",
			SourceSite: "https://www.francetvinfo.fr/",
			Keywords:   []string{"reconnaissance faciale", "CNIL"},
		},
		{
			ID:    "tag:vigie.example,2025:entry/2",
			Title: "BriefCam : l’œil « illégal » de la police & <la VSA> \"algorithmique\"\x0B\x00",
			Link:  "https://disclose.ngo/fr/article/la-police-nationale-utilise-illegalement-un-logiciel-israelien-de-reconnaissance-faciale",
			Summary: `<div style="color:red" onclick="steal()">Une enquête de Disclose révèle l’usage de BriefCam ` +
				`depuis 2015.<iframe src="https://evil.example/"></iframe> Sœur, cœur, œuvre : « ça passe ».</div>` +
				"\x0B",
			Content: `<p>Texte intégral : <a href="/fr/enquetes" onmouseover="x()">nos enquêtes</a>, ` +
				`<img src="https://disclose.ngo/img/briefcam.png" alt="BriefCam"> 5 &lt; 6 &amp; "guillemets".</p>` +
				`<script src="https://evil.example/x.js"></script>`,
			Published:  date("2025-03-13T18:00:00Z"),
			Updated:    date("2025-03-13T18:00:00Z"),
			Source:     "Disclose",
			SourceURL:  "https://disclose.ngo/feed/",
			SourceSite: "https://disclose.ngo/",
			Keywords:   []string{"BriefCam", "vidéosurveillance algorithmique", "BriefCam", " "},
		},
		{
			ID:         "tag:vigie.example,2025:entry/3",
			Title:      "Question écrite n° 12345 : vidéoprotection et reconnaissance faciale dans les transports",
			Link:       "https://www.senat.fr/questions/base/2024/qSEQ241012345.html",
			Summary:    "M. le sénateur attire l’attention du ministre sur l’usage de la reconnaissance faciale…\nRéponse publiée le 20/02/2025.",
			Published:  date("2024-10-10T00:00:00+02:00"),
			Updated:    date("2025-02-20T00:00:00+01:00"),
			Source:     "Sénat questions écrites",
			SourceURL:  "https://data.senat.fr/data/questions/questions-depuis-un-an.csv",
			SourceSite: "https://www.senat.fr/",
			Keywords:   []string{"reconnaissance faciale"},
		},
		{
			// Updated earlier than Published: the renderer must not go back in time.
			ID:        "https://www.lemonde.fr/pixels/article/2025/03/01/jo-vsa_1.html",
			Title:     "JO 2024 : la vidéosurveillance « expérimentale » prolongée",
			Link:      "https://www.lemonde.fr/pixels/article/2025/03/01/jo-vsa_1.html?utm_source=rss&xtor=RSS-1",
			Summary:   "",
			Author:    "Martin Untersinger",
			Published: date("2025-03-01T12:00:00Z"),
			Updated:   date("2025-02-28T12:00:00Z"),
			Keywords:  []string{"VSA"},
		},
	}
}

// TestRenderGolden compares each format with its golden file; run
// `go test ./feeds/ -run TestRenderGolden -update` to rewrite them.
func TestRenderGolden(t *testing.T) {
	for _, f := range []feeds.Format{feeds.FormatAtom, feeds.FormatRSS, feeds.FormatJSON} {
		for _, tc := range []struct {
			name    string
			entries []watch.Entry
		}{
			{"entries", testEntries()},
			{"empty", nil},
		} {
			t.Run(string(f)+"/"+tc.name, func(t *testing.T) {
				got, err := feeds.Render(f, testMeta(f), tc.entries)
				if err != nil {
					t.Fatalf("Render: %v", err)
				}
				path := filepath.Join("testdata", "golden", tc.name+"."+string(f))
				if *update {
					if err := os.WriteFile(path, got, 0o644); err != nil {
						t.Fatal(err)
					}
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("read golden (run with -update to create): %v", err)
				}
				if !bytes.Equal(got, want) {
					t.Errorf("%s differs from golden file:\ngot:\n%s\nwant:\n%s", path, got, want)
				}
			})
		}
	}
}

func TestRenderDeterministic(t *testing.T) {
	entries := testEntries()
	for _, f := range []feeds.Format{feeds.FormatAtom, feeds.FormatRSS, feeds.FormatJSON} {
		first, err := feeds.Render(f, testMeta(f), entries)
		if err != nil {
			t.Fatal(err)
		}
		for range 5 {
			again, err := feeds.Render(f, testMeta(f), entries)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(first, again) {
				t.Fatalf("%s: two renders of the same input differ", f)
			}
		}
	}
	if got, want := entries[1].Keywords, testEntries()[1].Keywords; !slices.Equal(got, want) {
		t.Errorf("input keywords modified: got %q, want %q", got, want)
	}
}

func TestRenderMissingID(t *testing.T) {
	entries := testEntries()
	entries[2].ID = "  "
	for _, f := range []feeds.Format{feeds.FormatAtom, feeds.FormatRSS, feeds.FormatJSON} {
		_, err := feeds.Render(f, testMeta(f), entries)
		if !errors.Is(err, feeds.ErrMissingID) {
			t.Errorf("%s: got error %v, want ErrMissingID", f, err)
		}
	}
}

func TestRenderDuplicateIDs(t *testing.T) {
	entries := testEntries()
	dup := entries[0]
	dup.Title = "doublon"
	entries = append(entries, dup)
	out, err := feeds.RenderAtom(testMeta(feeds.FormatAtom), entries)
	if err != nil {
		t.Fatal(err)
	}
	doc := parseAtom(t, out)
	if got, want := len(doc.Entries), 4; got != want {
		t.Fatalf("entries: got %d, want %d (the later duplicate dropped)", got, want)
	}
	if got, want := doc.Entries[0].Title.Text, entries[0].Title; got != want {
		t.Errorf("kept entry title: got %q, want the first occurrence %q", got, want)
	}
}

func TestRenderEmpty(t *testing.T) {
	for _, f := range []feeds.Format{feeds.FormatAtom, feeds.FormatRSS, feeds.FormatJSON} {
		out, err := feeds.Render(f, testMeta(f), nil)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		feed, err := gofeed.NewParser().ParseString(string(out))
		if err != nil {
			t.Fatalf("%s: gofeed: %v\n%s", f, err, out)
		}
		if len(feed.Items) != 0 || feed.Title != testMeta(f).Title {
			t.Errorf("%s: got %d items, title %q; want 0 items, title %q", f, len(feed.Items), feed.Title, testMeta(f).Title)
		}
	}
	out, err := feeds.RenderAtom(testMeta(feeds.FormatAtom), nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := parseAtom(t, out).Updated, "1970-01-01T00:00:00Z"; got != want {
		t.Errorf("empty feed updated: got %q, want %q", got, want)
	}
	meta := testMeta(feeds.FormatAtom)
	meta.Updated = date("2025-01-02T03:04:05.678+01:00")
	out, err = feeds.RenderAtom(meta, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := parseAtom(t, out).Updated, "2025-01-02T02:04:05Z"; got != want {
		t.Errorf("empty feed with Meta.Updated: got %q, want %q", got, want)
	}
}

// BenchmarkRenderAtom renders 100 entries of realistic size: a title of
// about 90 characters, a 600-byte HTML summary, a 4 KB content, 3 keywords.
func BenchmarkRenderAtom(b *testing.B) {
	para := `<p>Le ministère de l’Intérieur a confirmé l’usage de la <a href="https://example.org/vsa">vidéosurveillance algorithmique</a> « à titre expérimental » &amp; la CNIL s’en inquiète.</p>`
	entries := make([]watch.Entry, 100)
	start := date("2025-03-01T00:00:00Z")
	for i := range entries {
		entries[i] = watch.Entry{
			ID:         fmt.Sprintf("tag:vigie.example,2025:entry/%d", i),
			Title:      fmt.Sprintf("Reconnaissance faciale : la préfecture de police teste de nouvelles caméras n° %d", i),
			Link:       fmt.Sprintf("https://www.francetvinfo.fr/societe/article_%d.html", i),
			Summary:    strings.Repeat(para, 3) + `<img src="/img/c.jpg" alt="caméra">`,
			Content:    strings.Repeat(para, 20),
			Author:     "Élise Lucet",
			Published:  start.Add(time.Duration(i) * time.Hour),
			Updated:    start.Add(time.Duration(i)*time.Hour + time.Minute),
			Source:     "franceinfo",
			SourceURL:  "https://www.francetvinfo.fr/titres.rss",
			SourceSite: "https://www.francetvinfo.fr/",
			Keywords:   []string{"reconnaissance faciale", "VSA", "CNIL"},
		}
	}
	meta := testMeta(feeds.FormatAtom)
	b.ReportAllocs()
	var size int
	for b.Loop() {
		out, err := feeds.RenderAtom(meta, entries)
		if err != nil {
			b.Fatal(err)
		}
		size = len(out)
	}
	b.ReportMetric(float64(size), "bytes/feed")
}
