// Package fetch gets documents over HTTP for vigie: one shared client,
// conditional requests (ETag, Last-Modified), a body cap, redirects
// bounded, Retry-After understood, and a User-Agent that names vigie.
package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	neturl "net/url"
	"strconv"
	"strings"
	"time"
)

// DefaultMaxBodyBytes caps a response body when ClientOptions leaves it unset.
const DefaultMaxBodyBytes = 10 << 20

// DefaultUserAgent is sent when ClientOptions leaves UserAgent empty.
const DefaultUserAgent = "vigie (+https://github.com/vigie-watch/vigie)"

const (
	maxRedirects = 5
	// backstopTimeout bounds a fetch whose caller set no deadline.
	backstopTimeout = 2 * time.Minute
	acceptFeeds     = "application/rss+xml, application/atom+xml, application/feed+json, " +
		"application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.8"
)

var (
	// ErrTooLarge is wrapped by the error of a fetch whose body exceeds the cap.
	ErrTooLarge = errors.New("response body too large")
	// ErrGone matches (errors.Is) a *StatusError for 410 Gone: the source
	// was removed on purpose and should not be polled again.
	ErrGone = errors.New("gone")
	// ErrTooManyRedirects is wrapped by the error of a fetch that was
	// redirected more than 5 times.
	ErrTooManyRedirects = errors.New("too many redirects")
)

// ClientOptions configures a Client.
type ClientOptions struct {
	// UserAgent names vigie, its version and its URL, e.g.
	// "vigie/1.0 (+https://github.com/vigie-watch/vigie)".
	UserAgent string
	// MaxBodyBytes caps the decoded body; 0 means DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// PerHost bounds the requests in flight to one host (host and port),
	// whoever sends them (feeds, pages); 0 means DefaultPerHost.
	PerHost int
}

// Client fetches feeds over HTTP. It is safe for concurrent use and meant
// to be shared by every source: it keeps one connection pool.
type Client struct {
	http      *http.Client
	userAgent string
	maxBody   int64
	hosts     *hostLimits
}

// Validators are the cache validators of a previous response, sent back as
// a conditional request.
type Validators struct {
	ETag         string
	LastModified string
}

// updated returns v updated with the validators of a 304 answer: RFC 9111
// (4.3.4) has a cache update what the 304 carries and keep the rest.
func (v Validators) updated(with Validators) Validators {
	if with.ETag != "" {
		v.ETag = with.ETag
	}
	if with.LastModified != "" {
		v.LastModified = with.LastModified
	}
	return v
}

// Response is a successful fetch.
type Response struct {
	Status      int
	NotModified bool   // 304: Body is nil, keep what you have
	Body        []byte // decompressed, at most the cap, in the server's charset
	ContentType string
	Validators  Validators // to send with the next request (on a 304: those sent, updated)
	URL         string     // final URL, after redirects
	MovedTo     string     // set when the URL was permanently redirected (301, 308)
}

// StatusError is returned for a response status other than 2xx and 304.
type StatusError struct {
	Code       int
	RetryAfter time.Duration // from Retry-After on 429 and 503; 0 when absent
	URL        string
}

// Error implements error.
func (e *StatusError) Error() string {
	msg := fmt.Sprintf("GET %s: %d %s", e.URL, e.Code, http.StatusText(e.Code))
	if e.RetryAfter > 0 {
		msg += fmt.Sprintf(" (retry after %s)", e.RetryAfter)
	}
	return msg
}

// Is reports whether e matches target; a 410 matches ErrGone.
func (e *StatusError) Is(target error) bool {
	return target == ErrGone && e.Code == http.StatusGone
}

// BodyError is returned when a response had a 2xx status but its body
// could not be read whole: over the cap, cut short, or timed out.
type BodyError struct {
	Status int
	Err    error
}

// Error implements error.
func (e *BodyError) Error() string { return e.Err.Error() }

// Unwrap returns the cause, such as an error wrapping ErrTooLarge.
func (e *BodyError) Unwrap() error { return e.Err }

// NewClient returns a Client with its own transport: dial, TLS handshake
// and response header timeouts, and a pool of idle connections. The
// caller's context sets the deadline of each fetch; a fetch without one is
// stopped after two minutes.
func NewClient(opts ClientOptions) *Client {
	transport := &http.Transport{
		Proxy: http.ProxyFromEnvironment,
		DialContext: (&net.Dialer{
			Timeout:   10 * time.Second,
			KeepAlive: 30 * time.Second,
		}).DialContext,
		ForceAttemptHTTP2:     true,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: 30 * time.Second,
		ExpectContinueTimeout: time.Second,
		MaxIdleConns:          50,
		MaxIdleConnsPerHost:   16, // franceinfo serves a dozen sources from one host
		IdleConnTimeout:       90 * time.Second,
	}
	c := &Client{
		http: &http.Client{
			Transport:     transport,
			CheckRedirect: checkRedirect,
			Timeout:       backstopTimeout,
		},
		userAgent: opts.UserAgent,
		maxBody:   opts.MaxBodyBytes,
	}
	if c.userAgent == "" {
		c.userAgent = DefaultUserAgent
	}
	if c.maxBody <= 0 {
		c.maxBody = DefaultMaxBodyBytes
	}
	perHost := opts.PerHost
	if perHost <= 0 {
		perHost = DefaultPerHost
	}
	c.hosts = newHostLimits(perHost)
	return c
}

// Get fetches url, sending v as a conditional request. A 304 gives a
// Response with NotModified set. A status other than 2xx and 304 gives a
// *StatusError; a body over the cap gives an error wrapping ErrTooLarge.
// The body is returned in the server's character set: see ToUTF8 and Parse.
// It waits for a slot of the URL's host, unless ctx carries one (Reserve).
func (c *Client) Get(ctx context.Context, url string, v Validators) (*Response, error) {
	release, err := c.slotFor(ctx, url)
	if err != nil {
		return nil, err
	}
	defer release()
	moves := &redirects{}
	req, err := http.NewRequestWithContext(context.WithValue(ctx, redirectsKey{}, moves), http.MethodGet, url, nil)
	if err != nil {
		return nil, fmt.Errorf("create request: %w", err)
	}
	req.Header.Set("User-Agent", c.userAgent)
	req.Header.Set("Accept", acceptFeeds)
	// Accept-Encoding is left to the transport, which then asks for gzip
	// and decompresses transparently.
	if v.ETag != "" {
		req.Header.Set("If-None-Match", v.ETag)
	}
	if v.LastModified != "" {
		req.Header.Set("If-Modified-Since", v.LastModified)
	}

	resp, err := c.http.Do(req)
	if err != nil {
		var ue *neturl.Error
		if errors.Is(err, ErrTooManyRedirects) && errors.As(err, &ue) && moves.last != "" {
			ue.URL = moves.last // net/http puts the Location header there, often relative
		}
		return nil, fmt.Errorf("fetch: %w", err)
	}
	defer resp.Body.Close()

	out := &Response{
		Status:      resp.StatusCode,
		ContentType: resp.Header.Get("Content-Type"),
		Validators: Validators{
			ETag:         resp.Header.Get("ETag"),
			LastModified: resp.Header.Get("Last-Modified"),
		},
		URL:     resp.Request.URL.String(),
		MovedTo: moves.permanent,
	}

	switch {
	case resp.StatusCode == http.StatusNotModified:
		drain(resp.Body)
		out.NotModified = true
		out.Validators = v.updated(out.Validators)
		return out, nil
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		drain(resp.Body)
		return nil, &StatusError{
			Code:       resp.StatusCode,
			RetryAfter: retryAfter(resp, time.Now()),
			URL:        out.URL,
		}
	}

	bodyErr := func(err error) error { return &BodyError{Status: resp.StatusCode, Err: err} }
	if resp.ContentLength > c.maxBody {
		return nil, bodyErr(fmt.Errorf("%w: %d bytes announced, limit %s", ErrTooLarge, resp.ContentLength, byteSize(c.maxBody)))
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, c.maxBody+1))
	if err != nil {
		if ctx.Err() != nil {
			return nil, bodyErr(fmt.Errorf("read body: %w", errors.Join(ctx.Err(), err)))
		}
		return nil, bodyErr(fmt.Errorf("read body: %w", err))
	}
	if int64(len(body)) > c.maxBody {
		return nil, bodyErr(fmt.Errorf("%w: over the limit of %s", ErrTooLarge, byteSize(c.maxBody)))
	}
	out.Body = body
	return out, nil
}

// redirects records, for one request, where a chain of permanent
// redirects from the original URL led.
type redirects struct {
	last      string // the absolute URL of the latest redirect
	permanent string
	broken    bool // a temporary redirect ended the permanent chain
}

type redirectsKey struct{}

// RedirectCheck vets the URL a redirect leads to before it is requested;
// an error stops the fetch, and Get returns it wrapped.
type RedirectCheck func(ctx context.Context, to *neturl.URL) error

type redirectCheckKey struct{}

// WithRedirectCheck returns a context whose fetches call check before they
// follow any redirect (the crawler vets the target against its host's
// robots.txt, so that a disallowed page is never requested). A nil check
// removes the one ctx carries.
func WithRedirectCheck(ctx context.Context, check RedirectCheck) context.Context {
	return context.WithValue(ctx, redirectCheckKey{}, check)
}

func checkRedirect(req *http.Request, via []*http.Request) error {
	moves, _ := req.Context().Value(redirectsKey{}).(*redirects)
	if moves != nil {
		moves.last = req.URL.String()
	}
	if len(via) > maxRedirects {
		return fmt.Errorf("%w: stopped after %d", ErrTooManyRedirects, maxRedirects)
	}
	if check, _ := req.Context().Value(redirectCheckKey{}).(RedirectCheck); check != nil {
		if err := check(req.Context(), req.URL); err != nil {
			return err
		}
	}
	if moves == nil || moves.broken || req.Response == nil {
		return nil
	}
	switch req.Response.StatusCode {
	case http.StatusMovedPermanently, http.StatusPermanentRedirect:
		moves.permanent = req.URL.String()
	default:
		moves.broken = true
	}
	return nil
}

// retryAfter parses Retry-After (seconds or an HTTP date) on 429 and 503.
// A date is measured against the server's Date header when it has one, so
// that a skewed clock does not matter.
func retryAfter(resp *http.Response, now time.Time) time.Duration {
	if resp.StatusCode != http.StatusTooManyRequests && resp.StatusCode != http.StatusServiceUnavailable {
		return 0
	}
	v := strings.TrimSpace(resp.Header.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		return time.Duration(min(secs, int64(365*24*time.Hour/time.Second))) * time.Second
	}
	at, err := http.ParseTime(v)
	if err != nil {
		return 0
	}
	if date, err := http.ParseTime(resp.Header.Get("Date")); err == nil {
		now = date
	}
	return max(at.Sub(now), 0)
}

// drain reads a little of an unwanted body so the connection can be reused.
func drain(body io.Reader) {
	_, _ = io.Copy(io.Discard, io.LimitReader(body, 64<<10))
}

func byteSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
