package server_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/vigie-watch/vigie/internal/store"
	"github.com/vigie-watch/vigie/internal/vigietest"
	"github.com/vigie-watch/vigie/internal/watch"
)

// Titles of the stories in testdata, as the feeds publish them.
const (
	briefcam = "Reconnaissance faciale : la police nationale a utilisé le logiciel israélien BriefCam « en dehors de tout cadre légal »"
	disclose = "La police nationale utilise illégalement un logiciel israélien de\u00a0vidéosurveillance"
	cnil     = `Caméras augmentées : la CNIL <script>alert("titre")</script> publie son avis sur la VSA`
	jo       = "JO de Paris : le Conseil constitutionnel valide l'expérimentation de la VSA"
	drones   = "Drones : la préfecture de police autorisée à survoler les manifestations"
)

// mainTitles is the main feed of the fixtures, newest first.
var mainTitles = []string{briefcam, disclose, cnil, jo}

// fixtureType is the content type the fixtures are served with.
const fixtureType = "application/xml; charset=utf-8"

// newUpstream serves the fixtures: franceinfo at /titres.rss and Disclose
// at /disclose.
func newUpstream(tb testing.TB) *vigietest.Upstream {
	u := vigietest.NewUpstream(tb)
	u.Set("/titres.rss", vigietest.Fixture(tb, "franceinfo.rss"), fixtureType)
	u.Set("/disclose", vigietest.Fixture(tb, "disclose.atom"), fixtureType)
	return u
}

// baseConfig is the configuration of the tests; extra is YAML appended at
// the top level.
func baseConfig(u *vigietest.Upstream, extra string) string {
	return fmt.Sprintf(`database: unused.db
feed:
  title: "Veille : reconnaissance faciale"
  url: http://vigie.example/feed.atom
sources:
  - name: franceinfo
    url: %s
  - name: Disclose
    url: %s
keywords: [reconnaissance faciale, BriefCam, VSA]
exclude: [Face ID]
topics:
  - name: drones
    title: "Veille : drones"
    keywords: [drones]
  - name: vsa
    keywords: [VSA, vidéosurveillance algorithmique]
    exclude: [JO]
%s`, u.URL("/titres.rss"), u.URL("/disclose"), extra)
}

// newHarness wires vigie on the config yaml.
func newHarness(tb testing.TB, yaml string) *vigietest.Harness {
	tb.Helper()
	return vigietest.New(tb, vigietest.ParseConfig(tb, yaml), vigietest.Options{})
}

// newFetched wires vigie on the base config and fetches the fixtures once.
func newFetched(tb testing.TB) *vigietest.Harness {
	tb.Helper()
	h := newHarness(tb, baseConfig(newUpstream(tb), ""))
	h.FetchAll()
	return h
}

// countingStore is the real store, counting the reads of entries.
type countingStore struct {
	*store.Store
	entries atomic.Int64
}

func (c *countingStore) Entries(ctx context.Context, topic string, limit int) ([]watch.Entry, error) {
	c.entries.Add(1)
	return c.Store.Entries(ctx, topic, limit)
}
