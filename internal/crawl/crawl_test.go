package crawl_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vigie-watch/vigie/internal/crawl"
	"github.com/vigie-watch/vigie/internal/fetch"
)

// site serves a robots.txt and pages, counting the requests and the most
// requests it saw in flight at once.
type site struct {
	robots      string
	robotsCode  int
	mu          sync.Mutex
	hits        map[string]int
	starts      []time.Time
	inFlight    atomic.Int32
	maxInFlight atomic.Int32
}

func (s *site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.hits[r.URL.Path]++
	if r.URL.Path != "/robots.txt" {
		s.starts = append(s.starts, time.Now())
	}
	s.mu.Unlock()
	if r.URL.Path == "/robots.txt" {
		w.WriteHeader(s.robotsCode)
		fmt.Fprint(w, s.robots)
		return
	}
	n := s.inFlight.Add(1)
	defer s.inFlight.Add(-1)
	for {
		m := s.maxInFlight.Load()
		if n <= m || s.maxInFlight.CompareAndSwap(m, n) {
			break
		}
	}
	time.Sleep(20 * time.Millisecond) // long enough for requests to overlap if allowed
	w.Header().Set("Content-Type", "text/html")
	fmt.Fprintf(w, "<html><body><p>%s</p></body></html>", r.URL.Path)
}

func (s *site) count(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

func newSite(t *testing.T, code int, robots string) (*site, *httptest.Server) {
	s := &site{robots: robots, robotsCode: code, hits: map[string]int{}}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return s, srv
}

func TestRobotsAndPerHostBound(t *testing.T) {
	s, srv := newSite(t, 200, "User-agent: *\nDisallow: /private/\n\nUser-agent: otherbot\nDisallow: /\n")
	c := crawl.New(fetch.NewClient(fetch.ClientOptions{}), crawl.Options{Spacing: time.Millisecond})
	ctx := context.Background()

	var wg sync.WaitGroup
	errs := make([]error, 12)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			path := fmt.Sprintf("/page/%d", i)
			if i%4 == 3 {
				path = fmt.Sprintf("/private/%d", i)
			}
			_, errs[i] = c.Get(ctx, srv.URL+path)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if i%4 == 3 {
			if !errors.Is(err, crawl.ErrDisallowed) {
				t.Errorf("page %d: got %v, want ErrDisallowed", i, err)
			}
			if n := s.count(fmt.Sprintf("/private/%d", i)); n != 0 {
				t.Errorf("a disallowed page was requested %d times", n)
			}
		} else if err != nil {
			t.Errorf("page %d: %v", i, err)
		}
	}
	if n := s.count("/robots.txt"); n != 1 {
		t.Errorf("robots.txt fetched %d times, want once for the host", n)
	}
	if m := s.maxInFlight.Load(); m > 2 {
		t.Errorf("%d page requests in flight at once, want at most 2", m)
	}
}

func TestSpacing(t *testing.T) {
	s, srv := newSite(t, 404, "")
	const spacing = 300 * time.Millisecond
	c := crawl.New(fetch.NewClient(fetch.ClientOptions{}), crawl.Options{Spacing: spacing})
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.Get(context.Background(), fmt.Sprintf("%s/p%d", srv.URL, i)); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := 1; i < len(s.starts); i++ {
		// The server sees a request some time after it is sent (a loaded
		// machine delays it): allow half the spacing for that jitter, never
		// a missing wait (requests a few milliseconds apart).
		if gap := s.starts[i].Sub(s.starts[i-1]); gap < spacing/2 {
			t.Errorf("requests %d and %d started %s apart, want at least %s", i-1, i, gap, spacing)
		}
	}
}

func TestRobotsConventionsAndExpiry(t *testing.T) {
	cases := []struct {
		name    string
		code    int
		body    string
		allowed bool
	}{
		{"no robots.txt (404): everything allowed", 404, "", true},
		{"server error: nothing allowed", 503, "", false},
		{"vigie named", 200, "User-agent: vigie\nDisallow: /\n\nUser-agent: *\nAllow: /\n", false},
		{"Crawl-delay understood, path allowed", 200, "User-agent: *\nCrawl-delay: 0.01\nDisallow: /admin\n", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, srv := newSite(t, c.code, c.body)
			cr := crawl.New(fetch.NewClient(fetch.ClientOptions{}), crawl.Options{Spacing: time.Millisecond})
			_, err := cr.Get(context.Background(), srv.URL+"/article.html")
			if c.allowed && err != nil || !c.allowed && !errors.Is(err, crawl.ErrDisallowed) {
				t.Errorf("got %v, want allowed=%v", err, c.allowed)
			}
		})
	}

	t.Run("cache expires", func(t *testing.T) {
		s, srv := newSite(t, 200, "User-agent: *\nDisallow: /private/\n")
		var now atomic.Int64
		now.Store(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC).UnixNano())
		cr := crawl.New(fetch.NewClient(fetch.ClientOptions{}), crawl.Options{
			Spacing: time.Millisecond, RobotsTTL: time.Hour,
			Now: func() time.Time { return time.Unix(0, now.Load()) },
		})
		get := func() {
			if _, err := cr.Get(context.Background(), srv.URL+"/a.html"); err != nil {
				t.Fatal(err)
			}
		}
		get()
		now.Add(int64(59 * time.Minute))
		get()
		if n := s.count("/robots.txt"); n != 1 {
			t.Fatalf("robots.txt fetched %d times within its hour, want 1", n)
		}
		now.Add(int64(2 * time.Minute))
		get()
		if n := s.count("/robots.txt"); n != 2 {
			t.Errorf("robots.txt fetched %d times after it expired, want 2", n)
		}
	})

	t.Run("unreachable host", func(t *testing.T) {
		srv := httptest.NewServer(http.NotFoundHandler())
		srv.Close()
		cr := crawl.New(fetch.NewClient(fetch.ClientOptions{}), crawl.Options{})
		if _, err := cr.Get(context.Background(), srv.URL+"/a.html"); err == nil {
			t.Error("no error for a host that does not answer")
		}
	})
}

// TestRedirectToADisallowedPage follows a page moved to another host whose
// robots.txt disallows it: the page is never requested.
func TestRedirectToADisallowedPage(t *testing.T) {
	target, other := newSite(t, 200, "User-agent: *\nDisallow: /private/\n")
	mux := http.NewServeMux()
	mux.HandleFunc("/robots.txt", http.NotFound)
	mux.HandleFunc("/moved.html", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/private/a.html", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/moved-ok.html", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/public/a.html", http.StatusMovedPermanently)
	})
	redirecting := httptest.NewServer(mux)
	t.Cleanup(redirecting.Close)
	c := crawl.New(fetch.NewClient(fetch.ClientOptions{}), crawl.Options{Spacing: time.Millisecond})
	if _, err := c.Get(context.Background(), redirecting.URL+"/moved.html"); !errors.Is(err, crawl.ErrDisallowed) {
		t.Errorf("redirected to a disallowed page: got %v, want ErrDisallowed", err)
	}
	if n := target.count("/private/a.html"); n != 0 {
		t.Errorf("requests for the disallowed page after a redirect: got %d, want 0", n)
	}
	if _, err := c.Get(context.Background(), redirecting.URL+"/moved-ok.html"); err != nil {
		t.Errorf("redirected to an allowed page: %v", err)
	}
	if n := target.count("/public/a.html"); n != 1 {
		t.Errorf("requests for the allowed page after a redirect: got %d, want 1", n)
	}
}

// A page redirected to another host whose robots.txt itself redirects
// (to a path of the same host, as many sites do): the robots.txt is read
// through its redirect and the page fetched, not left waiting on itself.
func TestRedirectToAHostWhoseRobotsRedirect(t *testing.T) {
	target := http.NewServeMux()
	target.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/robots-fr.txt", http.StatusMovedPermanently)
	})
	target.HandleFunc("/robots-fr.txt", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "User-agent: *\nDisallow: /private/\n")
	})
	target.HandleFunc("/public/a.html", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "<html><body><p>article</p></body></html>")
	})
	other := httptest.NewServer(target)
	t.Cleanup(other.Close)
	mux := http.NewServeMux()
	mux.HandleFunc("/robots.txt", http.NotFound)
	mux.HandleFunc("/moved.html", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/public/a.html", http.StatusMovedPermanently)
	})
	redirecting := httptest.NewServer(mux)
	t.Cleanup(redirecting.Close)

	c := crawl.New(fetch.NewClient(fetch.ClientOptions{}), crawl.Options{Spacing: time.Millisecond})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	resp, err := c.Get(ctx, redirecting.URL+"/moved.html")
	if err != nil {
		t.Fatalf("redirected to an allowed page of a host whose robots.txt redirects: %v", err)
	}
	if resp.URL != other.URL+"/public/a.html" {
		t.Errorf("final URL: got %s, want %s/public/a.html", resp.URL, other.URL)
	}
	if _, err := c.Get(ctx, other.URL+"/private/b.html"); !errors.Is(err, crawl.ErrDisallowed) {
		t.Errorf("page the redirected robots.txt disallows: got %v, want ErrDisallowed", err)
	}
}
