package crawl_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigie-watch/vigie/internal/crawl"
	"github.com/vigie-watch/vigie/internal/fetch"
)

// anyHost answers every host without a network: no robots.txt (404), and
// a page for any other path. It counts the robots.txt requests per host.
type anyHost struct {
	mu     sync.Mutex
	robots map[string]int
}

func (a *anyHost) Get(_ context.Context, url string, _ fetch.Validators) (*fetch.Response, error) {
	if host, ok := strings.CutSuffix(url, "/robots.txt"); ok {
		a.mu.Lock()
		a.robots[host]++
		a.mu.Unlock()
		return nil, &fetch.StatusError{Code: 404, URL: url}
	}
	return &fetch.Response{Status: 200, Body: []byte("<p>article</p>"), URL: url}, nil
}

// TestIdleHostsForgotten: a crawler that has read the pages of hundreds
// of hosts keeps only those still in use or whose robots.txt has not
// expired; a host forgotten and visited again has its robots.txt read
// again, and its pages are fetched as before.
func TestIdleHostsForgotten(t *testing.T) {
	clock := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	now := func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }
	getter := &anyHost{robots: map[string]int{}}
	c := crawl.New(getter, crawl.Options{Spacing: time.Millisecond, RobotsTTL: time.Hour, Now: now})
	visit := func(from, to int) {
		t.Helper()
		for i := from; i < to; i++ {
			if _, err := c.Get(context.Background(), fmt.Sprintf("http://site%d.example/article", i)); err != nil {
				t.Fatalf("site %d: %v", i, err)
			}
		}
	}
	visit(0, 300)
	if n := c.Hosts(); n != 300 {
		t.Fatalf("hosts kept while their robots.txt is fresh: got %d, want 300", n)
	}
	mu.Lock()
	clock = clock.Add(2 * time.Hour) // every robots.txt has expired
	mu.Unlock()
	time.Sleep(5 * time.Millisecond) // and every host's spacing has passed
	visit(300, 900)
	// The 600 visited since are fresh: kept. The first 300 are not.
	if n := c.Hosts(); n != 600 {
		t.Errorf("hosts kept after 900 visited, the first 300 idle and expired: got %d, want 600", n)
	}
	visit(0, 1)
	getter.mu.Lock()
	defer getter.mu.Unlock()
	if got := getter.robots["http://site0.example"]; got != 2 {
		t.Errorf("robots.txt of a forgotten host read %d times, want 2 (again on its next visit)", got)
	}
}

// Host names are case-insensitive: the pages of one host, however its
// links spell it, share its robots.txt, slots and spacing.
func TestHostNameCase(t *testing.T) {
	getter := &anyHost{robots: map[string]int{}}
	c := crawl.New(getter, crawl.Options{Spacing: time.Millisecond})
	for _, u := range []string{"http://www.senat.fr/a", "http://WWW.SENAT.FR/b", "http://Www.Senat.Fr/c"} {
		if _, err := c.Get(context.Background(), u); err != nil {
			t.Fatalf("%s: %v", u, err)
		}
	}
	if n := c.Hosts(); n != 1 {
		t.Errorf("hosts kept for one host spelt three ways: got %d, want 1", n)
	}
	getter.mu.Lock()
	defer getter.mu.Unlock()
	reads := 0
	for _, n := range getter.robots {
		reads += n
	}
	if reads != 1 {
		t.Errorf("robots.txt read %d times for one host, want 1 (%v)", reads, getter.robots)
	}
}
