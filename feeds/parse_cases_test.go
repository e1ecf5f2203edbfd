package feeds_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/vigie-watch/vigie/feeds"
)

func TestParseNotAFeed(t *testing.T) {
	tests := []struct {
		name        string
		body        []byte
		contentType string
		wantInErr   string
	}{
		{"html page", inFixture(t, "in-page.html"), "text/html; charset=utf-8", "HTML page"},
		{"broken xml", inFixture(t, "in-broken.xml"), "text/xml", "not a feed"},
		{"empty", nil, "", "empty body"},
		{"spaces", []byte(" \n\t "), "", "empty body"},
		{"plain text", []byte("Service indisponible"), "text/plain", "unknown format"},
		{"json not feed", []byte(`{"error": "quota"}`), "application/json", "not a feed"},
		{"xml not feed", []byte(`<?xml version="1.0"?><error>quota</error>`), "text/xml", "not a feed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := feeds.Parse(tt.body, tt.contentType, "https://example.org/feed", inNow)
			if err == nil {
				t.Fatalf("got feed %+v, want an error", f)
			}
			if !errors.Is(err, feeds.ErrNotFeed) {
				t.Errorf("got error %v, want it to wrap ErrNotFeed", err)
			}
			if !strings.Contains(err.Error(), tt.wantInErr) {
				t.Errorf("got error %q, want it to contain %q", err, tt.wantInErr)
			}
		})
	}
}

func TestParseGUIDFallbacks(t *testing.T) {
	const doc = `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
<item><title>Sans lien</title><pubDate>Thu, 01 Oct 2026 10:00:00 GMT</pubDate></item>
<item><title>Sans lien</title><pubDate>Fri, 02 Oct 2026 10:00:00 GMT</pubDate></item>
<item><description>ni titre ni lien ni guid</description></item>
<item><guid isPermaLink="false">  id-7  </guid></item>
</channel></rss>`
	parse := func() *feeds.Feed {
		f, err := feeds.Parse([]byte(doc), "", "https://example.org/feed", inNow)
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	f := parse()
	if len(f.Items) != 3 {
		t.Fatalf("got %d items, want 3 (the empty one dropped)", len(f.Items))
	}
	a, b := f.Items[0].GUID, f.Items[1].GUID
	if a == "" || a == b {
		t.Errorf("hash GUIDs: got %q and %q, want two distinct non-empty ids", a, b)
	}
	if again := parse().Items[0].GUID; again != a {
		t.Errorf("hash GUID not stable: got %q, then %q", a, again)
	}
	if got := f.Items[2].GUID; got != "id-7" {
		t.Errorf("trimmed GUID: got %q, want %q", got, "id-7")
	}
}

func TestParseRelativeToFeedURL(t *testing.T) {
	const doc = `<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><id>x</id>
<entry><title>a</title><id>a</id><link href="../posts/a"/></entry></feed>`
	f, err := feeds.Parse([]byte(doc), "", "https://example.org/feeds/all.atom", inNow)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := f.Items[0].Link, "https://example.org/posts/a"; got != want {
		t.Errorf("link: got %q, want %q", got, want)
	}
}
