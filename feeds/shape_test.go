package feeds_test

import (
	"bytes"
	"errors"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vigie-watch/vigie/feeds"
)

// hostileFeed returns an RSS feed of one item that holds blocks of depth
// nested elements named name, repeated until the body reaches size bytes
// or the elements reach count.
func hostileFeed(name string, depth, size, count int) []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0"?><rss version="2.0" xmlns:x="urn:x"><channel><title>t</title>` +
		`<item><title>Caméras</title><link>https://example.org/a</link>`)
	for n := 0; n+depth <= count && b.Len() < size; n += depth {
		for range depth {
			b.WriteString("<" + name + ` k="v">`)
		}
		b.WriteString("texte")
		for range depth {
			b.WriteString("</" + name + ">")
		}
	}
	b.WriteString(`</item></channel></rss>`)
	return b.Bytes()
}

// TestParseRefusesAbsurdXML feeds Parse bodies under the size cap that
// would cost gofeed gigabytes: each is refused before gofeed, with an
// error that names the feed.
func TestParseRefusesAbsurdXML(t *testing.T) {
	const url = "https://hostile.example/feed.xml"
	tests := map[string][]byte{
		"900 000 nested namespaced": hostileFeed("x:a", 900_000, 10e6, 900_000),
		"600 000 nested plain":      hostileFeed("a", 600_000, 10e6, 600_000),
		"129 levels":                hostileFeed("a", 129, 10e6, 129),
		"namespaced siblings":       hostileFeed("x:a", 1, 10e6, 1e9),
		"plain siblings":            hostileFeed("a", 1, 10e6, 1e9),
	}
	for name, body := range tests {
		_, err := feeds.Parse(body, "application/rss+xml", url, time.Now())
		if !errors.Is(err, feeds.ErrAbsurdXML) || !errors.Is(err, feeds.ErrNotFeed) {
			t.Errorf("%s (%d bytes): got %v, want ErrAbsurdXML", name, len(body), err)
			continue
		}
		if !strings.Contains(err.Error(), url) {
			t.Errorf("%s: error %q does not name the feed", name, err)
		}
	}
}

// TestParseKeepsRealShapes checks that what real feeds hold passes the
// shape check: comments, CDATA and attribute values with markup in them,
// a DOCTYPE with an internal subset, XHTML content a few dozen levels deep,
// and a feed of many items.
func TestParseKeepsRealShapes(t *testing.T) {
	xhtml := strings.Repeat("<div>", 40) + "reconnaissance faciale" + strings.Repeat("</div>", 40)
	doc := `<?xml version="1.0"?>
<!DOCTYPE feed [ <!ENTITY nbsp "&#160;"> <!ELEMENT x (y)> ]>
<!-- <a><a><a> -->
<feed xmlns="http://www.w3.org/2005/Atom">
<title>t</title><id>urn:t</id><updated>2025-01-01T00:00:00Z</updated>
<entry><id>urn:1</id><title type="html"><![CDATA[<b><i><u>CNIL</u></i></b>]]></title>
<link href="https://example.org/a?x=&lt;&gt;" title='a > b'/>
<updated>2025-01-01T00:00:00Z</updated>
<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">` + xhtml + `</div></content></entry>
</feed>`
	f, err := feeds.Parse([]byte(doc), "", "https://example.org/feed", time.Now())
	if err != nil {
		t.Fatalf("got %v, want the feed parsed", err)
	}
	if len(f.Items) != 1 || !strings.Contains(f.Items[0].Content, "reconnaissance faciale") {
		t.Errorf("got %+v, want one item with its content", f.Items)
	}

	var big bytes.Buffer
	big.WriteString(`<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>t</title>`)
	for range 5000 {
		big.WriteString(`<item><title>VSA</title><link>https://example.org/a</link><dc:creator>A</dc:creator>` +
			`<dc:date>2025-01-01</dc:date><category>x</category><description>d</description></item>`)
	}
	big.WriteString(`</channel></rss>`)
	if f, err := feeds.Parse(big.Bytes(), "", "https://example.org/feed", time.Now()); err != nil || len(f.Items) != 5000 {
		t.Errorf("5000 items: got %v, want them parsed", err)
	}
}

// BenchmarkParseHostileShape parses the costliest bodies the shape check
// lets through (just under its limits) and one it refuses, and reports
// the peak heap seen while parsing (sampled, so a lower bound) in MiB.
func BenchmarkParseHostileShape(b *testing.B) {
	cases := []struct {
		name string
		body []byte
	}{
		{"refused-900k-nested-ns", hostileFeed("x:a", 900_000, 10e6, 900_000)},
		{"limit-ns-depth120", hostileFeed("x:a", 120, 10e6, 39_960)},
		{"limit-ns-flat", hostileFeed("x:a", 1, 10e6, 39_990)},
		{"limit-plain-depth120", hostileFeed("a", 120, 10e6, 199_900)},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			var peak atomic.Uint64
			stop := sampleHeap(&peak)
			defer stop()
			for b.Loop() {
				_, _ = feeds.Parse(c.body, "", "https://hostile.example/feed.xml", time.Now())
			}
			b.ReportMetric(float64(peak.Load())/(1<<20), "peak-MiB")
		})
	}
}

// sampleHeap records the largest heap in use every millisecond until stop.
func sampleHeap(peak *atomic.Uint64) (stop func()) {
	runtime.GC()
	done := make(chan struct{})
	go func() {
		var ms runtime.MemStats
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				runtime.ReadMemStats(&ms)
				if ms.HeapInuse > peak.Load() {
					peak.Store(ms.HeapInuse)
				}
			}
		}
	}()
	return func() { close(done) }
}
