package pagetext_test

import (
	"errors"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"github.com/vigie-watch/vigie/internal/feedgen"
	"github.com/vigie-watch/vigie/internal/match"
	"github.com/vigie-watch/vigie/internal/pagetext"
)

const pageURL = "https://www.francetvinfo.fr/societe/police/logiciel_6159871.html"

// watchWords is a watch that every piece of franceinfo's chrome triggers.
var watchWords = []string{"reconnaissance faciale", "drone*", "identité numérique", "vidéosurveillance*", "Tendances", "cookies"}

func matched(t *testing.T, text string) []string {
	t.Helper()
	m, err := match.Compile(watchWords, nil)
	if err != nil {
		t.Fatal(err)
	}
	return m.Match(text).Keywords
}

func extract(t *testing.T, page string, sel *pagetext.Selector) string {
	t.Helper()
	if len(page) < 200<<10 {
		t.Fatalf("fixture is %d bytes, want a page as heavy as the real ones (200 KB+)", len(page))
	}
	text, err := pagetext.Extract([]byte(page), "text/html; charset=utf-8", pageURL, sel)
	if err != nil {
		t.Fatalf("Extract: %v", err)
	}
	return text
}

func TestExtractKeepsOnlyTheArticle(t *testing.T) {
	cases := []struct {
		name string
		a    feedgen.Article
		want []string // keywords the article's own text matches
	}{
		{"keyword in the fourth paragraph", longArticle, []string{"reconnaissance faciale"}},
		{"short article", shortArticle, []string{"reconnaissance faciale"}},
		{"keyword only in the chrome", plainArticle, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			text := extract(t, feedgen.ArticlePage(c.a, "reconnaissance faciale"), nil)
			for _, p := range c.a.Paragraphs {
				if !strings.Contains(text, p) {
					t.Errorf("paragraph missing from the text:\n%s\ntext:\n%s", p, text)
				}
			}
			got := matched(t, text)
			if strings.Join(got, ",") != strings.Join(c.want, ",") {
				t.Errorf("the text matches %q, want %q; text:\n%s", got, c.want, text)
			}
			for _, chrome := range []string{"Drones : un spectacle", "partenaires", "Commentaires", "Mentions légales", "À lire aussi", "Tendances", "__bundle"} {
				if strings.Contains(text, chrome) {
					t.Errorf("chrome %q in the text:\n%s", chrome, text)
				}
			}
		})
	}
}

func TestExtractWithSelector(t *testing.T) {
	sel, err := pagetext.CompileSelector("article .c-body")
	if err != nil {
		t.Fatal(err)
	}
	text := extract(t, feedgen.ArticlePage(longArticle, "reconnaissance faciale"), sel)
	want := strings.Join(longArticle.Paragraphs[:2], "\n\n")
	if !strings.HasPrefix(text, want) {
		t.Errorf("got text starting\n%.300s\nwant the body's paragraphs only, from\n%.300s", text, want)
	}
	if strings.Contains(text, longArticle.Chapo) {
		t.Errorf("the selector selects the body: the chapô should not be in %q", text)
	}

	none, _ := pagetext.CompileSelector(".no-such-class")
	_, err = pagetext.Extract([]byte(feedgen.ArticlePage(longArticle, "x")), "text/html", pageURL, none)
	if !errors.Is(err, pagetext.ErrNoText) {
		t.Errorf("a selector that selects nothing: got %v, want ErrNoText", err)
	}
}

func TestCompileSelectorRejectsInvalid(t *testing.T) {
	for _, css := range []string{"article[", "div >", "::nope("} {
		if _, err := pagetext.CompileSelector(css); err == nil {
			t.Errorf("CompileSelector(%q): no error", css)
		}
	}
}

func TestExtractRejects(t *testing.T) {
	cases := []struct {
		name, body, contentType string
		want                    error
	}{
		{"PDF", "%PDF-1.7 ...", "application/pdf", pagetext.ErrNotHTML},
		{"JSON", `{"a":1}`, "application/json", pagetext.ErrNotHTML},
		{"untyped binary", "\x89PNG\r\n\x1a\n....", "", pagetext.ErrNotHTML},
		{"consent stub", `<!DOCTYPE html><html><body><div role="dialog"><p>Pour accéder à ce contenu, acceptez les cookies et la reconnaissance faciale de nos partenaires.</p><button>OK</button></div><p>Chargement…</p></body></html>`, "text/html", pagetext.ErrNoText},
		{"empty page", `<html><body></body></html>`, "text/html", pagetext.ErrNoText},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			text, err := pagetext.Extract([]byte(c.body), c.contentType, pageURL, nil)
			if !errors.Is(err, c.want) {
				t.Errorf("got %q, %v; want %v", text, err, c.want)
			}
		})
	}
}

func TestExtractCharsets(t *testing.T) {
	body := `<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-15"></head><body><div id="main"><h1>Question écrite</h1>` +
		`<p>Il demande au Gouvernement le coût en euros (€) de l'œuvre de surveillance algorithmique déployée à Saint-Étienne, et s'il entend y renoncer.</p>` +
		`<p>Il souhaite aussi connaître le nombre de caméras concernées dans chaque département d'outre-mer.</p></div></body></html>`
	latin9, err := charmap.ISO8859_15.NewEncoder().String(body)
	if err != nil {
		t.Fatal(err)
	}
	// A Latin-9 template around an answer pasted in UTF-8.
	mixed := strings.Replace(latin9, "</div>", "<p>Réponse publiée : l’œuvre à Saint-Étienne est suspendue.</p></div>", 1)
	for _, c := range []struct{ name, body, contentType string }{
		{"Latin-9 with UTF-8 inside", mixed, "text/html; charset=iso-8859-15"},
		{"Latin-9 declared in a meta", latin9, "text/html"},
		{"Latin-9 declared by HTTP", latin9, "text/html; charset=ISO-8859-15"},
		{"UTF-8 declared as Latin-9", body, "text/html; charset=iso-8859-15"},
	} {
		t.Run(c.name, func(t *testing.T) {
			text, err := pagetext.Extract([]byte(c.body), c.contentType, "https://www.senat.fr/q.html", nil)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(text, "(€) de l'œuvre") || !strings.Contains(text, "Saint-Étienne") {
				t.Errorf("got %q, want the accents, € and œ decoded", text)
			}
			if c.body == mixed && !strings.Contains(text, "Réponse publiée : l’œuvre à Saint-Étienne") {
				t.Errorf("got %q, want the UTF-8 answer kept as it is", text)
			}
		})
	}
}
