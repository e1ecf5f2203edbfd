// Package crawl fetches the pages that items link to, politely: each
// host's robots.txt is read (and cached) before any page of it, a page it
// disallows is never requested, at most two requests are in flight per
// host, and the requests to one host are spaced (by the robots.txt
// Crawl-delay when it asks for more).
//
// It fetches through the same client as the feeds, so pages get the same
// User-Agent, timeouts and size cap.
package crawl

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/temoto/robotstxt"

	"github.com/vigie-watch/vigie/internal/fetch"
)

// ErrDisallowed is returned for a page that the host's robots.txt
// disallows: it was not requested.
var ErrDisallowed = errors.New("disallowed by robots.txt")

// Getter fetches a URL (fetch.Client does).
type Getter interface {
	Get(ctx context.Context, url string, v fetch.Validators) (*fetch.Response, error)
}

// Options tunes a Crawler; zero values take the defaults.
type Options struct {
	Agent     string           // the name robots.txt rules are tested against; "vigie"
	PerHost   int              // requests in flight per host; 2
	Spacing   time.Duration    // least time between two requests to a host; 500 ms
	RobotsTTL time.Duration    // how long a host's robots.txt is kept; 6 h
	Now       func() time.Time // the clock of the robots.txt cache; time.Now
}

// Crawler fetches pages politely. It is safe for concurrent use; share one
// for every source so that the per-host bounds hold across them.
type Crawler struct {
	get  Getter
	opts Options

	mu      sync.Mutex
	hosts   map[string]*host // by scheme://host:port, lower case
	sweepAt int              // len(hosts) at which idle hosts are forgotten
}

// minSweep is the fewest hosts the crawler keeps before it forgets the
// idle ones: a daemon following thousands of sites for months keeps only
// the hosts it is using, not every robots.txt it ever read.
const minSweep = 256

// host is what the crawler keeps of one host.
type host struct {
	slots chan struct{} // requests in flight
	users int           // calls using it (guarded by Crawler.mu): it is kept while any

	mu        sync.Mutex // guards what follows
	nextStart time.Time  // when the next request may start
	delay     time.Duration
	robots    *robotstxt.RobotsData
	robotsErr error // robots.txt could not be fetched: no page until it expires
	expires   time.Time
	loading   chan struct{} // closed when a robots.txt fetch in flight ends
}

// maxCrawlDelay bounds the Crawl-delay a robots.txt may impose.
const maxCrawlDelay = 30 * time.Second

// robotsRetry is how long an unreachable robots.txt (network error,
// 5xx: every page disallowed) is kept before it is asked again.
const robotsRetry = 10 * time.Minute

// New returns a Crawler that fetches through get.
func New(get Getter, opts Options) *Crawler {
	if opts.Agent == "" {
		opts.Agent = "vigie"
	}
	if opts.PerHost <= 0 {
		opts.PerHost = 2
	}
	if opts.Spacing <= 0 {
		opts.Spacing = 500 * time.Millisecond
	}
	if opts.RobotsTTL <= 0 {
		opts.RobotsTTL = 6 * time.Hour
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Crawler{get: get, opts: opts, hosts: map[string]*host{}, sweepAt: minSweep}
}

// Get fetches a page, once its host's robots.txt allows it and a slot of
// the host is free. Waiting counts against ctx.
func (c *Crawler) Get(ctx context.Context, pageURL string) (*fetch.Response, error) {
	u, err := url.Parse(pageURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("page %q: not an http(s) URL", pageURL)
	}
	h := c.host(u)
	defer c.done(h)
	robots, err := c.robots(ctx, h, u)
	if err != nil {
		return nil, err
	}
	if !robots.TestAgent(u.RequestURI(), c.opts.Agent) {
		return nil, fmt.Errorf("%w: %s", ErrDisallowed, pageURL)
	}
	return c.request(fetch.WithRedirectCheck(ctx, c.allowRedirect), h, pageURL)
}

// allowRedirect vets the target of a redirect before the client follows
// it: a page that its host's robots.txt disallows is never requested, on
// whatever host a redirect leads to.
func (c *Crawler) allowRedirect(ctx context.Context, to *url.URL) error {
	if to.Scheme != "http" && to.Scheme != "https" {
		return fmt.Errorf("redirect to %s: not an http(s) URL", to.Redacted())
	}
	h := c.host(to)
	defer c.done(h)
	robots, err := c.robots(ctx, h, to)
	if err != nil {
		return err
	}
	if !robots.TestAgent(to.RequestURI(), c.opts.Agent) {
		return fmt.Errorf("%w: %s (redirected)", ErrDisallowed, to.Redacted())
	}
	return nil
}

// host returns the crawler's state of u's host, in use until done is
// called with it.
func (c *Crawler) host(u *url.URL) *host {
	key := u.Scheme + "://" + strings.ToLower(u.Host)
	c.mu.Lock()
	defer c.mu.Unlock()
	h := c.hosts[key]
	if h == nil {
		if len(c.hosts) >= c.sweepAt {
			c.sweepLocked()
		}
		h = &host{slots: make(chan struct{}, c.opts.PerHost)}
		c.hosts[key] = h
	}
	h.users++
	return h
}

// done says a call no longer uses h.
func (c *Crawler) done(h *host) {
	c.mu.Lock()
	defer c.mu.Unlock()
	h.users--
}

// sweepLocked forgets the hosts nobody uses whose robots.txt has expired
// and whose spacing has passed: what they held is asked again, as after
// an expiry. It runs when the map has doubled since the last sweep, so
// its cost stays proportional to the hosts added. The caller holds c.mu.
func (c *Crawler) sweepLocked() {
	now, clock := time.Now(), c.opts.Now()
	for key, h := range c.hosts {
		if h.users > 0 {
			continue
		}
		h.mu.Lock()
		idle := h.loading == nil && !clock.Before(h.expires) && !now.Before(h.nextStart)
		h.mu.Unlock()
		if idle {
			delete(c.hosts, key)
		}
	}
	c.sweepAt = max(minSweep, 2*len(c.hosts))
}

// Hosts is the number of hosts the crawler keeps state for.
func (c *Crawler) Hosts() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.hosts)
}

// request fetches url within the host's bounds: a slot, then the spacing.
func (c *Crawler) request(ctx context.Context, h *host, target string) (*fetch.Response, error) {
	select {
	case h.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, fmt.Errorf("wait for a slot of the host: %w", ctx.Err())
	}
	defer func() { <-h.slots }()

	h.mu.Lock()
	now := time.Now()
	start := now
	if h.nextStart.After(now) {
		start = h.nextStart
	}
	h.nextStart = start.Add(max(c.opts.Spacing, h.delay))
	h.mu.Unlock()
	if wait := start.Sub(now); wait > 0 {
		t := time.NewTimer(wait)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
			return nil, fmt.Errorf("wait for the host: %w", ctx.Err())
		}
	}
	return c.get.Get(ctx, target, fetch.Validators{})
}

// robots returns the host's robots.txt rules, fetching its robots.txt when
// it is not cached or has expired. One fetch per host at a time: the other
// callers wait for it.
func (c *Crawler) robots(ctx context.Context, h *host, u *url.URL) (*robotstxt.RobotsData, error) {
	for {
		h.mu.Lock()
		if (h.robots != nil || h.robotsErr != nil) && c.opts.Now().Before(h.expires) {
			g, err := h.robots, h.robotsErr
			h.mu.Unlock()
			return g, err
		}
		if wait := h.loading; wait != nil {
			h.mu.Unlock()
			select {
			case <-wait:
				continue
			case <-ctx.Done():
				return nil, fmt.Errorf("wait for robots.txt: %w", ctx.Err())
			}
		}
		done := make(chan struct{})
		h.loading = done
		h.mu.Unlock()

		g, ttl, err := c.loadRobots(ctx, h, u)
		h.mu.Lock()
		h.loading = nil
		if ctx.Err() == nil { // a caller that gave up says nothing of the host
			h.robots, h.robotsErr, h.expires = g, err, c.opts.Now().Add(ttl)
		}
		if g != nil {
			h.delay = min(g.FindGroup(c.opts.Agent).CrawlDelay, maxCrawlDelay)
		}
		h.mu.Unlock()
		close(done)
		return g, err
	}
}

// loadRobots fetches and parses robots.txt, and says how long to keep
// the answer. robotstxt applies the conventions: a 4xx allows everything,
// a 5xx disallows everything. Without an answer (network error, timeout,
// too large), no page of the host is fetched until it is asked again.
func (c *Crawler) loadRobots(ctx context.Context, h *host, u *url.URL) (*robotstxt.RobotsData, time.Duration, error) {
	robotsURL := u.Scheme + "://" + u.Host + "/robots.txt"
	// robots.txt is not vetted by robots.txt: fetched for a redirect's
	// target, its own redirects would wait for the very rules it brings.
	ctx = fetch.WithRedirectCheck(ctx, nil)
	resp, err := c.request(ctx, h, robotsURL)
	status, ttl := 200, c.opts.RobotsTTL
	var body []byte
	var se *fetch.StatusError
	switch {
	case errors.As(err, &se):
		status = se.Code
	case err != nil:
		return nil, robotsRetry, fmt.Errorf("robots.txt of %s: %w", u.Host, err)
	default:
		body = resp.Body
	}
	if status >= 500 {
		ttl = min(ttl, robotsRetry)
	}
	data, err := robotstxt.FromStatusAndBytes(status, body)
	if err != nil { // unparseable: as if there were none
		data, _ = robotstxt.FromStatusAndBytes(404, nil)
	}
	return data, ttl, nil
}
