package server_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
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
func activityConfig(u *upstream) string {
	return strings.Replace(pageConfig(u), "sources:\n", "sources:\n  - name: Actu récente\n    url: "+u.srv.URL+"/recent.rss\n", 1)
}

// activityHarness is vigie on activityConfig, its Senate source failing
// and La Quadrature gone, the recent feed holding n items.
func activityHarness(t *testing.T, n int) *harness {
	t.Helper()
	u := newUpstream(t)
	u.fail("/senat.csv", http.StatusInternalServerError)
	u.fail("/lqdn", http.StatusGone)
	u.set("/recent.rss", activityFeed(time.Now(), n))
	return newHarness(t, u, parseConfig(t, activityConfig(u)))
}
