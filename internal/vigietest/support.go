package vigietest

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigie-watch/vigie/internal/config"
)

// ParseConfig parses a config.yaml given as a string, failing the test on
// any problem.
func ParseConfig(tb testing.TB, yaml string) *config.Config {
	tb.Helper()
	cfg, err := config.Parse(strings.NewReader(yaml))
	if err != nil {
		tb.Fatalf("config: %v", err)
	}
	return cfg
}

// Fixture returns the content of testdata/name in the directory of the
// package under test (a test's working directory).
func Fixture(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// RSSItem is an item of a feed built by RSS.
type RSSItem struct {
	Title, Link string
	Date        string // RFC 1123; none when empty
	Description string // "Un article." when empty
}

// RSS builds an RSS 2.0 feed of items, each with its link as GUID.
func RSS(items ...RSSItem) []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
		`<rss version="2.0"><channel><title>Test</title><link>https://news.example/</link>` + "\n")
	for _, it := range items {
		fmt.Fprintf(&b, "<item><title>%s</title><link>%s</link><guid>%s</guid>", it.Title, it.Link, it.Link)
		if it.Date != "" {
			fmt.Fprintf(&b, "<pubDate>%s</pubDate>", it.Date)
		}
		desc := it.Description
		if desc == "" {
			desc = "Un article."
		}
		fmt.Fprintf(&b, "<description>%s</description></item>\n", desc)
	}
	b.WriteString("</channel></rss>\n")
	return []byte(b.String())
}

// WaitFor polls cond until it holds, and fails the test if it still does
// not after limit. The limit is a bound on a failure, not a measure.
func WaitFor(tb testing.TB, limit time.Duration, what string, cond func() bool) {
	tb.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			tb.Fatalf("waited %s for %s", limit, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Clock is a fake clock for aggregator.Options.Now, safe for concurrent use.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a Clock set to t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Set sets the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// Add moves the clock forward by d.
func (c *Clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// Get requests url with the headers given as name, value pairs and returns
// the response with its body read, failing the test on a transport error.
func Get(t testing.TB, url string, header ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}
