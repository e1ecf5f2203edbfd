package feeds_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/vigie-watch/vigie/feeds"
	"github.com/vigie-watch/vigie/internal/watch"
)

func TestRenderAtomGofeed(t *testing.T) {
	out, err := feeds.RenderAtom(testMeta(feeds.FormatAtom), testEntries())
	if err != nil {
		t.Fatal(err)
	}
	feed, err := gofeed.NewParser().ParseString(string(out))
	if err != nil {
		t.Fatalf("gofeed: %v", err)
	}
	if got, want := feed.FeedType, "atom"; got != want {
		t.Errorf("feed type: got %q, want %q", got, want)
	}
	if got, want := feed.Title, "Veille : reconnaissance faciale & VSA"; got != want {
		t.Errorf("feed title: got %q, want %q", got, want)
	}
	if got, want := feed.Language, "fr"; got != want {
		t.Errorf("feed language: got %q, want %q", got, want)
	}
	if got, want := feed.UpdatedParsed, date("2025-03-14T08:45:10Z"); got == nil || !got.Equal(want) {
		t.Errorf("feed updated: got %v, want %v (newest entry)", got, want)
	}
	want := []struct {
		id, title, link, published, updated string
		categories                          []string
	}{
		{"tag:vigie.example,2025:entry/1", "Reconnaissance faciale : la CNIL met en garde l’État « contre les dérives »",
			"https://www.francetvinfo.fr/societe/reconnaissance-faciale-cnil_123.html",
			"2025-03-14T07:30:00Z", "2025-03-14T08:45:10Z", []string{"reconnaissance faciale", "CNIL"}},
		{"tag:vigie.example,2025:entry/2", "BriefCam : l’œil « illégal » de la police & <la VSA> \"algorithmique\"",
			"https://disclose.ngo/fr/article/la-police-nationale-utilise-illegalement-un-logiciel-israelien-de-reconnaissance-faciale",
			"2025-03-13T18:00:00Z", "2025-03-13T18:00:00Z", []string{"BriefCam", "vidéosurveillance algorithmique"}},
		{"tag:vigie.example,2025:entry/3", "Question écrite n° 12345 : vidéoprotection et reconnaissance faciale dans les transports",
			"https://www.senat.fr/questions/base/2024/qSEQ241012345.html",
			"2024-10-09T22:00:00Z", "2025-02-19T23:00:00Z", []string{"reconnaissance faciale"}},
		{"https://www.lemonde.fr/pixels/article/2025/03/01/jo-vsa_1.html", "JO 2024 : la vidéosurveillance « expérimentale » prolongée",
			"https://www.lemonde.fr/pixels/article/2025/03/01/jo-vsa_1.html?utm_source=rss&xtor=RSS-1",
			"2025-03-01T12:00:00Z", "2025-03-01T12:00:00Z", []string{"VSA"}},
	}
	if got := len(feed.Items); got != len(want) {
		t.Fatalf("items: got %d, want %d", got, len(want))
	}
	for i, w := range want {
		it := feed.Items[i]
		if it.GUID != w.id {
			t.Errorf("item %d id: got %q, want %q", i, it.GUID, w.id)
		}
		if it.Title != w.title {
			t.Errorf("item %d title: got %q, want %q", i, it.Title, w.title)
		}
		if it.Link != w.link {
			t.Errorf("item %d link: got %q, want %q", i, it.Link, w.link)
		}
		if it.PublishedParsed == nil || !it.PublishedParsed.Equal(date(w.published)) {
			t.Errorf("item %d published: got %v, want %s", i, it.PublishedParsed, w.published)
		}
		if it.UpdatedParsed == nil || !it.UpdatedParsed.Equal(date(w.updated)) {
			t.Errorf("item %d updated: got %v, want %s", i, it.UpdatedParsed, w.updated)
		}
		if !slices.Equal(it.Categories, w.categories) {
			t.Errorf("item %d categories: got %q, want %q", i, it.Categories, w.categories)
		}
	}
	if got := feed.Items[0].Authors; len(got) != 1 || got[0].Name != "Élise Lucet" {
		t.Errorf("item 0 authors: got %v, want [Élise Lucet]", got)
	}
}

// atomDoc is just enough of Atom to check the rendering's structure.
type atomDoc struct {
	XMLName xml.Name   `xml:"http://www.w3.org/2005/Atom feed"`
	Lang    string     `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
	ID      string     `xml:"id"`
	Title   string     `xml:"title"`
	Updated string     `xml:"updated"`
	Authors []atomName `xml:"author"`
	Links   []atomLink `xml:"link"`
	Entries []struct {
		ID    string `xml:"id"`
		Title struct {
			Type string `xml:"type,attr"`
			Text string `xml:",chardata"`
		} `xml:"title"`
		Updated    string     `xml:"updated"`
		Published  string     `xml:"published"`
		Links      []atomLink `xml:"link"`
		Authors    []atomName `xml:"author"`
		Summary    *atomBody  `xml:"summary"`
		Content    *atomBody  `xml:"content"`
		Categories []struct {
			Term  string `xml:"term,attr"`
			Label string `xml:"label,attr"`
		} `xml:"category"`
		Source *struct {
			ID      string     `xml:"id"`
			Title   string     `xml:"title"`
			Updated string     `xml:"updated"`
			Links   []atomLink `xml:"link"`
		} `xml:"source"`
	} `xml:"entry"`
}

type atomName struct {
	Name string `xml:"name"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr"`
	Href string `xml:"href,attr"`
}

type atomBody struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

func parseAtom(t *testing.T, out []byte) atomDoc {
	t.Helper()
	var doc atomDoc
	if err := xml.Unmarshal(out, &doc); err != nil {
		t.Fatalf("unmarshal atom: %v", err)
	}
	return doc
}

func TestRenderAtomStructure(t *testing.T) {
	meta := testMeta(feeds.FormatAtom)
	out, err := feeds.RenderAtom(meta, testEntries())
	if err != nil {
		t.Fatal(err)
	}
	if want := `<?xml version="1.0" encoding="utf-8"?>` + "\n<feed "; !bytes.HasPrefix(out, []byte(want)) {
		t.Errorf("prolog: got %q, want prefix %q", out[:min(len(out), 60)], want)
	}
	for i, r := range string(out) {
		if r < 0x20 && r != '\n' && r != '\t' && r != '\r' {
			t.Errorf("control character %U at byte %d", r, i)
		}
	}
	doc := parseAtom(t, out)
	if doc.Lang != "fr" || doc.ID != meta.ID || doc.Title != meta.Title {
		t.Errorf("feed lang/id/title: got %q %q %q, want %q %q %q", doc.Lang, doc.ID, doc.Title, "fr", meta.ID, meta.Title)
	}
	if _, err := time.Parse(time.RFC3339, doc.Updated); err != nil || !strings.HasSuffix(doc.Updated, "Z") {
		t.Errorf("feed updated: got %q, want RFC 3339 UTC", doc.Updated)
	}
	if len(doc.Authors) != 1 || doc.Authors[0].Name == "" {
		t.Errorf("feed authors: got %v, want one named author", doc.Authors)
	}
	rels := map[string][]atomLink{}
	for _, l := range doc.Links {
		rels[l.Rel] = append(rels[l.Rel], l)
	}
	if got := rels["self"]; len(got) != 1 || got[0].Href != meta.SelfURL || got[0].Type != "application/atom+xml" {
		t.Errorf("self links: got %v, want exactly one to %s", got, meta.SelfURL)
	}
	if got := rels["alternate"]; len(got) != 1 || got[0].Href != meta.HTMLURL || got[0].Type != "text/html" {
		t.Errorf("alternate links: got %v, want exactly one to %s", got, meta.HTMLURL)
	}
	if len(doc.Entries) != 4 {
		t.Fatalf("entries: got %d, want 4", len(doc.Entries))
	}
	for i, e := range doc.Entries {
		if e.ID == "" || e.Title.Text == "" || e.Title.Type != "text" {
			t.Errorf("entry %d: got id %q title %q type %q, want id, title, type text", i, e.ID, e.Title.Text, e.Title.Type)
		}
		up, err1 := time.Parse(time.RFC3339, e.Updated)
		pub, err2 := time.Parse(time.RFC3339, e.Published)
		if err1 != nil || err2 != nil || up.Before(pub) {
			t.Errorf("entry %d: got published %q updated %q, want RFC 3339 with updated >= published", i, e.Published, e.Updated)
		}
		var alternates int
		for _, l := range e.Links {
			if l.Rel == "alternate" && l.Href != "" && l.Type == "text/html" {
				alternates++
			}
		}
		if alternates != 1 {
			t.Errorf("entry %d: got %d alternate links, want 1", i, alternates)
		}
		for _, c := range e.Categories {
			if strings.TrimSpace(c.Term) == "" {
				t.Errorf("entry %d: category without term: %+v", i, c)
			}
		}
		if e.Summary != nil && e.Summary.Type != "html" {
			t.Errorf("entry %d summary type: got %q, want html", i, e.Summary.Type)
		}
		if e.Source != nil && (e.Source.ID == "" || e.Source.Title == "" || e.Source.Updated == "") {
			t.Errorf("entry %d source: got %+v, want id, title and updated", i, *e.Source)
		}
	}
	if got := len(doc.Entries[1].Categories); got != 2 {
		t.Errorf("entry 1 categories: got %d, want 2 (duplicates and blanks dropped)", got)
	}
	if doc.Entries[0].Source == nil || doc.Entries[0].Source.ID != "https://www.francetvinfo.fr/titres.rss" {
		t.Errorf("entry 0 source: got %+v, want id https://www.francetvinfo.fr/titres.rss", doc.Entries[0].Source)
	}
	if doc.Entries[3].Source != nil {
		t.Errorf("entry 3 source: got %+v, want none (no SourceURL)", *doc.Entries[3].Source)
	}
	if doc.Entries[1].Content == nil || doc.Entries[1].Content.Type != "html" {
		t.Errorf("entry 1 content: got %+v, want type html", doc.Entries[1].Content)
	}
	if doc.Entries[3].Summary != nil {
		t.Errorf("entry 3 summary: got %+v, want none (empty summary)", *doc.Entries[3].Summary)
	}
}

// TestRenderHostileHTML checks what reaches readers from hostile summaries,
// after the XML layer is decoded.
func TestRenderHostileHTML(t *testing.T) {
	out, err := feeds.RenderAtom(testMeta(feeds.FormatAtom), testEntries())
	if err != nil {
		t.Fatal(err)
	}
	doc := parseAtom(t, out)
	var bodies []string
	for _, e := range doc.Entries {
		for _, b := range []*atomBody{e.Summary, e.Content} {
			if b != nil {
				bodies = append(bodies, b.Body)
			}
		}
	}
	all := strings.ToLower(strings.Join(bodies, "\n"))
	for _, bad := range []string{"<script", "alert(", "onerror", "onclick", "onmouseover", "javascript:", "<style", "style=", "<iframe", "evil.example", "display:none"} {
		if strings.Contains(all, bad) {
			t.Errorf("rendered HTML contains %q:\n%s", bad, all)
		}
	}
	for _, good := range []string{
		`<a href="https://www.cnil.fr/fr/reconnaissance-faciale" rel="nofollow noopener" target="_blank">avis de la cnil</a>`,
		`<img src="https://www.francetvinfo.fr/images/camera.jpg" alt="caméra">`,
		`<a href="https://disclose.ngo/fr/enquetes" rel="nofollow">nos enquêtes</a>`,
		`sœur, cœur, œuvre : « ça passe »`,
	} {
		if !strings.Contains(all, good) {
			t.Errorf("rendered HTML lacks %q:\n%s", good, all)
		}
	}
}

// TestRenderAtomFeedparser runs Python's feedparser (Debian package
// python3-feedparser) on the Atom rendering when it is installed.
func TestRenderAtomFeedparser(t *testing.T) {
	const python = "/usr/bin/python3"
	if err := exec.Command(python, "-c", "import feedparser").Run(); err != nil {
		t.Skipf("skipping: %s cannot import feedparser (apt-get install python3-feedparser): %v", python, err)
	}
	out, err := feeds.RenderAtom(testMeta(feeds.FormatAtom), testEntries())
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "feed.atom")
	if err := os.WriteFile(path, out, 0o644); err != nil {
		t.Fatal(err)
	}
	const script = `
import json, sys, feedparser
d = feedparser.parse(sys.argv[1])
print(json.dumps({
    "bozo": int(d.bozo), "exc": str(d.get("bozo_exception", "")), "version": d.version,
    "lang": d.feed.get("language", ""),
    "entries": [{"id": e.id, "title": e.title, "link": e.link,
                 "tags": [t.term for t in e.get("tags", [])],
                 "published": e.get("published", ""), "updated": e.updated,
                 "source": e.get("source", {}).get("id", "")} for e in d.entries]}))
`
	res, err := exec.Command(python, "-c", script, path).Output()
	if err != nil {
		t.Fatalf("feedparser: %v", err)
	}
	var got struct {
		Bozo    int    `json:"bozo"`
		Exc     string `json:"exc"`
		Version string `json:"version"`
		Lang    string `json:"lang"`
		Entries []struct {
			ID, Title, Link, Published, Updated, Source string
			Tags                                        []string
		} `json:"entries"`
	}
	if err := json.Unmarshal(res, &got); err != nil {
		t.Fatalf("feedparser output %q: %v", res, err)
	}
	if got.Bozo != 0 || got.Version != "atom10" {
		t.Fatalf("feedparser: got bozo %d (%s) version %q, want bozo 0 version atom10", got.Bozo, got.Exc, got.Version)
	}
	if got.Lang != "fr" {
		t.Errorf("feedparser language: got %q, want fr", got.Lang)
	}
	want := testEntries()
	if len(got.Entries) != len(want) {
		t.Fatalf("feedparser entries: got %d, want %d", len(got.Entries), len(want))
	}
	for i, e := range got.Entries {
		if e.ID != want[i].ID || e.Link != want[i].Link {
			t.Errorf("entry %d: got id %q link %q, want %q %q", i, e.ID, e.Link, want[i].ID, want[i].Link)
		}
		if e.Published == "" || e.Updated == "" {
			t.Errorf("entry %d: got published %q updated %q, want both", i, e.Published, e.Updated)
		}
	}
	if got, want := got.Entries[0].Title, want[0].Title; got != want {
		t.Errorf("entry 0 title: got %q, want %q", got, want)
	}
	if got, want := got.Entries[1].Tags, []string{"BriefCam", "vidéosurveillance algorithmique"}; !slices.Equal(got, want) {
		t.Errorf("entry 1 tags: got %q, want %q", got, want)
	}
	if got, want := got.Entries[2].Source, want[2].SourceURL; got != want {
		t.Errorf("entry 2 source id: got %q, want %q", got, want)
	}
}

// FuzzRenderAtom checks that any text gives well-formed XML that keeps
// the entry's id.
func FuzzRenderAtom(f *testing.F) {
	f.Add("l’État « x »", "<p onclick=x>a</p>\x0B", "kw")
	f.Add("\x00\xff\xfe", "<![CDATA[ ]]>", "\uFFFE")
	f.Fuzz(func(t *testing.T, title, summary, keyword string) {
		e := watch.Entry{ID: "tag:x,2025:1", Title: title, Summary: summary, Content: summary, Link: "https://example.org/a", Keywords: []string{keyword}}
		out, err := feeds.RenderAtom(testMeta(feeds.FormatAtom), []watch.Entry{e})
		if err != nil {
			t.Fatal(err)
		}
		doc := parseAtom(t, out)
		if len(doc.Entries) != 1 || doc.Entries[0].ID != e.ID {
			t.Fatalf("got %d entries, want 1 with id %q", len(doc.Entries), e.ID)
		}
	})
}
