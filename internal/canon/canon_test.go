package canon_test

import (
	"strings"
	"testing"

	"github.com/vigie-watch/vigie/internal/canon"
)

func TestLink(t *testing.T) {
	const fi = "www.francetvinfo.fr/internet/securite-sur-internet/reconnaissance-faciale_6159871.html"
	tests := []struct{ in, want string }{
		{"https://www.francetvinfo.fr/internet/securite-sur-internet/reconnaissance-faciale_6159871.html#xtor=RSS-3-[lestitres]", fi},
		{"https://www.francetvinfo.fr/internet/securite-sur-internet/reconnaissance-faciale_6159871.html#xtor=RSS-3-[societe]", fi},
		{"http://WWW.FranceTVInfo.fr:80/internet/securite-sur-internet/reconnaissance-faciale_6159871.html", fi},
		{"https://www.francetvinfo.fr:443/internet/securite-sur-internet/reconnaissance-faciale_6159871.html?utm_source=rss&utm_medium=feed", fi},
		{"https://www.francetvinfo.fr/internet/securite-sur-internet/reconnaissance-faciale_6159871.html?xtor=RSS-3&fbclid=abc&gclid=x&mc_cid=1&at_medium=rss", fi},
		{"https://disclose.ngo/fr/article/la-police-nationale-utilise-illegalement-un-logiciel-israelien-de-reconnaissance-faciale/", "disclose.ngo/fr/article/la-police-nationale-utilise-illegalement-un-logiciel-israelien-de-reconnaissance-faciale"},
		{"https://example.org/a?b=2&a=1", "example.org/a?a=1&b=2"},
		{"https://example.org/a?id=5&utm_campaign=x", "example.org/a?id=5"},
		{"https://example.org:8443/a/", "example.org:8443/a"},
		{"https://example.org/", "example.org"},
		{"  https://example.org/x  ", "example.org/x"},
		{"urn:uuid:1234", "urn:uuid:1234"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := canon.Link(tt.in); got != tt.want {
			t.Errorf("Link(%q): got %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestLinkKeepsMeaningfulDifferences(t *testing.T) {
	pairs := [][2]string{
		{"https://example.org/a?id=1", "https://example.org/a?id=2"},
		{"https://example.org/a", "https://example.org/b"},
		{"https://example.org/a", "https://example.com/a"},
		{"https://example.org:8080/a", "https://example.org/a"},
	}
	for _, p := range pairs {
		if canon.Link(p[0]) == canon.Link(p[1]) {
			t.Errorf("Link(%q) == Link(%q): want different stories", p[0], p[1])
		}
	}
}

func TestEntryID(t *testing.T) {
	a := canon.EntryID("example.org/a")
	if a != canon.EntryID("example.org/a") {
		t.Fatal("EntryID is not deterministic")
	}
	if a == canon.EntryID("example.org/b") {
		t.Fatal("different keys gave the same id")
	}
	if !strings.HasPrefix(a, "tag:vigie,2026:") {
		t.Errorf("got %q, want a tag: URI", a)
	}
}
