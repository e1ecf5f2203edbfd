package plaintext_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/vigie-watch/vigie/internal/plaintext"
)

// TestFromHTML pins the one set of rules: the matcher, the feeds and the
// page all read HTML through it.
func TestFromHTML(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"   ", ""},
		{"Reconnaissance faciale", "Reconnaissance faciale"},
		{"  la\u00a0CNIL\u202f:\t\n sanction  ", "la CNIL : sanction"},
		{"<p>La <b>VSA</b></p><p>aux JO</p>", "La VSA aux JO"},
		{"<b>reconnaissance</b>\nfaciale", "reconnaissance faciale"},
		{"reconnaissance&nbsp;faciale", "reconnaissance faciale"},
		{"d&eacute;tection &amp; l&#8217;IA &#x2019; &#233;", "détection & l’IA ’ é"},
		{"&lt;b&gt;pas une balise&lt;/b&gt;", "<b>pas une balise</b>"},
		{"1 < 2 et 3 > 2", "1 < 2 et 3 > 2"},
		{"a<b", "a<b"},
		{"fin <", "fin <"},
		{`<a href="x?a=1&b=2" title="a > b">lien</a> suite`, "lien suite"},
		{"avant<!-- <p>commentaire</p> -->après", "avant après"},
		{"avant<!-- jamais fermé", "avant"},
		{"<script>alert('<b>')</script>texte<style>p{}</style>", "texte"},
		{"<SCRIPT>x</script >y", "y"},
		{"<scripts>x</scripts>", "x"},
		{"<![CDATA[x]]>y", "y"},
		{"<?xml version=\"1.0\"?>z", "z"},
		{"AT&T", "AT&T"},
		{"l’IA", "l’IA"},
		{"vidéo\u00adsurveillance", "vidéo\u00adsurveillance"},
		// What the feeds and the page met: sanitised summaries, a page
		// with its script and style, controls and invalid UTF-8.
		{`<p>La CNIL &amp; la VSA</p><p><a href="https://example.org/a" rel="nofollow">lien</a></p>`, "La CNIL & la VSA lien"},
		{"<p>ligne<br/>suivante</p><ul><li>un</li><li>deux</li></ul>", "ligne suivante un deux"},
		{"<html><head><title>Titre</title><style>body{x}</style><script type=\"x\">var a = '<p>';</script></head><body><p>Texte</p></body></html>", "Titre Texte"},
		{"<STYLE>p{}</STYLE>Après", "Après"},
		{"a\x00b\x1bc\u0085d", "a b c d"},
		{"caf\xe9 cr\xe8me", "caf\ufffd cr\ufffdme"},
	}
	for _, tt := range tests {
		if got := plaintext.FromHTML(tt.in); got != tt.want {
			t.Errorf("FromHTML(%q): got %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestFromHTMLLinear checks that hostile input (unclosed quotes, comments
// and tags, many times over) is read in linear time: a quadratic scan of
// these 400 KB would take minutes.
func TestFromHTMLLinear(t *testing.T) {
	for _, unit := range []string{`<a title="x>`, "<a title='x>", "<!--", "<b", "<script>x", "&amp"} {
		s := strings.Repeat(unit+" mot ", 40000)
		if got := plaintext.FromHTML(s); !utf8.ValidString(got) {
			t.Errorf("FromHTML(%q × 40000): invalid UTF-8", unit)
		}
	}
}

func TestTruncate(t *testing.T) {
	long := strings.Repeat("reconnaissance faciale ", 10)
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"", 10, ""},
		{"court", 10, "court"},
		{"exactement", 10, "exactement"},
		{"la vidéosurveillance", 10, "la vidéos…"},
		{"un deux trois quatre", 16, "un deux trois…"},
		{"un deux trois, quatre", 16, "un deux trois…"},
		{"éééééééééé", 5, "éééé…"},
		{long, 100, "reconnaissance faciale reconnaissance faciale reconnaissance faciale reconnaissance faciale…"},
		{"anticonstitutionnellement", 1, "…"},
		{"anticonstitutionnellement", 0, "…"},
	}
	for _, tt := range tests {
		got := plaintext.Truncate(tt.in, tt.n)
		if got != tt.want {
			t.Errorf("Truncate(%q, %d): got %q, want %q", tt.in, tt.n, got, tt.want)
		}
		if n := utf8.RuneCountInString(got); n > max(tt.n, 1) {
			t.Errorf("Truncate(%q, %d): %d runes", tt.in, tt.n, n)
		}
	}
}
