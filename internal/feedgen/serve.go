package feedgen

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// ServeOptions change how a set's feeds are served.
type ServeOptions struct {
	// IgnoreConditional answers 200 with the whole feed whatever the
	// request's If-None-Match and If-Modified-Since, as servers that send
	// validators but never honour them do: the same bytes every time.
	IgnoreConditional bool
}

// Handler serves every feed at its Path. Responses carry ETag and
// Last-Modified; a request whose If-None-Match names the current ETag (of
// either representation), or whose If-Modified-Since is not older than
// Last-Modified, gets 304. Clients that accept gzip get the gzipped bytes.
func (s *Set) Handler() http.Handler { return s.HandlerWith(ServeOptions{}) }

// HandlerWith is Handler, changed by opts.
func (s *Set) HandlerWith(opts ServeOptions) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		f := s.byPath[r.URL.Path]
		if f == nil {
			http.NotFound(w, r)
			return
		}
		h := w.Header()
		h.Set("Content-Type", "application/rss+xml; charset=UTF-8")
		h.Set("Vary", "Accept-Encoding")
		h.Set("Last-Modified", lastModified(f.Modified))
		body, etag := f.Body, f.ETag
		if acceptsGzip(r.Header.Get("Accept-Encoding")) {
			body, etag = f.Gzipped, strings.TrimSuffix(f.ETag, `"`)+`-gzip"`
			h.Set("Content-Encoding", "gzip")
		}
		h.Set("ETag", etag)
		if !opts.IgnoreConditional && notModified(r, f) {
			h.Del("Content-Encoding")
			w.WriteHeader(http.StatusNotModified)
			return
		}
		h.Set("Content-Length", strconv.Itoa(len(body)))
		if r.Method == http.MethodHead {
			return
		}
		w.Write(body)
	})
}

// notModified applies RFC 9110's order: If-None-Match wins over
// If-Modified-Since. Weak comparison: W/ and the gzip suffix are ignored.
func notModified(r *http.Request, f *Feed) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		for _, tag := range strings.Split(inm, ",") {
			tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
			tag = strings.Replace(tag, `-gzip"`, `"`, 1)
			if tag == "*" || tag == f.ETag {
				return true
			}
		}
		return false
	}
	if ims := r.Header.Get("If-Modified-Since"); ims != "" {
		t, err := http.ParseTime(ims)
		return err == nil && !f.Modified.Truncate(time.Second).After(t)
	}
	return false
}

func acceptsGzip(ae string) bool {
	for _, part := range strings.Split(ae, ",") {
		enc, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(enc), "gzip") {
			continue
		}
		q, ok := strings.CutPrefix(strings.ReplaceAll(params, " ", ""), "q=")
		if !ok {
			return true
		}
		v, err := strconv.ParseFloat(q, 64)
		return err == nil && v > 0
	}
	return false
}
