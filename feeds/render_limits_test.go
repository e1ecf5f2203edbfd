package feeds_test

import (
	"bytes"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/mmcdole/gofeed"

	"github.com/vigie-watch/vigie/feeds"
	"github.com/vigie-watch/vigie/internal/watch"
)

// hostileLinks are links a hostile or broken feed sends: none may be
// published.
var hostileLinks = []string{
	"javascript:alert(document.cookie)",
	" JavaScript:alert(1)",
	"javascript://example.org/%0Aalert(1)",
	"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
	"vbscript:msgbox(1)",
	"file:///etc/passwd",
	"/relative/path",
	"//evil.example/x",
}

// TestRenderDropsUnsafeLinks renders entries whose links, source URL and
// site are hostile, and reads each format back as a reader would: no
// unsafe URL anywhere, every entry kept with its id and its text.
func TestRenderDropsUnsafeLinks(t *testing.T) {
	for _, bad := range hostileLinks {
		entries := []watch.Entry{{
			ID:         "tag:vigie.example,2025:hostile",
			Title:      "Caméras : la CNIL alerte",
			Link:       bad,
			Summary:    "<p>La CNIL alerte sur la VSA.</p>",
			Published:  time.Unix(1.7e9, 0),
			Source:     "hostile",
			SourceURL:  "https://hostile.example/feed.xml",
			SourceSite: bad,
		}}
		meta := feeds.Meta{ID: "tag:vigie.example,2025:feed", Title: "f", SelfURL: bad, HTMLURL: bad}
		for _, f := range []feeds.Format{feeds.FormatAtom, feeds.FormatRSS, feeds.FormatJSON} {
			out, err := feeds.Render(f, meta, entries)
			if err != nil {
				t.Fatalf("%s %q: %v", f, bad, err)
			}
			for _, scheme := range []string{"javascript", "data:", "vbscript", "file:", "/relative", "evil.example"} {
				if bytes.Contains(bytes.ToLower(out), []byte(strings.ToLower(scheme))) {
					t.Errorf("%s link %q: output holds %q:\n%s", f, bad, scheme, out)
				}
			}
			gf, err := gofeed.NewParser().ParseString(string(out))
			if err != nil {
				t.Fatalf("%s link %q: a reader cannot parse the output: %v\n%s", f, bad, err, out)
			}
			if len(gf.Items) != 1 {
				t.Fatalf("%s link %q: got %d items, want 1", f, bad, len(gf.Items))
			}
			it := gf.Items[0]
			if it.Link != "" || len(it.Links) != 0 {
				t.Errorf("%s link %q: item link %q %q, want none", f, bad, it.Link, it.Links)
			}
			if !strings.Contains(it.Description+it.Content, "La CNIL alerte sur la VSA") {
				t.Errorf("%s link %q: item text lost: %q / %q", f, bad, it.Description, it.Content)
			}
			if f == feeds.FormatAtom && !strings.Contains(it.Content, "La CNIL alerte") {
				t.Errorf("atom link %q: an entry without alternate link must carry <content>, got %q", bad, it.Content)
			}
		}
	}
}

// TestRenderKeepsWebLinks checks that http and https links, in any case,
// still go out.
func TestRenderKeepsWebLinks(t *testing.T) {
	for _, link := range []string{"https://disclose.ngo/fr/a", "HTTP://www.senat.fr/q.html", "http://[2001:db8::1]:8080/a"} {
		e := watch.Entry{ID: "tag:vigie.example,2025:1", Title: "t", Link: link, SourceURL: link, SourceSite: link}
		out, err := feeds.RenderAtom(feeds.Meta{ID: "tag:vigie.example,2025:feed", Title: "f"}, []watch.Entry{e})
		if err != nil {
			t.Fatal(err)
		}
		doc := parseAtom(t, out)
		if got := doc.Entries[0].Links; len(got) != 1 || got[0].Href != link {
			t.Errorf("link %q: got %v, want it kept", link, got)
		}
	}
}

// TestRenderCapsTitleAndText renders an entry with a 5 MB title and 5 MB
// texts: each format stays small and well formed.
func TestRenderCapsTitleAndText(t *testing.T) {
	huge := strings.Repeat("é", 5<<19) // 5 MiB of two-byte runes
	html := "<p>" + strings.Repeat("La reconnaissance faciale <b>en gare</b>. ", 120_000) + "</p>"
	e := watch.Entry{
		ID: "tag:vigie.example,2025:big", Title: huge, Link: "https://example.org/a",
		Summary: html, Content: html, Published: time.Unix(1.7e9, 0),
	}
	for _, f := range []feeds.Format{feeds.FormatAtom, feeds.FormatRSS, feeds.FormatJSON} {
		out, err := feeds.Render(f, feeds.Meta{ID: "tag:vigie.example,2025:feed", Title: "f"}, []watch.Entry{e})
		if err != nil {
			t.Fatal(err)
		}
		if len(out) > 200<<10 {
			t.Errorf("%s: %d bytes for one entry, want under 200 KiB", f, len(out))
		}
		gf, err := gofeed.NewParser().ParseString(string(out))
		if err != nil {
			t.Fatalf("%s: a reader cannot parse the output: %v", f, err)
		}
		title := gf.Items[0].Title
		if n := utf8.RuneCountInString(title); n < 900 || n > 1001 {
			t.Errorf("%s: title of %d characters, want about 1000", f, n)
		}
		if !utf8.ValidString(title) || !strings.HasPrefix(title, "ééé") {
			t.Errorf("%s: title cut badly: %q...", f, title[:min(len(title), 20)])
		}
		if !strings.Contains(gf.Items[0].Description+gf.Items[0].Content, "reconnaissance faciale") {
			t.Errorf("%s: text lost", f)
		}
	}
}
