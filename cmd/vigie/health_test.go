package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vigie-watch/vigie/internal/server"
)

// The same stored state gives each source the same status and next fetch
// in `vigie status`, on the HTML page and in /metrics.
func TestHealthIsTheSameEverywhere(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/ok", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write([]byte(fetchTestFeed))
	})
	mux.HandleFunc("/fail", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "7200")
		http.Error(w, "busy", http.StatusServiceUnavailable)
	})
	mux.HandleFunc("/gone", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "gone", http.StatusGone)
	})
	up := httptest.NewServer(mux)
	t.Cleanup(up.Close)
	dir := t.TempDir()
	path := filepath.Join(dir, "config.yaml")
	// Hourly ticks: the next fetch is the same whenever it is computed
	// within the hour.
	text := fmt.Sprintf(`database: %s
schedule: "0 * * * *"
feed: {title: Test, url: "http://vigie.example/feed.atom"}
keywords: [reconnaissance faciale]
sources:
  - {name: srcok, url: "%[2]s/ok"}
  - {name: srcfail, url: "%[2]s/fail"}
  - {name: srcgone, url: "%[2]s/gone"}
`, filepath.Join(dir, "vigie.db"), up.URL)
	writeConfig(t, path, text)
	ctx := context.Background()
	var out, errb bytes.Buffer
	// Two of the three sources fail: fetch says so by its error.
	_ = Run(ctx, []string{"fetch", "--config", path}, &out, &errb)
	writeConfig(t, path, text+"  - {name: srcnew, url: \""+up.URL+"/ok?new\"}\n")

	out.Reset()
	if err := Run(ctx, []string{"status", "--config", path}, &out, &errb); err != nil {
		t.Fatalf("status: %v\n%s", err, &errb)
	}
	page, metricsText := pageAndMetrics(t, ctx, path)

	sources := map[string]string{"srcok": "ok", "srcfail": "failing", "srcgone": "gone", "srcnew": "never_fetched"}
	pageClass := map[string]string{"ok": "ok", "failing": "error", "gone": "gone", "never_fetched": "waiting"}
	for name, want := range sources {
		fields := strings.Fields(lineOf(out.String(), name))
		if len(fields) < 2 {
			t.Fatalf("vigie status: no line for %s in\n%s", name, &out)
		}
		words := strings.ReplaceAll(want, "_", " ")
		if got := strings.Join(fields[1:1+len(strings.Fields(words))], " "); got != words {
			t.Errorf("%s: vigie status says %q, want %q", name, got, words)
		}
		if got := pageStatus(page, name); got != pageClass[want] {
			t.Errorf("%s: the page says %q, want %q", name, got, pageClass[want])
		}
		if got := metricStatus(metricsText, name); got != want {
			t.Errorf("%s: /metrics says %q, want %q", name, got, want)
		}
		metricNext := metricNextFetch(metricsText, name)
		if name == "srcgone" {
			if metricNext != "-" {
				t.Errorf("%s: /metrics gives a next fetch %s, want none", name, metricNext)
			}
			continue
		}
		if !strings.Contains(lineOf(out.String(), name), metricNext) {
			t.Errorf("%s: vigie status line %q lacks the next fetch of /metrics, %s", name, lineOf(out.String(), name), metricNext)
		}
	}
	// Retry-After 7200: the failing source's next fetch is two hours after
	// the healthy one's.
	okNext, failNext := metricNextFetch(metricsText, "srcok"), metricNextFetch(metricsText, "srcfail")
	if okNext == failNext {
		t.Errorf("next fetch of the source asking to wait 2 h: got %s, the same as a healthy source's", failNext)
	}
}

// pageAndMetrics serves the page and /metrics of the config at path, as
// the daemon does, and returns both.
func pageAndMetrics(t *testing.T, ctx context.Context, path string) (page, metricsText string) {
	t.Helper()
	d := newIdleDaemon(t, ctx, path)
	d.metrics.ReportHealth(d.app.engine.Health)
	h := server.New(d.app.store, d.app.engine, server.Options{Metrics: d.metrics.Handler()}).Handler()
	get := func(target string) string {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
		if rec.Code != http.StatusOK {
			t.Fatalf("GET %s: got %d", target, rec.Code)
		}
		return rec.Body.String()
	}
	return get("/"), get("/metrics")
}

var pageRowRE = regexp.MustCompile(`(?s)<tr>.*?</tr>`)
var pageClassRE = regexp.MustCompile(`class="st (\w+)"`)

// pageStatus is the status class of the page's row for the source name.
func pageStatus(page, name string) string {
	for _, row := range pageRowRE.FindAllString(page, -1) {
		if strings.Contains(row, ">"+name+"<") {
			if m := pageClassRE.FindStringSubmatch(row); m != nil {
				return m[1]
			}
		}
	}
	return ""
}

// metricStatus is the status whose vigie_source_status series is 1.
func metricStatus(text, name string) string {
	re := regexp.MustCompile(`(?m)^vigie_source_status\{source="` + regexp.QuoteMeta(name) + `",status="(\w+)"\} 1$`)
	if m := re.FindStringSubmatch(text); m != nil {
		return m[1]
	}
	return ""
}

// metricNextFetch is the next fetch of /metrics as vigie status prints it,
// or "-" when there is none.
func metricNextFetch(text, name string) string {
	re := regexp.MustCompile(`(?m)^vigie_source_next_fetch_timestamp_seconds\{source="` + regexp.QuoteMeta(name) + `"\} (\S+)$`)
	m := re.FindStringSubmatch(text)
	if m == nil {
		return "-"
	}
	f, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		return "unparsable " + m[1]
	}
	return when(time.Unix(int64(f), 0))
}
