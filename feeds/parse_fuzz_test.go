package feeds_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/vigie-watch/vigie/feeds"
)

func BenchmarkParse(b *testing.B) {
	for _, name := range []string{"in-franceinfo.rss", "in-disclose.rss", "in-senat-latin9.rss", "in-xmlbase.atom"} {
		body := inFixture(b, name)
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := feeds.Parse(body, "", "https://example.org/feed", inNow); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	entries, err := os.ReadDir("testdata")
	if err != nil {
		f.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "in-") {
			body := inFixture(f, e.Name())
			f.Add(body[:min(len(body), 4096)], "")
		}
	}
	f.Add([]byte(`<rss><channel><item><link>%zz</link></item></channel></rss>`), "text/xml; charset=bogus")
	f.Add([]byte("\xff\xfe<\x00"), "")
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		feed, err := feeds.Parse(body, contentType, "https://example.org/feed", inNow)
		if err != nil {
			return
		}
		for _, it := range feed.Items {
			if it.GUID == "" {
				t.Errorf("item without GUID: %+v", it)
			}
			if it.Published.After(inNow.Add(10*time.Minute)) || it.Updated.After(inNow.Add(10*time.Minute)) {
				t.Errorf("item dated in the future: %+v", it)
			}
		}
	})
}
