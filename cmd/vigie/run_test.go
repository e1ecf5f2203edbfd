package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/vigie-watch/vigie/internal/vigietest"
)

// waitTimeout bounds every wait of these tests; reaching it is a failure,
// not a measure of speed.
const waitTimeout = 15 * time.Second

// upstreamRSS is the source's feed: one story matches the tests' first
// keyword, the other only the keyword they add.
var upstreamRSS = vigietest.RSS(
	vigietest.RSSItem{Title: "Reconnaissance faciale : la CNIL enquête", Link: "https://news.example/cnil",
		Date: "Mon, 02 Jun 2025 08:00:00 +0000", Description: "La police a utilisé un logiciel."},
	vigietest.RSSItem{Title: "Un drone au-dessus de la manifestation", Link: "https://news.example/drone",
		Date: "Mon, 02 Jun 2025 09:00:00 +0000", Description: "Survol par la préfecture."},
)

// feedWatch is a daemon's config file in its own directory, reading
// upstreamRSS from up.
type feedWatch struct {
	up   *vigietest.Upstream
	dir  string // the config's and the database's
	path string // the config file
}

// newFeedWatch serves upstreamRSS at /feed.rss and writes a config that
// reads it for "reconnaissance faciale".
func newFeedWatch(t *testing.T) *feedWatch {
	t.Helper()
	w := &feedWatch{up: vigietest.NewUpstream(t), dir: t.TempDir()}
	w.up.Set("/feed.rss", upstreamRSS, "application/rss+xml; charset=utf-8")
	w.path = filepath.Join(w.dir, "config.yaml")
	replaceFile(t, w.path, w.config(`"reconnaissance faciale"`))
	return w
}

// config is a config for the daemon under test: it listens on a port the
// system picks (the log says which), reads the one source, and fetches
// only at start.
func (w *feedWatch) config(keywords ...string) string {
	return fmt.Sprintf(`listen: 127.0.0.1:0
database: %s
schedule: "@every 1h"
feed:
  title: Test
sources:
  - name: upstream
    url: %s
keywords: [%s]
`, filepath.Join(w.dir, "vigie.db"), w.up.URL("/feed.rss"), strings.Join(keywords, ", "))
}

// replaceFile replaces the file at path as editors do: write a new file
// beside it, then rename it over the old one.
func replaceFile(t *testing.T, path, content string) {
	t.Helper()
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}

// syncBuffer is a bytes.Buffer the daemon writes its log to while the test
// reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// daemon under test.
type testDaemon struct {
	url  string // http://127.0.0.1:PORT
	logs *syncBuffer
	stop func() error // cancels Run's context and returns its error
}

var listenRE = regexp.MustCompile(`msg="vigie started".* listen=(http://[0-9.:]+)`)

// startDaemon runs `vigie run --config path` in-process until the test ends.
func startDaemon(t *testing.T, path string) *testDaemon {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	logs := &syncBuffer{}
	done := make(chan error, 1)
	go func() { done <- Run(ctx, []string{"run", "--config", path}, io.Discard, logs) }()
	var once sync.Once
	var runErr error
	stop := func() error {
		once.Do(func() {
			cancel()
			select {
			case runErr = <-done:
			case <-time.After(waitTimeout):
				runErr = fmt.Errorf("Run did not return after its context was cancelled")
			}
		})
		return runErr
	}
	t.Cleanup(func() { stop() })
	d := &testDaemon{logs: logs, stop: stop}
	vigietest.WaitFor(t, waitTimeout, "the daemon to start", func() bool {
		select {
		case err := <-done:
			t.Fatalf("Run returned before serving: %v\nlog:\n%s", err, logs)
		default:
		}
		m := listenRE.FindStringSubmatch(logs.String())
		if m != nil {
			d.url = m[1]
		}
		return m != nil
	})
	return d
}

func httpGet(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	return resp.StatusCode, string(body)
}

func TestRunReloadsValidConfigAndKeepsRunningOnInvalid(t *testing.T) {
	w := newFeedWatch(t)
	d := startDaemon(t, w.path)

	feed := func() string { _, body := httpGet(t, d.url+"/feed.atom"); return body }
	vigietest.WaitFor(t, waitTimeout, "the first fetch to be published", func() bool { return strings.Contains(feed(), "la CNIL enquête") })
	if strings.Contains(feed(), "Un drone") {
		t.Fatal("got the drone story before its keyword was added")
	}

	// A valid edit: a new keyword surfaces the stored story without a refetch.
	replaceFile(t, w.path, w.config(`"reconnaissance faciale"`, "drone"))
	vigietest.WaitFor(t, waitTimeout, "the new keyword to publish the stored story", func() bool { return strings.Contains(feed(), "Un drone") })
	if got := w.up.Hits("/feed.rss"); got != 1 {
		t.Errorf("upstream requests: got %d, want 1 (a keyword change must not refetch)", got)
	}
	if !strings.Contains(d.logs.String(), `msg="config reloaded"`) {
		t.Errorf("log lacks the reload:\n%s", d.logs)
	}

	// An invalid edit, written in place: logged with the key at fault, the
	// running config stays.
	before := feed()
	bad := strings.Replace(w.config("drone"), "keywords:", "keyword:", 1)
	if err := os.WriteFile(w.path, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	vigietest.WaitFor(t, waitTimeout, "the invalid config to be refused", func() bool {
		return strings.Contains(d.logs.String(), `msg="reload refused, keeping the running config"`)
	})
	if logs := d.logs.String(); !strings.Contains(logs, `keyword: unknown key`) || !strings.Contains(logs, "line 9") {
		t.Errorf("the refusal does not name the key and its line:\n%s", logs)
	}
	if got := feed(); got != before {
		t.Errorf("the feed changed after an invalid config:\ngot:\n%s\nwant:\n%s", got, before)
	}
	if code, _ := httpGet(t, d.url+"/healthz"); code != http.StatusOK {
		t.Errorf("GET /healthz after an invalid config: got %d, want 200", code)
	}
	if err := d.stop(); err != nil {
		t.Errorf("Run: got %v, want nil", err)
	}
}

func TestRunServesHealthAndMetrics(t *testing.T) {
	w := newFeedWatch(t)
	d := startDaemon(t, w.path)

	var metrics string
	vigietest.WaitFor(t, waitTimeout, "the fetch to be counted", func() bool {
		_, metrics = httpGet(t, d.url+"/metrics")
		return strings.Contains(metrics, `vigie_fetches_total{outcome="ok",source="upstream"} 1`)
	})
	for _, want := range []string{
		`vigie_build_info{goversion="go`,
		`vigie_items_fetched_total{source="upstream"} 2`,
		`vigie_items_new_total{source="upstream"} 2`,
		`vigie_items_published_total{source="upstream"} 1`,
		`vigie_fetch_duration_seconds_count{source="upstream"} 1`,
		`vigie_source_last_success_timestamp_seconds{source="upstream"} `,
		`go_build_info{`,
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if code, body := httpGet(t, d.url+"/healthz"); code != http.StatusOK || body != "ok\n" {
		t.Errorf("GET /healthz: got %d %q, want 200 \"ok\\n\"", code, body)
	}
	if logs := d.logs.String(); !strings.Contains(logs, `msg=fetched source=upstream outcome=ok`) {
		t.Errorf("log lacks the fetch line:\n%s", logs)
	}
	if err := d.stop(); err != nil {
		t.Errorf("Run: got %v, want nil", err)
	}
}

// notifications collects what the daemon tells systemd, watchdog pings
// apart.
type notifications struct {
	msgs     chan string
	watchdog atomic.Int64
}

func listenNotify(t *testing.T) *notifications {
	t.Helper()
	path := filepath.Join(t.TempDir(), "notify.sock")
	conn, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: path, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	t.Setenv("NOTIFY_SOCKET", path)
	n := &notifications{msgs: make(chan string, 100)}
	go func() {
		buf := make([]byte, 4096)
		for {
			k, err := conn.Read(buf)
			if err != nil {
				return
			}
			if msg := string(buf[:k]); msg == "WATCHDOG=1" {
				n.watchdog.Add(1)
			} else {
				n.msgs <- msg
			}
		}
	}()
	return n
}

// expect reads the next notification and checks its first line.
func (n *notifications) expect(t *testing.T, first string) string {
	t.Helper()
	select {
	case msg := <-n.msgs:
		if got, _, _ := strings.Cut(msg, "\n"); got != first {
			t.Fatalf("notification: got %q, want %s first", msg, first)
		}
		return msg
	case <-time.After(waitTimeout):
		t.Fatalf("no notification, want %s", first)
		return ""
	}
}

func TestRunNotifiesSystemd(t *testing.T) {
	n := listenNotify(t)
	t.Setenv("WATCHDOG_USEC", "100000") // a ping every 50 ms
	t.Setenv("WATCHDOG_PID", "")
	w := newFeedWatch(t)
	d := startDaemon(t, w.path)

	if msg := n.expect(t, "READY=1"); !strings.Contains(msg, "STATUS=serving "+d.url+", 1 sources") {
		t.Errorf("READY: got %q, want a status naming %s", msg, d.url)
	}

	// Reload on a change of the file.
	replaceFile(t, w.path, w.config(`"reconnaissance faciale"`, "drone"))
	if msg := n.expect(t, "RELOADING=1"); !strings.Contains(msg, "\nMONOTONIC_USEC=") {
		t.Errorf("RELOADING: got %q, want MONOTONIC_USEC", msg)
	}
	n.expect(t, "READY=1")

	// Reload on SIGHUP, the file unchanged.
	if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	n.expect(t, "RELOADING=1")
	n.expect(t, "READY=1")
	if !strings.Contains(d.logs.String(), `msg="config unchanged"`) {
		t.Errorf("log lacks the unchanged reload:\n%s", d.logs)
	}

	// An invalid file: refused, and READY=1 all the same.
	if err := os.WriteFile(w.path, []byte("listen: [\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	n.expect(t, "RELOADING=1")
	if msg := n.expect(t, "READY=1"); !strings.Contains(msg, "STATUS=serving "+d.url+", 1 sources; last reload refused") {
		t.Errorf("READY after a refused reload: got %q, want a status saying so", msg)
	}

	vigietest.WaitFor(t, waitTimeout, "a watchdog ping", func() bool { return n.watchdog.Load() > 0 })
	if err := d.stop(); err != nil {
		t.Errorf("Run: got %v, want nil", err)
	}
	n.expect(t, "STOPPING=1")
}

func TestWatchConfigSignalsAChange(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "config.yaml")
	replaceFile(t, path, "a")
	ctx, cancel := context.WithCancel(t.Context())
	var wg sync.WaitGroup
	changed := make(chan struct{}, 1)
	if err := watchConfig(ctx, &wg, path, time.Millisecond, changed, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	replaceFile(t, path, "b")
	select {
	case <-changed:
	case <-time.After(waitTimeout):
		t.Fatal("no change signalled for the config file")
	}
	cancel()
	wg.Wait()
}

func TestConcerns(t *testing.T) {
	names := map[string]bool{"/etc/vigie/config.yaml": true}
	tests := []struct {
		ev   fsnotify.Event
		want bool
	}{
		{fsnotify.Event{Name: "/etc/vigie/config.yaml", Op: fsnotify.Write}, true},
		{fsnotify.Event{Name: "/etc/vigie/config.yaml", Op: fsnotify.Create}, true},
		{fsnotify.Event{Name: "/etc/vigie/config.yaml", Op: fsnotify.Rename}, true},
		{fsnotify.Event{Name: "/etc/vigie/config.yaml", Op: fsnotify.Remove}, true},
		{fsnotify.Event{Name: "/etc/vigie/config.yaml", Op: fsnotify.Write | fsnotify.Chmod}, true},
		{fsnotify.Event{Name: "/etc/vigie/config.yaml", Op: fsnotify.Chmod}, false},
		{fsnotify.Event{Name: "/etc/vigie/config.yaml.swp", Op: fsnotify.Write}, false},
		{fsnotify.Event{Name: "/etc/vigie/.config.yaml.tmp", Op: fsnotify.Create}, false},
	}
	for _, tt := range tests {
		if got := concerns(names, tt.ev); got != tt.want {
			t.Errorf("concerns(%v): got %v, want %v", tt.ev, got, tt.want)
		}
	}
}
