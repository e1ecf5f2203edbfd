package feeds_test

import (
	"strings"
	"testing"
	"time"

	"github.com/vigie-watch/vigie/feeds"
	"github.com/vigie-watch/vigie/internal/watch"
)

// TestRenderLinksAreURIs checks that links are written as valid URI
// references, whatever the source gave.
func TestRenderLinksAreURIs(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://www.francetvinfo.fr/a_6159871.html#xtor=RSS-3-[lestitres]", "https://www.francetvinfo.fr/a_6159871.html#xtor=RSS-3-%5Blestitres%5D"},
		{"https://example.org/vidéo surveillance?q=a b", "https://example.org/vid%C3%A9o%20surveillance?q=a%20b"},
		{"https://example.org/100%25-sur?x=50%", "https://example.org/100%25-sur?x=50%25"},
		{"http://[2001:db8::1]:8080/a?b=c&d=e#f", "http://[2001:db8::1]:8080/a?b=c&amp;d=e#f"},
		{`https://example.org/"quoted"<x>{y}|^`, "https://example.org/%22quoted%22%3Cx%3E%7By%7D%7C%5E"},
		{"https://exemple.fr/d%C3%A9j%C3%A0", "https://exemple.fr/d%C3%A9j%C3%A0"},
	}
	for _, tt := range tests {
		e := watch.Entry{ID: "tag:vigie.example,2025:1", Title: "t", Link: tt.in, Published: time.Unix(1e9, 0)}
		for _, f := range []feeds.Format{feeds.FormatAtom, feeds.FormatRSS} {
			out, err := feeds.Render(f, feeds.Meta{ID: "tag:vigie.example,2025:feed", Title: "f"}, []watch.Entry{e})
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(out), tt.want) {
				t.Errorf("%s link %q: got\n%s\nwant it to hold %q", f, tt.in, out, tt.want)
			}
		}
	}
}

// TestRenderUntitled checks that an entry without a title gets one, as
// validators require.
func TestRenderUntitled(t *testing.T) {
	long := strings.Repeat("reconnaissance faciale ", 10)
	tests := []struct {
		name string
		e    watch.Entry
		want string
	}{
		{"summary", watch.Entry{Summary: "<p>La CNIL &amp; la VSA</p>"}, "La CNIL &amp; la VSA"},
		{"long summary", watch.Entry{Summary: long}, "reconnaissance faciale reconnaissance faciale reconnaissance faciale reconnaissance faciale…"},
		{"content", watch.Entry{Content: "<b>Texte</b>"}, "Texte"},
		{"link", watch.Entry{Link: "https://example.org/a"}, "https://example.org/a"},
		{"id", watch.Entry{}, "tag:vigie.example,2025:1"},
	}
	for _, tt := range tests {
		tt.e.ID = "tag:vigie.example,2025:1"
		out, err := feeds.RenderAtom(feeds.Meta{ID: "tag:vigie.example,2025:feed", Title: "f"}, []watch.Entry{tt.e})
		if err != nil {
			t.Fatal(err)
		}
		if want := `<title type="text">` + tt.want + `</title>`; !strings.Contains(string(out), want) {
			t.Errorf("%s: got\n%s\nwant it to hold %s", tt.name, out, want)
		}
	}
}
