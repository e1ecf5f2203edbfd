package main

import (
	"database/sql"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // raw reads of the database under test

	"github.com/vigie-watch/vigie/internal/pgtest"
	"github.com/vigie-watch/vigie/internal/vigietest"
)

// The failover test's upstream: failSources feeds of failItems stories
// each, every one matching.
const (
	failSources = 4
	failItems   = 20
	failPeriod  = time.Second // "@every 1s"
	failTimeout = 3 * time.Second
)

type failUpstream struct {
	srv      *httptest.Server
	hold     atomic.Int32 // the source whose requests hang, -1 for none
	released chan struct{}
	inFlight atomic.Int32 // held requests waiting
	mu       sync.Mutex
	served   [failSources]int
}

func newFailUpstream(t *testing.T) *failUpstream {
	u := &failUpstream{released: make(chan struct{})}
	u.hold.Store(-1)
	u.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var i int
		if _, err := fmt.Sscanf(r.URL.Path, "/feed/%d", &i); err != nil || i < 0 || i >= failSources {
			http.NotFound(w, r)
			return
		}
		if int32(i) == u.hold.Load() {
			u.inFlight.Add(1)
			select {
			case <-r.Context().Done():
				return
			case <-u.released:
			}
		}
		var b strings.Builder
		fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>S%d</title><link>https://s%d.example/</link>`, i, i)
		for k := range failItems {
			fmt.Fprintf(&b, `<item><title>Reconnaissance faciale, épisode %d-%d</title><link>https://news.example/%d/%d</link><guid>s%d-%d</guid></item>`, i, k, i, k, i, k)
		}
		b.WriteString("</channel></rss>")
		w.Header().Set("Content-Type", "application/rss+xml; charset=UTF-8")
		w.Write([]byte(b.String()))
		u.mu.Lock()
		u.served[i]++
		u.mu.Unlock()
	}))
	t.Cleanup(u.srv.Close)
	return u
}

func (u *failUpstream) counts() [failSources]int {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.served
}

// TestFailover runs two daemons on one PostgreSQL database: each source
// is fetched by one of them per period; one is killed -9 while it fetches
// a source, and the other takes its sources within a period plus the
// timeout; nothing is lost or stored twice.
func TestFailover(t *testing.T) {
	dir, bin, database := twoDaemonsSetup(t)
	u := newFailUpstream(t)
	var b strings.Builder
	fmt.Fprintf(&b, "listen: 127.0.0.1:0\ndatabase: %q\nschedule: \"@every %s\"\ntimeout: %s\nfeed:\n  title: failover\n  url: http://vigie.example/feed.atom\nkeywords: [reconnaissance faciale]\nsources:\n",
		database, failPeriod, failTimeout)
	for i := range failSources {
		fmt.Fprintf(&b, "  - name: source %d\n    url: %s/feed/%d\n", i, u.srv.URL, i)
	}
	cfg := filepath.Join(dir, "config.yaml")
	replaceFile(t, cfg, b.String())

	a := startBinary(t, bin, cfg)
	vigietest.WaitFor(t, waitTimeout, "every source fetched", func() bool { c := u.counts(); return slices.Min(c[:]) > 0 })
	bd := startBinary(t, bin, cfg)

	// Both alive: each source is fetched once per tick, not once per
	// instance and tick.
	const window = 6 * time.Second
	before := u.counts()
	time.Sleep(window)
	after := u.counts()
	for i := range failSources {
		if n, most := after[i]-before[i], int(window/failPeriod)+2; n > most {
			t.Errorf("source %d fetched %d times in %s by two instances, want at most %d (one per tick)", i, n, window, most)
		}
	}

	// Kill -9 whichever instance is fetching source 0, mid-request.
	u.hold.Store(0)
	vigietest.WaitFor(t, waitTimeout, "a request for source 0 in flight", func() bool { return u.inFlight.Load() > 0 })
	holder := leaseHolder(t, database, "source 0")
	victim, survivor := a, bd
	if strings.Contains(holder, "-"+strconv.Itoa(bd.Process.Pid)+"-") {
		victim, survivor = bd, a
	}
	if err := victim.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	victim.Wait()
	killed := time.Now()
	u.hold.Store(-1)
	close(u.released)

	survivorTag := "-" + strconv.Itoa(survivor.Process.Pid) + "-"
	bound := 2*(failPeriod+failTimeout) + 10*time.Second // one period plus the timeout, generously
	deadline := killed.Add(bound)
	killedCounts := u.counts()
	for {
		taken := 0
		now := u.counts()
		for i := range failSources {
			if now[i] > killedCounts[i] && strings.Contains(leaseHolder(t, database, fmt.Sprintf("source %d", i)), survivorTag) {
				taken++
			}
		}
		if taken == failSources {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d sources fetched by the survivor %s after the kill", taken, failSources, bound)
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Logf("the survivor fetched every source within %s of the kill", time.Since(killed).Round(time.Millisecond))

	if err := survivor.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := survivor.Wait(); err != nil {
		t.Errorf("survivor's exit: %v", err)
	}
	checkFailoverStore(t, database)
}

// twoDaemonsSetup is the start of a test that runs two daemons on one
// PostgreSQL database: it skips in -short mode and without PostgreSQL,
// and returns a temporary directory, the vigie binary built into it, and
// a fresh database's URL.
func twoDaemonsSetup(t *testing.T) (dir, bin, database string) {
	t.Helper()
	if testing.Short() {
		t.Skip("builds vigie and runs two daemons")
	}
	pgtest.Skip(t, testPG)
	dir = t.TempDir()
	return dir, buildVigie(t, dir), testPG.NewDatabase(t)
}

// buildVigie builds the command into dir and returns the binary's path.
func buildVigie(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "vigie")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func startBinary(t *testing.T, bin, cfg string) *exec.Cmd {
	t.Helper()
	cmd, _ := startBinaryAt(t, bin, cfg)
	return cmd
}

// startBinaryAt runs `vigie run --config cfg` until the test ends, and
// returns it with the URL it serves on (http://127.0.0.1:PORT).
func startBinaryAt(t *testing.T, bin, cfg string) (*exec.Cmd, string) {
	t.Helper()
	logs := &syncBuffer{}
	cmd := exec.Command(bin, "run", "--config", cfg)
	cmd.Stderr = logs
	cmd.Env = append(os.Environ(), "NOTIFY_SOCKET=")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		if t.Failed() {
			t.Logf("log of vigie %d:\n%s", cmd.Process.Pid, logs)
		}
	})
	var url string
	vigietest.WaitFor(t, waitTimeout, "the daemon to serve", func() bool {
		m := listenRE.FindStringSubmatch(logs.String())
		if m != nil {
			url = m[1]
		}
		return m != nil
	})
	return cmd, url
}

func leaseHolder(t *testing.T, database, source string) string {
	t.Helper()
	raw, err := sql.Open("pgx", database)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var holder string
	if err := raw.QueryRow("SELECT holder FROM source_leases WHERE name = $1", source).Scan(&holder); err != nil && err != sql.ErrNoRows {
		t.Fatal(err)
	}
	return holder
}

// checkFailoverStore checks that every story is stored once, with its
// GUIDs, and published once.
func checkFailoverStore(t *testing.T, database string) {
	t.Helper()
	ids := publishedIDs(t, database)
	if len(ids) != failSources*failItems {
		t.Errorf("published entries: got %d, want %d", len(ids), failSources*failItems)
	}
	raw, err := sql.Open("pgx", database)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var stories, guids int
	if err := raw.QueryRow("SELECT (SELECT COUNT(*) FROM stories), (SELECT COUNT(*) FROM guids)").Scan(&stories, &guids); err != nil {
		t.Fatal(err)
	}
	if stories != failSources*failItems || guids != failSources*failItems {
		t.Errorf("rows: got %d stories and %d GUIDs, want %d of each", stories, guids, failSources*failItems)
	}
}
