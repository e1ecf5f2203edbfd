package vigietest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

// Upstream is a fake upstream web server: each path answers with the
// handler a test set for it (404 otherwise), and every request is recorded.
// Handlers may be replaced while the server runs. It is closed when the
// test ends; a handler still waiting then sees its request cancelled.
type Upstream struct {
	srv *httptest.Server
	// closing is cancelled when the test ends, before the server is
	// closed, so that handlers waiting on their request return.
	closing context.Context

	mu       sync.Mutex
	routes   map[string]http.Handler
	requests map[string][]*http.Request
}

// NewUpstream starts an Upstream that serves nothing yet.
func NewUpstream(tb testing.TB) *Upstream {
	tb.Helper()
	closing, cancel := context.WithCancel(context.Background())
	u := &Upstream{closing: closing, routes: map[string]http.Handler{}, requests: map[string][]*http.Request{}}
	u.srv = httptest.NewServer(http.HandlerFunc(u.serve))
	tb.Cleanup(func() {
		cancel()
		u.srv.Close()
	})
	return u
}

func (u *Upstream) serve(w http.ResponseWriter, r *http.Request) {
	u.mu.Lock()
	h := u.routes[r.URL.Path]
	u.requests[r.URL.Path] = append(u.requests[r.URL.Path], r.Clone(context.Background()))
	u.mu.Unlock()
	if h == nil {
		http.NotFound(w, r)
		return
	}
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	defer context.AfterFunc(u.closing, cancel)()
	h.ServeHTTP(w, r.WithContext(ctx))
}

// URL returns the absolute URL of path on the server ("" for its root).
func (u *Upstream) URL(path string) string { return u.srv.URL + path }

// Handle makes path answer with h from now on.
func (u *Upstream) Handle(path string, h http.Handler) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.routes[path] = h
}

// HandleFunc makes path answer with f from now on.
func (u *Upstream) HandleFunc(path string, f func(http.ResponseWriter, *http.Request)) {
	u.Handle(path, http.HandlerFunc(f))
}

// Set makes path answer 200 with body, of content type ctype.
func (u *Upstream) Set(path string, body []byte, ctype string) {
	u.Handle(path, Body(ctype, body))
}

// Hits returns how many requests path got.
func (u *Upstream) Hits(path string) int {
	u.mu.Lock()
	defer u.mu.Unlock()
	return len(u.requests[path])
}

// Last returns the latest request to path (its headers, not its body), or
// nil if there was none.
func (u *Upstream) Last(path string) *http.Request {
	u.mu.Lock()
	defer u.mu.Unlock()
	rs := u.requests[path]
	if len(rs) == 0 {
		return nil
	}
	return rs[len(rs)-1]
}

// Body answers 200 with b, of content type ctype, and the given headers
// (name, value pairs).
func Body(ctype string, b []byte, header ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		setHeaders(w, header)
		w.Header().Set("Content-Type", ctype)
		w.Write(b)
	}
}

func setHeaders(w http.ResponseWriter, header []string) {
	for i := 0; i+1 < len(header); i += 2 {
		w.Header().Set(header[i], header[i+1])
	}
}

// Status answers with code and the given headers (name, value pairs), and
// the status text as the body where the status allows one.
func Status(code int, header ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		setHeaders(w, header)
		if code == http.StatusNotModified || code == http.StatusNoContent || code < 200 {
			w.WriteHeader(code)
			return
		}
		http.Error(w, http.StatusText(code), code)
	}
}

// Hang never answers: it returns when the client gives up (or the test
// ends), as a stalled server does.
func Hang() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }
}

// Blocking tells started of each request (when started is not nil), then
// answers with then once release is closed; a nil release never is, so the
// request hangs until the client gives up.
func Blocking(started chan<- struct{}, release <-chan struct{}, then http.Handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if started != nil {
			select {
			case started <- struct{}{}:
			case <-r.Context().Done():
				return
			}
		}
		select {
		case <-release:
			then.ServeHTTP(w, r)
		case <-r.Context().Done():
		}
	}
}
