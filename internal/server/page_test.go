package server_test

import (
	"context"
	"html"
	"net/http"
	"strings"
	"testing"
	"time"

	nethtml "golang.org/x/net/html"

	"github.com/vigie-watch/vigie/internal/vigietest"
)

// pageConfig adds to the base config a source that fails, one that is gone
// and one never fetched yet.
func pageConfig(u *vigietest.Upstream) string {
	return strings.Replace(baseConfig(u, ""), "sources:\n", `sources:
  - name: Sénat
    url: `+u.URL("/senat.csv")+`
    type: senat-questions
  - name: La Quadrature
    url: `+u.URL("/lqdn")+`
`, 1)
}

func TestPage(t *testing.T) {
	u := newUpstream(t)
	u.Handle("/senat.csv", vigietest.Status(http.StatusInternalServerError))
	u.Handle("/lqdn", vigietest.Status(http.StatusGone))
	h := newHarness(t, pageConfig(u))
	h.FetchAll("Sénat", "La Quadrature")
	// A source added since the last pass: not fetched yet.
	cfg := vigietest.ParseConfig(t, strings.Replace(pageConfig(u), "sources:\n", "sources:\n  - name: Libération\n    url: "+u.URL("/liberation")+"\n", 1))
	if err := h.Engine.Apply(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}

	rec := h.Get(http.MethodGet, "/")
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /: got %d, want 200", rec.Code)
	}
	if got := rec.Header().Get("Content-Type"); got != "text/html; charset=utf-8" {
		t.Errorf("Content-Type: got %q", got)
	}
	body := rec.Body.String()
	doc := parseHTML(t, body)

	t.Run("autodiscovery", func(t *testing.T) {
		alts := map[string]string{} // href → type
		for _, n := range elements(doc, "link") {
			if attr(n, "rel") == "alternate" {
				alts[attr(n, "href")] = attr(n, "type")
			}
		}
		want := map[string]string{
			"http://vigie.example/feed.atom":          "application/atom+xml",
			"http://vigie.example/feed.rss":           "application/rss+xml",
			"http://vigie.example/feed.json":          "application/feed+json",
			"http://vigie.example/topics/drones.atom": "application/atom+xml",
			"http://vigie.example/topics/drones.rss":  "application/rss+xml",
			"http://vigie.example/topics/drones.json": "application/feed+json",
			"http://vigie.example/topics/vsa.atom":    "application/atom+xml",
			"http://vigie.example/topics/vsa.rss":     "application/rss+xml",
			"http://vigie.example/topics/vsa.json":    "application/feed+json",
		}
		for href, typ := range want {
			if alts[href] != typ {
				t.Errorf("<link rel=alternate href=%q>: got type %q, want %q", href, alts[href], typ)
			}
			if !hasLink(doc, href) {
				t.Errorf("no subscribe link <a href=%q>", href)
			}
		}
		if len(alts) != len(want) {
			t.Errorf("got %d alternate links, want %d: %v", len(alts), len(want), alts)
		}
	})

	t.Run("entries", func(t *testing.T) {
		for _, title := range mainTitles {
			if !strings.Contains(body, html.EscapeString(title)) {
				t.Errorf("the page lacks the entry %q", title)
			}
		}
		if !hasLink(doc, "https://www.francetvinfo.fr/internet/securite-sur-internet/reconnaissance-faciale-la-police-a-utilise-briefcam_6159871.html#xtor=RSS-3-[lestitres]") {
			t.Errorf("no link to the BriefCam article")
		}
		// Published at 17:50:19 in Paris, in winter.
		for _, want := range []string{"14 nov. 2023 à 17:50", `<span class="tag">BriefCam</span>`, `<span class="tag">VSA</span>`, "Disclose", "franceinfo"} {
			if !strings.Contains(body, want) {
				t.Errorf("the page lacks %q", want)
			}
		}
		if strings.Contains(body, "Face ID") && strings.Contains(body, "iPhone") {
			t.Errorf("the page shows the excluded story")
		}
	})

	t.Run("hostile text is escaped", func(t *testing.T) {
		if n := len(elements(doc, "script")); n != 0 {
			t.Errorf("got %d <script> elements, want none", n)
		}
		for _, bad := range []string{"<script", "onerror", "javascript:", "evil.example", "<iframe"} {
			if strings.Contains(body, bad) {
				t.Errorf("the page holds %q", bad)
			}
		}
		if !strings.Contains(body, "la CNIL &lt;script&gt;alert(&#34;titre&#34;)&lt;/script&gt; publie") {
			t.Errorf("the hostile title is not shown escaped")
		}
	})

	t.Run("sources", func(t *testing.T) {
		rows := map[string]string{} // source name → text of its row
		for _, tr := range elements(doc, "tr") {
			cells := elements(tr, "td")
			if len(cells) > 0 {
				rows[text(cells[0])] = strings.Join(strings.Fields(text(tr)), " ")
			}
		}
		tests := []struct{ name, want string }{
			{"franceinfo", "ok"},
			{"Disclose", "ok"},
			{"Sénat", "en erreur"},
			{"La Quadrature", "suspendue après 410"},
			{"Libération", "en attente"},
		}
		for _, tt := range tests {
			row, ok := rows[tt.name]
			if !ok {
				t.Errorf("no row for %s in %v", tt.name, rows)
				continue
			}
			if !strings.Contains(row, tt.want) {
				t.Errorf("%s: got %q, want it to say %q", tt.name, row, tt.want)
			}
		}
		if row := rows["Sénat"]; !strings.Contains(row, "500") {
			t.Errorf("Sénat: got %q, want the error with its status 500", row)
		}
		if row := rows["franceinfo"]; !strings.Contains(row, time.Now().In(paris(t)).Format("2006")) || !strings.Contains(row, " 6") {
			t.Errorf("franceinfo: got %q, want the last success and 6 items", row)
		}
	})
}

func TestPageEmpty(t *testing.T) {
	u := newUpstream(t)
	h := newHarness(t, baseConfig(u, ""))
	body := string(h.GetBody("/"))
	for _, want := range []string{"Aucun article", "en attente", `href="http://vigie.example/feed.atom"`} {
		if !strings.Contains(body, want) {
			t.Errorf("empty page: lacks %q", want)
		}
	}
}

func TestHealthz(t *testing.T) {
	u := newUpstream(t)
	h := newHarness(t, baseConfig(u, ""))
	if got := h.Get(http.MethodGet, "/healthz").Code; got != http.StatusServiceUnavailable {
		t.Errorf("before the scheduler starts: got %d, want 503", got)
	}
	ctx, cancel := context.WithCancel(context.Background())
	h.Engine.Start(ctx)
	t.Cleanup(func() {
		cancel()
		h.Engine.Stop(context.Background())
	})
	rec := h.Get(http.MethodGet, "/healthz")
	if rec.Code != http.StatusOK || rec.Body.String() != "ok\n" {
		t.Errorf("running: got %d %q, want 200 \"ok\\n\"", rec.Code, rec.Body)
	}
	if err := h.Engine.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	h.Store.Close()
	rec = h.Get(http.MethodGet, "/healthz")
	if rec.Code != http.StatusServiceUnavailable || !strings.HasPrefix(rec.Body.String(), "database:") {
		t.Errorf("store closed: got %d %q, want 503 database: ...", rec.Code, rec.Body)
	}
}

func paris(t *testing.T) *time.Location {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip("no time zone data")
	}
	return loc
}

// elements returns the descendants of n named name.
// parseHTML parses a page vigie served, failing the test when it cannot.
func parseHTML(t *testing.T, page string) *nethtml.Node {
	t.Helper()
	doc, err := nethtml.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func elements(n *nethtml.Node, name string) []*nethtml.Node {
	var out []*nethtml.Node
	for d := range n.Descendants() {
		if d.Type == nethtml.ElementNode && d.Data == name {
			out = append(out, d)
		}
	}
	return out
}

func attr(n *nethtml.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func text(n *nethtml.Node) string {
	var b strings.Builder
	for d := range n.Descendants() {
		if d.Type == nethtml.TextNode {
			b.WriteString(d.Data)
			b.WriteByte(' ')
		}
	}
	return strings.TrimSpace(b.String())
}

func hasLink(doc *nethtml.Node, href string) bool {
	for _, a := range elements(doc, "a") {
		if attr(a, "href") == href {
			return true
		}
	}
	return false
}
