// Package metrics exposes vigie's Prometheus metrics: fetches by source and
// outcome, their duration, items fetched, new, updated and published, the
// last success of every source, its health (status and next fetch, read
// at each scrape: see ReportHealth), config reloads and build information.
//
// Metrics live in their own registry (not the global default one), so that
// every daemon, and every test, has its own.
package metrics

import (
	"net/http"
	"runtime"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/vigie-watch/vigie/internal/watch"
)

// Metrics records what the engine reports: it implements the engine's
// Observer (it imports only the report type, in internal/watch) and is safe
// for concurrent use.
type Metrics struct {
	reg *prometheus.Registry

	fetches             *prometheus.CounterVec
	duration            *prometheus.HistogramVec
	fetched             *prometheus.CounterVec
	created             *prometheus.CounterVec
	updated             *prometheus.CounterVec
	published           *prometheus.CounterVec
	pages               *prometheus.CounterVec
	lastSuccess         *prometheus.GaugeVec
	consecutiveFailures *prometheus.GaugeVec
	reloads             *prometheus.CounterVec
	lastReload          prometheus.Gauge
}

// fetchBuckets cover a quick 304 up to a slow export near the fetch timeout.
var fetchBuckets = []float64{0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60}

// New returns metrics registered in a registry of their own, with the Go
// runtime, process and build information collectors. version is vigie's.
func New(version string) *Metrics {
	reg := prometheus.NewRegistry()
	bySource := []string{"source"}
	m := &Metrics{
		reg: reg,
		fetches: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "vigie_fetches_total",
			Help: "Source cycles by outcome: ok, not_modified (304), same_body (200 with the bytes last parsed: not parsed again), skipped or error.",
		}, []string{"source", "outcome"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "vigie_fetch_duration_seconds",
			Help:    "Time taken by a source cycle: fetch, parse, match and store.",
			Buckets: fetchBuckets,
		}, bySource),
		fetched: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "vigie_items_fetched_total",
			Help: "Items read from a source's feed (not counted on 304 Not Modified, nor on a body not parsed again: same_body).",
		}, bySource),
		created: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "vigie_items_new_total",
			Help: "Stories stored for the first time.",
		}, bySource),
		updated: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "vigie_items_updated_total",
			Help: "Stories whose text changed upstream.",
		}, bySource),
		published: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "vigie_items_published_total",
			Help: "New or updated stories that matched the keywords and were published.",
		}, bySource),
		lastSuccess: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "vigie_source_last_success_timestamp_seconds",
			Help: "Unix time of the last successful cycle of a source (ok, not modified or same body).",
		}, bySource),
		consecutiveFailures: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "vigie_source_consecutive_failures",
			Help: "Failed cycles of a source since its last success (counted since vigie started).",
		}, bySource),
		pages: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "vigie_pages_total",
			Help: "Pages of full-text items read (ok) or not (error: 404, timeout, too large, not HTML, disallowed by robots.txt...); a page error never fails its source.",
		}, []string{"source", "outcome"}),
		reloads: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "vigie_config_reloads_total",
			Help: "Configuration reloads by result: ok or error (the running config was kept).",
		}, []string{"result"}),
		lastReload: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "vigie_config_last_reload_success_timestamp_seconds",
			Help: "Unix time the configuration was last loaded successfully.",
		}),
	}
	info := prometheus.NewGauge(prometheus.GaugeOpts{
		Name:        "vigie_build_info",
		Help:        "Always 1; its labels name the version of vigie and of Go it was built with.",
		ConstLabels: prometheus.Labels{"version": version, "goversion": runtime.Version()},
	})
	info.Set(1)
	m.lastReload.SetToCurrentTime()
	reg.MustRegister(
		m.fetches, m.duration, m.fetched, m.created, m.updated, m.published,
		m.lastSuccess, m.consecutiveFailures, m.pages, m.reloads, m.lastReload, info,
		collectors.NewBuildInfoCollector(),
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	return m
}

// Fetched records the report of one source cycle.
func (m *Metrics) Fetched(r watch.Report) {
	outcome := r.Outcome()
	m.fetches.WithLabelValues(r.Source, string(outcome)).Inc()
	if outcome == watch.OutcomeSkipped {
		return // nothing was fetched: no duration, no news
	}
	m.duration.WithLabelValues(r.Source).Observe(r.Duration.Seconds())
	switch outcome {
	case watch.OutcomeError:
		m.consecutiveFailures.WithLabelValues(r.Source).Inc()
		return
	case watch.OutcomeOK:
		m.fetched.WithLabelValues(r.Source).Add(float64(r.Fetched))
	}
	m.created.WithLabelValues(r.Source).Add(float64(r.New))
	m.updated.WithLabelValues(r.Source).Add(float64(r.Updated))
	m.published.WithLabelValues(r.Source).Add(float64(r.Published))
	if r.Pages != (watch.PageHealth{}) {
		m.pages.WithLabelValues(r.Source, "ok").Add(float64(r.Pages.Fetched))
		m.pages.WithLabelValues(r.Source, "error").Add(float64(r.Pages.Failed))
	}
	m.lastSuccess.WithLabelValues(r.Source).SetToCurrentTime()
	m.consecutiveFailures.WithLabelValues(r.Source).Set(0)
}

// Reloaded records a configuration reload and whether it was applied.
func (m *Metrics) Reloaded(ok bool) {
	if !ok {
		m.reloads.WithLabelValues("error").Inc()
		return
	}
	m.reloads.WithLabelValues("ok").Inc()
	m.lastReload.SetToCurrentTime()
}

// Forget deletes the series of a source removed from the configuration, so
// that its last success does not age into an alert.
func (m *Metrics) Forget(source string) {
	l := prometheus.Labels{"source": source}
	m.fetches.DeletePartialMatch(l)
	for _, v := range []*prometheus.CounterVec{m.fetched, m.created, m.updated, m.published, m.pages} {
		v.DeletePartialMatch(l)
	}
	m.duration.DeletePartialMatch(l)
	m.lastSuccess.DeletePartialMatch(l)
	m.consecutiveFailures.DeletePartialMatch(l)
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	// A collector that fails (the process collector without /proc, say)
	// leaves the others served.
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg, ErrorHandling: promhttp.ContinueOnError})
}

// Registry returns the registry the metrics live in, to add collectors.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }
