package canon_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/vigie-watch/vigie/internal/canon"
)

func TestLink(t *testing.T) {
	const fi = "www.francetvinfo.fr/internet/securite-sur-internet/reconnaissance-faciale_6159871.html"
	tests := []struct{ name, in, want string }{
		{"franceinfo fragment, titres", "https://www.francetvinfo.fr/internet/securite-sur-internet/reconnaissance-faciale_6159871.html#xtor=RSS-3-[lestitres]", fi},
		{"franceinfo fragment, société", "https://www.francetvinfo.fr/internet/securite-sur-internet/reconnaissance-faciale_6159871.html#xtor=RSS-3-[societe]", fi},
		{"http, upper-case host, port 80", "http://WWW.FranceTVInfo.fr:80/internet/securite-sur-internet/reconnaissance-faciale_6159871.html", fi},
		{"port 443, utm", "https://www.francetvinfo.fr:443/internet/securite-sur-internet/reconnaissance-faciale_6159871.html?utm_source=rss&utm_medium=feed", fi},
		{"every family of tracking", "https://www.francetvinfo.fr/internet/securite-sur-internet/reconnaissance-faciale_6159871.html?xtor=RSS-3&fbclid=abc&gclid=x&mc_cid=1&at_medium=rss", fi},
		{"trailing slash, utm", "https://disclose.ngo/fr/article/la-police-nationale-utilise-illegalement-un-logiciel-israelien-de-reconnaissance-faciale/?utm_source=rss", "disclose.ngo/fr/article/la-police-nationale-utilise-illegalement-un-logiciel-israelien-de-reconnaissance-faciale"},
		{"params sorted", "https://example.org/a?b=2&a=1", "example.org/a?a=1&b=2"},
		{"params order", "https://example.org/a?a=1&b=2", "example.org/a?a=1&b=2"},
		{"utm among others", "https://example.org/a?id=5&utm_campaign=x", "example.org/a?id=5"},
		{"tracking in the middle", "https://example.org/a?z=1&utm_source=x&a=2", "example.org/a?a=2&z=1"},
		{"at_ family", "https://example.org/a?at_xtor=1&at_custom1=2&at_creation=3", "example.org/a"},
		{"mc_ family", "https://example.org/a?mc_cid=1&mc_eid=2&id=7", "example.org/a?id=7"},
		{"tracking names in upper case", "https://example.org/a?UTM_Source=x&XTOR=1", "example.org/a"},
		{"tracking name percent-encoded", "https://example.org/a?utm%5Fsource=x", "example.org/a"},
		{"other tracking", "https://example.org/a?msclkid=1&dclid=2&igshid=3&mtm_source=4&pk_campaign=5", "example.org/a"},
		{"empty query", "https://example.org/a?", "example.org/a"},
		{"empty params", "https://example.org/a?&&id=1&", "example.org/a?id=1"},
		{"only tracking left nothing", "https://example.org/a/?utm_source=x#top", "example.org/a"},
		{"other port kept", "https://example.org:8443/a/", "example.org:8443/a"},
		{"port 443 over http", "http://example.org:443/a", "example.org/a"},
		{"empty port", "http://example.org:/a", "example.org/a"},
		{"root", "https://example.org/", "example.org"},
		{"root, no slash", "https://example.org", "example.org"},
		{"several trailing slashes", "https://example.org/a//", "example.org/a"},
		{"trailing dot of the host", "https://example.org./a", "example.org/a"},
		{"user information", "https://user:pw@example.org/a", "example.org/a"},
		{"scheme in upper case", "HTTPS://example.org/a", "example.org/a"},
		{"spaces around", "  https://example.org/x  ", "example.org/x"},
		{"IDN host", "https://www.exämple.fr/a", "www.xn--exmple-cua.fr/a"},
		{"IDN host in upper case", "https://www.EXÄMPLE.fr/a", "www.xn--exmple-cua.fr/a"},
		{"IDN host in punycode", "https://www.xn--exmple-cua.fr/a", "www.xn--exmple-cua.fr/a"},
		{"IPv6 host", "http://[::1]:8080/a", "[::1]:8080/a"},
		{"percent-encoding, lower case", "https://example.org/d%c3%a9cision", "example.org/d%C3%A9cision"},
		{"percent-encoding, upper case", "https://example.org/d%C3%A9cision", "example.org/d%C3%A9cision"},
		{"raw UTF-8 path", "https://example.org/décision", "example.org/d%C3%A9cision"},
		{"unreserved escaped", "https://example.org/%7Euser/%61", "example.org/~user/a"},
		{"escaped slash kept", "https://example.org/a%2fb", "example.org/a%2Fb"},
		{"query escapes", "https://example.org/s?q=caf%c3%a9&x=%7e", "example.org/s?q=caf%C3%A9&x=~"},
		{"raw UTF-8 query", "https://example.org/s?q=café", "example.org/s?q=caf%C3%A9"},
		{"not http", "urn:uuid:1234", "urn:uuid:1234"},
		{"relative", "/a/b", "/a/b"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		if got := canon.Link(tt.in); got != tt.want {
			t.Errorf("%s: Link(%q): got %q, want %q", tt.name, tt.in, got, tt.want)
		}
	}
}

func TestLinkKeepsMeaningfulDifferences(t *testing.T) {
	pairs := [][2]string{
		{"https://example.org/a?id=1", "https://example.org/a?id=2"},
		{"https://example.org/a", "https://example.org/b"},
		{"https://example.org/a", "https://example.com/a"},
		{"https://example.org:8080/a", "https://example.org/a"},
		{"https://example.org/A", "https://example.org/a"},
		{"https://example.org/a%2Fb", "https://example.org/a/b"},
		{"https://example.org/a?q=x%26y", "https://example.org/a?q=x&y"},
		{"https://www.example.org/a", "https://example.org/a"},
		{"https://example.org/a?page=2", "https://example.org/a"},
	}
	for _, p := range pairs {
		if canon.Link(p[0]) == canon.Link(p[1]) {
			t.Errorf("Link(%q) == Link(%q) == %q: want different stories", p[0], p[1], canon.Link(p[0]))
		}
	}
}

func TestLinkIsIdempotent(t *testing.T) {
	for _, in := range []string{
		"https://www.exämple.fr/d%c3%a9cision/?b=2&a=%7e#x",
		"http://[::1]:8080/a",
		"https://example.org/a%2fb?q=x%26y",
	} {
		once := canon.Link(in)
		if twice := canon.Link("https://" + once); twice != once {
			t.Errorf("Link(%q) = %q, but Link(https://%s) = %q", in, once, once, twice)
		}
	}
}

func FuzzLink(f *testing.F) {
	for _, s := range []string{"https://www.francetvinfo.fr/a.html#xtor=RSS-3", "http://[::1]:80/%c3?utm_x=1&b=%2", "https://exämple.fr/?&"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		once := canon.Link(in)
		u, err := url.Parse(strings.TrimSpace(in))
		if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
			return
		}
		if strings.Contains(once, "#") {
			t.Errorf("Link(%q) = %q: a fragment remains", in, once)
		}
		if strings.HasPrefix(once, "/") || strings.HasPrefix(once, "?") || once == "" {
			return // no host left
		}
		if twice := canon.Link("http://" + once); twice != once {
			t.Errorf("Link(%q) = %q, but Link(http://%s) = %q", in, once, once, twice)
		}
	})
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
	// The id of a key is part of the contract: stored feeds rely on it.
	if got, want := a, "tag:vigie,2026:story:94584207f807e901fa3f47ea"; got != want {
		t.Errorf("EntryID(example.org/a): got %q, want %q", got, want)
	}
}
