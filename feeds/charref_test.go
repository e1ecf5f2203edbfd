package feeds_test

import (
	"testing"
	"time"

	"github.com/vigie-watch/vigie/feeds"
)

// TestParseDropsBadCharRefs parses a feed whose one item carries &#0;,
// which makes XML parsers refuse the whole document: the reference is
// dropped and counted, the feed and its other references kept.
func TestParseDropsBadCharRefs(t *testing.T) {
	doc := `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>franceinfo</title><link>https://www.francetvinfo.fr/</link>
<item><title>Reconnaissance faciale&#0; : la CNIL&#x1; alerte</title><link>https://www.francetvinfo.fr/a.html</link>
<description>Caf&#233; &#150; &amp;#0; &#x20AC;</description></item>
<item><title>VSA&#xD800; aux JO</title><link>https://www.francetvinfo.fr/b.html</link></item>
</channel></rss>`
	f, err := feeds.Parse([]byte(doc), "application/rss+xml", "https://www.francetvinfo.fr/titres.rss", time.Now())
	if err != nil {
		t.Fatalf("got %v, want the feed read", err)
	}
	if len(f.Items) != 2 {
		t.Fatalf("got %d items, want 2", len(f.Items))
	}
	if got, want := f.Items[0].Title, "Reconnaissance faciale : la CNIL alerte"; got != want {
		t.Errorf("title: got %q, want %q", got, want)
	}
	if got, want := f.Items[0].Summary, "Café – &#0; €"; got != want {
		t.Errorf("summary: got %q, want %q (valid references kept)", got, want)
	}
	if got, want := f.Items[1].Title, "VSA aux JO"; got != want {
		t.Errorf("title: got %q, want %q", got, want)
	}
	if f.BadCharRefs != 3 {
		t.Errorf("bad references counted: got %d, want 3", f.BadCharRefs)
	}
}
