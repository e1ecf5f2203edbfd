package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vigie-watch/vigie/internal/pgtest"
	"github.com/vigie-watch/vigie/internal/vigietest"
)

// TestRunWaitsForTheDatabase: the daemon starts before its PostgreSQL
// database exists; it says so, without the password, tries again, and
// serves once the database is there.
func TestRunWaitsForTheDatabase(t *testing.T) {
	pgtest.Skip(t, testPG)
	up := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(up.Close)
	name := fmt.Sprintf("late_%d", os.Getpid())
	// The test server trusts every local connection: the password is
	// accepted and ignored, and must never be shown.
	url := strings.Replace(testPG.URL(name), "postgres://postgres@", "postgres://postgres:s3cret@", 1)
	path := filepath.Join(t.TempDir(), "config.yaml")
	replaceFile(t, path, fmt.Sprintf(`listen: 127.0.0.1:0
database: %q
schedule: "@every 1h"
feed:
  title: Test
sources:
  - name: upstream
    url: %s/feed.rss
keywords: ["reconnaissance faciale"]
`, url, up.URL))

	ctx, cancel := context.WithCancel(context.Background())
	logs := &syncBuffer{}
	done := make(chan error, 1)
	go func() { done <- Run(ctx, []string{"run", "--config", path}, io.Discard, logs) }()
	defer func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Run: %v", err)
			}
		case <-time.After(waitTimeout):
			t.Error("Run did not return after its context was cancelled")
		}
	}()

	vigietest.WaitFor(t, waitTimeout, "a warning that the database is unavailable", func() bool {
		return strings.Contains(logs.String(), `msg="database unavailable, trying again"`)
	})
	if strings.Contains(logs.String(), "s3cret") {
		t.Errorf("log shows the password:\n%s", logs)
	}
	if _, err := testPG.CreateDatabase(context.Background(), name); err != nil {
		t.Fatal(err)
	}
	vigietest.WaitFor(t, 2*waitTimeout, "the daemon to start once the database exists", func() bool {
		return listenRE.MatchString(logs.String())
	})
}
