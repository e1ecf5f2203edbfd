package feeds_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/vigie-watch/vigie/feeds"
)

func TestRenderRSS(t *testing.T) {
	meta := testMeta(feeds.FormatRSS)
	out, err := feeds.RenderRSS(meta, testEntries())
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`<atom:link href="http://127.0.0.1:8080/feed.rss" rel="self" type="application/rss+xml"></atom:link>`,
		`<guid isPermaLink="false">tag:vigie.example,2025:entry/1</guid>`,
		`<pubDate>Fri, 14 Mar 2025 07:30:00 +0000</pubDate>`,
		`<source url="https://www.francetvinfo.fr/titres.rss">franceinfo</source>`,
		`<dc:creator>Élise Lucet</dc:creator>`,
		`<category>vidéosurveillance algorithmique</category>`,
		`<language>fr</language>`,
	} {
		if !bytes.Contains(out, []byte(want)) {
			t.Errorf("RSS lacks %s", want)
		}
	}
	if bytes.Contains(out, []byte("<author>")) {
		t.Errorf("RSS has <author> (must be an e-mail address); want dc:creator only")
	}
	feed, err := gofeed.NewParser().ParseString(string(out))
	if err != nil {
		t.Fatalf("gofeed: %v", err)
	}
	if got, want := feed.FeedType, "rss"; got != want {
		t.Errorf("feed type: got %q, want %q", got, want)
	}
	if got := len(feed.Items); got != 4 {
		t.Fatalf("items: got %d, want 4", got)
	}
	it := feed.Items[1]
	if got, want := it.Title, "BriefCam : l’œil « illégal » de la police & <la VSA> \"algorithmique\""; got != want {
		t.Errorf("item 1 title: got %q, want %q", got, want)
	}
	if got, want := it.GUID, "tag:vigie.example,2025:entry/2"; got != want {
		t.Errorf("item 1 guid: got %q, want %q", got, want)
	}
	if got, want := it.Categories, []string{"BriefCam", "vidéosurveillance algorithmique"}; !slices.Equal(got, want) {
		t.Errorf("item 1 categories: got %q, want %q", got, want)
	}
	if !strings.Contains(it.Content, "nos enquêtes") {
		t.Errorf("item 1 content:encoded: got %q, want the content", it.Content)
	}
}

func TestRenderJSON(t *testing.T) {
	meta := testMeta(feeds.FormatJSON)
	out, err := feeds.RenderJSON(meta, testEntries())
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Version     string `json:"version"`
		Title       string `json:"title"`
		HomePageURL string `json:"home_page_url"`
		FeedURL     string `json:"feed_url"`
		Language    string `json:"language"`
		Authors     []struct {
			Name string `json:"name"`
		} `json:"authors"`
		Author *json.RawMessage `json:"author"`
		Items  []struct {
			ID            string           `json:"id"`
			URL           string           `json:"url"`
			Title         string           `json:"title"`
			ContentHTML   string           `json:"content_html"`
			Summary       string           `json:"summary"`
			DatePublished time.Time        `json:"date_published"`
			DateModified  time.Time        `json:"date_modified"`
			Tags          []string         `json:"tags"`
			Language      string           `json:"language"`
			Author        *json.RawMessage `json:"author"`
			Authors       []struct {
				Name string `json:"name"`
			} `json:"authors"`
		} `json:"items"`
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatalf("unmarshal: %v", err)
	}
	if doc.Version != "https://jsonfeed.org/version/1.1" || doc.HomePageURL != meta.HTMLURL || doc.FeedURL != meta.SelfURL || doc.Language != "fr" {
		t.Errorf("feed: got version %q home %q feed %q language %q", doc.Version, doc.HomePageURL, doc.FeedURL, doc.Language)
	}
	if doc.Author != nil || len(doc.Authors) != 1 {
		t.Errorf("feed authors: got author %v authors %v, want only authors (1.1)", doc.Author, doc.Authors)
	}
	if len(doc.Items) != 4 {
		t.Fatalf("items: got %d, want 4", len(doc.Items))
	}
	first := doc.Items[0]
	if got, want := first.Summary, "Le ministère de l’Intérieur & la préfecture de police testent des caméras. cliquez avis de la CNIL"; got != want {
		t.Errorf("item 0 summary: got %q, want %q", got, want)
	}
	if !first.DatePublished.Equal(date("2025-03-14T07:30:00Z")) || !first.DateModified.Equal(date("2025-03-14T08:45:10Z")) {
		t.Errorf("item 0 dates: got %v %v", first.DatePublished, first.DateModified)
	}
	if first.ID != "tag:vigie.example,2025:entry/1" || first.Language != "fr" || len(first.Authors) != 1 || first.Author != nil {
		t.Errorf("item 0: got id %q language %q authors %v author %v", first.ID, first.Language, first.Authors, first.Author)
	}
	if !slices.Equal(first.Tags, []string{"reconnaissance faciale", "CNIL"}) {
		t.Errorf("item 0 tags: got %q", first.Tags)
	}
	if strings.Contains(first.ContentHTML, "<script") || !strings.Contains(first.ContentHTML, "<p>") {
		t.Errorf("item 0 content_html: got %q, want the sanitised summary", first.ContentHTML)
	}
	for i, it := range doc.Items {
		if it.ContentHTML == "" && it.Title == "" {
			t.Errorf("item %d has neither content nor title", i)
		}
	}
	if bytes.Contains(out, []byte(`\u003c`)) {
		t.Errorf("JSON escapes < as \\u003c; want it readable")
	}
}

func TestParseFormat(t *testing.T) {
	for _, tc := range []struct {
		in          string
		want        feeds.Format
		contentType string
	}{
		{"atom", feeds.FormatAtom, "application/atom+xml; charset=utf-8"},
		{" RSS ", feeds.FormatRSS, "application/rss+xml; charset=utf-8"},
		{"Json", feeds.FormatJSON, "application/feed+json; charset=utf-8"},
	} {
		got, err := feeds.ParseFormat(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("ParseFormat(%q): got %q, %v; want %q", tc.in, got, err, tc.want)
		}
		if ct := got.ContentType(); ct != tc.contentType {
			t.Errorf("%s.ContentType(): got %q, want %q", got, ct, tc.contentType)
		}
	}
	for _, in := range []string{"", "html", "atom1"} {
		if _, err := feeds.ParseFormat(in); !errors.Is(err, feeds.ErrUnknownFormat) {
			t.Errorf("ParseFormat(%q): got %v, want ErrUnknownFormat", in, err)
		}
	}
	if _, err := feeds.Render("xml", testMeta(feeds.FormatAtom), nil); !errors.Is(err, feeds.ErrUnknownFormat) {
		t.Errorf("Render(xml): got %v, want ErrUnknownFormat", err)
	}
}
