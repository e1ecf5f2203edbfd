package server_test

import (
	"encoding/xml"
	"errors"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	nethtml "golang.org/x/net/html"

	"github.com/vigie-watch/vigie/internal/vigietest"
)

func TestActivity(t *testing.T) {
	now := time.Now()
	h := activityHarness(t, 120, vigietest.Options{})
	feed := h.feed
	h.fetch()
	h.fetch()
	body := h.GetBody("/")
	doc := parseHTML(t, string(body))
	section := byID(doc, "activite")
	if section == nil {
		t.Fatal("the page has no activity section")
	}
	svgs := svgSources(t, string(body))
	if len(svgs) == 0 {
		t.Fatal("no inline SVG")
	}
	for i, s := range svgs {
		wellFormed(t, i, s)
	}

	// What the fixture holds: the week (its Monday in Paris) of each item
	// the merged feed publishes.
	want := map[string]int{}
	wantTotal, want30 := 0, 0
	paris := paris(t)
	oldest := monday(now.In(paris)).AddDate(0, 0, -7*25)
	for _, it := range parseItems(t, feed) {
		if it.pub.After(now.AddDate(0, 0, -30)) {
			want30++ // every item of the fixture matches a feed
		}
		if strings.Contains(it.title, "drones") || it.pub.Before(oldest) {
			continue
		}
		want[monday(it.pub.In(paris)).Format(time.DateOnly)]++
		wantTotal++
	}

	merged := elements(section, "div")[0]
	t.Run("weeks of the merged feed", func(t *testing.T) {
		got := map[string]int{}
		for _, tr := range elements(merged, "tr") {
			tds := elements(tr, "td")
			if len(tds) != 3 {
				continue
			}
			n, _ := strconv.Atoi(text(tds[1]))
			got[attr(elements(tds[0], "time")[0], "datetime")] = n
		}
		for week, n := range want {
			if got[week] != n {
				t.Errorf("week of %s: got %d articles in the table, want %d", week, got[week], n)
			}
		}
		if len(got) != len(want) {
			t.Errorf("got %d weeks with articles, want %d:\n got %v\nwant %v", len(got), len(want), got, want)
		}
		titles := barTitles(elements(merged, "svg")[0])
		if len(titles) != 26 {
			t.Fatalf("got %d bars, want 26", len(titles))
		}
		sum := 0
		for _, title := range titles {
			m := regexp.MustCompile(`: (\d+) articles?`).FindStringSubmatch(title)
			if m == nil {
				t.Fatalf("bar title %q does not say how many articles", title)
			}
			n, _ := strconv.Atoi(m[1])
			sum += n
		}
		if sum != wantTotal {
			t.Errorf("the bars add up to %d articles, want %d", sum, wantTotal)
		}
		if trend := text(merged); !strings.Contains(trend, strconv.Itoa(wantTotal)+" en 26 semaines") {
			t.Errorf("the merged feed's summary lacks its total %d: %q", wantTotal, trend)
		}
		if legend := text(elements(merged, "ul")[0]); !strings.Contains(legend, "BriefCam : 24") {
			t.Errorf("legend: got %q, want BriefCam : 24 (every fifth item)", legend)
		}
	})

	t.Run("sources", func(t *testing.T) {
		rows := map[string]string{}
		for _, li := range elements(section, "li") {
			if attr(li.Parent, "class") == "srcact" {
				rows[text(elements(li, "span")[0])] = strings.Join(strings.Fields(text(li)), " ")
			}
		}
		// Its second fetch got the same bytes again: unchanged, as a 304 is.
		if got := rows["Actu récente"]; !strings.Contains(got, strconv.Itoa(want30)+" articles en 30 j") ||
			!strings.Contains(got, "1 réussie, 1 inchangée") || !strings.Contains(got, "inchangée (mêmes octets)") {
			t.Errorf("Actu récente: got %q, want %d articles, a successful fetch and an unchanged one (same bytes)", got, want30)
		}
		if got := rows["Sénat"]; !strings.Contains(got, "en erreur") {
			t.Errorf("Sénat: got %q, want its failed fetch", got)
		}
		for _, mark := range []string{`class="o-error"`, `class="o-ok"`, `class="o-same_body"`} {
			if !strings.Contains(string(body), mark) {
				t.Errorf("the strips lack a mark %s", mark)
			}
		}
		if !strings.Contains(string(body), ".o-same_body{") && !strings.Contains(string(body), ",.o-same_body") {
			t.Errorf("the page's style gives same-body marks no colour")
		}
	})
}

// svgSources returns the inline SVG elements of a page, as written.
func svgSources(t *testing.T, page string) []string {
	t.Helper()
	var out []string
	for rest := page; ; {
		i := strings.Index(rest, "<svg")
		if i < 0 {
			return out
		}
		j := strings.Index(rest[i:], "</svg>")
		if j < 0 {
			t.Fatalf("an <svg> is not closed")
		}
		out = append(out, rest[i:i+j+len("</svg>")])
		rest = rest[i+j:]
	}
}

// wellFormed parses an SVG with encoding/xml, strictly.
func wellFormed(t *testing.T, i int, svg string) {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(svg))
	dec.Strict = true
	for {
		_, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			t.Errorf("SVG %d is not well-formed XML: %v\n%s", i, err, svg)
			return
		}
	}
}

func barTitles(svg *nethtml.Node) []string {
	var out []string
	for _, g := range elements(svg, "g") {
		out = append(out, text(elements(g, "title")[0]))
	}
	return out
}

func byID(n *nethtml.Node, id string) *nethtml.Node {
	for d := range n.Descendants() {
		if d.Type == nethtml.ElementNode && attr(d, "id") == id {
			return d
		}
	}
	return nil
}

func monday(t time.Time) time.Time {
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
	return d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7))
}

type fixtureItem struct {
	title string
	pub   time.Time
}

// parseItems reads the titles and dates of an RSS fixture.
func parseItems(t *testing.T, rss []byte) []fixtureItem {
	t.Helper()
	var doc struct {
		Items []struct {
			Title   string `xml:"title"`
			PubDate string `xml:"pubDate"`
		} `xml:"channel>item"`
	}
	if err := xml.Unmarshal(rss, &doc); err != nil {
		t.Fatal(err)
	}
	var out []fixtureItem
	for _, it := range doc.Items {
		p, err := time.Parse(time.RFC1123Z, it.PubDate)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, fixtureItem{it.Title, p})
	}
	return out
}
