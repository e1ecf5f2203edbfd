package metrics

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/vigie-watch/vigie/internal/watch"
)

// healthTimeout bounds the reading of the sources' health at a scrape.
const healthTimeout = 5 * time.Second

// HealthFunc returns the health of every configured source
// (aggregator.Engine.Health).
type HealthFunc func(ctx context.Context) ([]watch.Health, error)

// ReportHealth serves, at every scrape, the health fn returns: the same
// status as `vigie status` and the page, and the next fetch.
func (m *Metrics) ReportHealth(fn HealthFunc) {
	m.reg.MustRegister(&healthCollector{health: fn})
}

var (
	statusDesc = prometheus.NewDesc("vigie_source_status",
		"1 for the source's status (ok, failing, gone or never_fetched), 0 for the others.",
		[]string{"source", "status"}, nil)
	nextFetchDesc = prometheus.NewDesc("vigie_source_next_fetch_timestamp_seconds",
		"Unix time of the source's next fetch, its backoff included; absent when it is not scheduled (gone).",
		[]string{"source"}, nil)
)

// healthCollector reads the sources' health when scraped, so that it is
// never older than the stored state.
type healthCollector struct {
	health HealthFunc
}

func (c *healthCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- statusDesc
	ch <- nextFetchDesc
}

func (c *healthCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), healthTimeout)
	defer cancel()
	health, err := c.health(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(statusDesc, err)
		return
	}
	for _, h := range health {
		for _, s := range watch.Statuses {
			v := 0.0
			if s == h.Status {
				v = 1
			}
			ch <- prometheus.MustNewConstMetric(statusDesc, prometheus.GaugeValue, v, h.Name, string(s))
		}
		if !h.Next.IsZero() {
			ch <- prometheus.MustNewConstMetric(nextFetchDesc, prometheus.GaugeValue, float64(h.Next.Unix()), h.Name)
		}
	}
}
