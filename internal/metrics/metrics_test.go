package metrics_test

import (
	"errors"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/vigie-watch/vigie/internal/metrics"
	"github.com/vigie-watch/vigie/internal/watch"
)

// scrape returns the metrics page.
func scrape(t *testing.T, m *metrics.Metrics) string {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != 200 {
		t.Fatalf("GET /metrics: got status %d, want 200", rec.Code)
	}
	body, _ := io.ReadAll(rec.Body)
	return string(body)
}

func TestFetched(t *testing.T) {
	m := metrics.New("v1.2.3")
	m.Fetched(watch.Report{Source: "franceinfo", Fetched: 40, New: 3, Updated: 1, Published: 2, Duration: 300 * time.Millisecond})
	m.Fetched(watch.Report{Source: "franceinfo", NotModified: true, Fetched: 40, Duration: 50 * time.Millisecond,
		Pages: watch.PageHealth{Fetched: 7, Failed: 2, LastError: "GET /a.html: 404 Not Found"}})
	m.Fetched(watch.Report{Source: "disclose", SameBody: true, Fetched: 12, Duration: 80 * time.Millisecond})
	m.Fetched(watch.Report{Source: "senat", Err: errors.New("boom"), Duration: time.Second})
	m.Fetched(watch.Report{Source: "senat", Err: errors.New("boom"), Duration: time.Second})
	m.Fetched(watch.Report{Source: "senat", Skipped: "backing off"})
	m.Reloaded(true)
	m.Reloaded(false)
	page := scrape(t, m)

	for _, want := range []string{
		`vigie_fetches_total{outcome="ok",source="franceinfo"} 1`,
		`vigie_fetches_total{outcome="not_modified",source="franceinfo"} 1`,
		`vigie_fetches_total{outcome="same_body",source="disclose"} 1`,
		`vigie_fetch_duration_seconds_count{source="disclose"} 1`,
		`vigie_source_consecutive_failures{source="disclose"} 0`,
		`vigie_fetches_total{outcome="error",source="senat"} 2`,
		`vigie_fetches_total{outcome="skipped",source="senat"} 1`,
		`vigie_fetch_duration_seconds_count{source="franceinfo"} 2`,
		`vigie_fetch_duration_seconds_count{source="senat"} 2`,
		`vigie_fetch_duration_seconds_bucket{source="franceinfo",le="0.5"} 2`,
		`vigie_items_fetched_total{source="franceinfo"} 40`,
		`vigie_items_new_total{source="franceinfo"} 3`,
		`vigie_items_updated_total{source="franceinfo"} 1`,
		`vigie_items_published_total{source="franceinfo"} 2`,
		`vigie_source_consecutive_failures{source="franceinfo"} 0`,
		`vigie_pages_total{outcome="ok",source="franceinfo"} 7`,
		`vigie_pages_total{outcome="error",source="franceinfo"} 2`,
		`vigie_source_consecutive_failures{source="senat"} 2`,
		`vigie_config_reloads_total{result="ok"} 1`,
		`vigie_config_reloads_total{result="error"} 1`,
		`vigie_build_info{goversion="go`,
		`version="v1.2.3"} 1`,
		`go_build_info{`,
		`go_goroutines `,
		`process_start_time_seconds `,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("metrics page lacks %q", want)
		}
	}
	if !strings.Contains(page, `vigie_source_last_success_timestamp_seconds{source="franceinfo"} 1.`) {
		t.Errorf("want a last-success timestamp for franceinfo")
	}
	for _, unwanted := range []string{
		`vigie_source_last_success_timestamp_seconds{source="senat"}`,
		`vigie_items_fetched_total{source="senat"}`,
		`vigie_items_fetched_total{source="disclose"}`, // a body not parsed again is not read
	} {
		if strings.Contains(page, unwanted) {
			t.Errorf("metrics page has %q, want none (a failing source; a body not parsed again)", unwanted)
		}
	}
}

func TestSuccessResetsFailures(t *testing.T) {
	m := metrics.New("dev")
	m.Fetched(watch.Report{Source: "a", Err: errors.New("x")})
	m.Fetched(watch.Report{Source: "a"})
	if page := scrape(t, m); !strings.Contains(page, `vigie_source_consecutive_failures{source="a"} 0`) {
		t.Errorf("got no reset of consecutive failures after a success")
	}
}

func TestForget(t *testing.T) {
	m := metrics.New("dev")
	m.Fetched(watch.Report{Source: "gone", Fetched: 1})
	m.Fetched(watch.Report{Source: "kept", Fetched: 1})
	m.Forget("gone")
	page := scrape(t, m)
	if strings.Contains(page, `source="gone"`) {
		t.Errorf("got series of a forgotten source, want none")
	}
	if !strings.Contains(page, `vigie_fetches_total{outcome="ok",source="kept"} 1`) {
		t.Errorf("Forget removed the series of another source")
	}
}

func TestRegistriesAreIndependent(t *testing.T) {
	a, b := metrics.New("dev"), metrics.New("dev")
	a.Fetched(watch.Report{Source: "only-in-a"})
	a.Handler() // twice: must not panic on re-registration
	if strings.Contains(scrape(t, b), "only-in-a") {
		t.Error("two Metrics share a registry, want one each")
	}
}
