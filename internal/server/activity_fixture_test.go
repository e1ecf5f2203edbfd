package server_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/vigie-watch/vigie/internal/vigietest"
)

// activityFeed is an RSS feed of n items spread over the last 26 weeks,
// more of them lately (the subject heats up), matching various keywords
// of baseConfig, some several at once.
func activityFeed(now time.Time, n int) []byte {
	subjects := []string{
		"la VSA testée dans le métro",
		"reconnaissance faciale : la CNIL met en demeure une mairie",
		"le logiciel BriefCam utilisé par la police",
		"des drones au-dessus des manifestations",
		"reconnaissance faciale et VSA : le Sénat vote l’expérimentation",
	}
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Actu récente</title><link>https://recent.example/</link><description>x</description>
`)
	for i := range n {
		// Ages grow with i quadratically: many recent items, a few old ones.
		age := time.Duration(float64(i*i)/float64(n*n)*180*24) * time.Hour
		fmt.Fprintf(&b, `<item><title>Article %d : %s</title><link>https://recent.example/a/%d</link><guid>https://recent.example/a/%d</guid><description>Le texte de l’article %d sur %s, avec des &lt;b&gt;détails&lt;/b&gt;.</description><pubDate>%s</pubDate></item>
`, i, subjects[i%len(subjects)], i, i, i, subjects[i%len(subjects)], now.Add(-age-time.Hour).Format(time.RFC1123Z))
	}
	b.WriteString("</channel></rss>\n")
	return []byte(b.String())
}

// activityConfig is pageConfig with the recent feed as one more source.
func activityConfig(u *vigietest.Upstream) string {
	return strings.Replace(pageConfig(u), "sources:\n", "sources:\n  - name: Actu récente\n    url: "+u.URL("/recent.rss")+"\n", 1)
}

// activityRig is vigie on activityConfig, its Senate source failing and
// La Quadrature gone, the recent feed holding the items of feed.
type activityRig struct {
	*vigietest.Harness
	up   *vigietest.Upstream
	feed []byte
}

func activityHarness(tb testing.TB, n int, opts vigietest.Options) *activityRig {
	tb.Helper()
	u := newUpstream(tb)
	u.Handle("/senat.csv", vigietest.Status(http.StatusInternalServerError))
	u.Handle("/lqdn", vigietest.Status(http.StatusGone))
	r := &activityRig{up: u, feed: activityFeed(time.Now(), n)}
	u.Set("/recent.rss", r.feed, fixtureType)
	r.Harness = vigietest.New(tb, vigietest.ParseConfig(tb, activityConfig(u)), opts)
	return r
}

// fetch runs one pass over every source: only the Senate and La
// Quadrature may fail (or be skipped, backing off or gone).
func (r *activityRig) fetch() {
	r.TB.Helper()
	for _, rep := range r.Engine.FetchAll(context.Background()) {
		if rep.Err != nil && rep.Source != "Sénat" && rep.Source != "La Quadrature" {
			r.TB.Fatalf("source %s: %v", rep.Source, rep.Err)
		}
	}
}
