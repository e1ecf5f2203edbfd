package server

import (
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/vigie-watch/vigie/feeds"
)

func (s *Server) feed(f feeds.Format) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { s.serveFeed(w, r, "", f) }
}

// topicFeed serves /topics/NAME.atom, .rss and .json.
func (s *Server) topicFeed(w http.ResponseWriter, r *http.Request) {
	name, ext, ok := strings.Cut(r.PathValue("file"), ".")
	if !ok || name == "" || ext != strings.ToLower(ext) {
		http.NotFound(w, r)
		return
	}
	f, err := feeds.ParseFormat(ext)
	if err != nil || !hasTopic(s.engine.Config(), name) {
		http.NotFound(w, r)
		return
	}
	s.serveFeed(w, r, name, f)
}

// serveFeed answers with the cached rendering of a feed: conditional
// requests get 304, clients that accept gzip get the compressed bytes.
func (s *Server) serveFeed(w http.ResponseWriter, r *http.Request, topic string, f feeds.Format) {
	cfg := s.engine.Config()
	out, err := s.cache.feed(r.Context(), s.store, cfg, PublicBase(cfg), topic, f)
	if err != nil {
		s.log.Error("render feed", slog.String("topic", topic), slog.String("format", string(f)), slog.Any("error", err))
		http.Error(w, "feed unavailable, see the server log", http.StatusInternalServerError)
		return
	}
	body, etag := out.body, out.etag
	gz := acceptsGzip(r)
	if gz {
		// Another representation needs another strong validator.
		body, etag = out.gzipped, strings.TrimSuffix(out.etag, `"`)+`-gz"`
	}
	h := w.Header()
	h.Set("Cache-Control", "public, max-age=300")
	h.Set("Vary", "Accept-Encoding")
	h.Set("ETag", etag)
	h.Set("Last-Modified", out.modified.UTC().Format(http.TimeFormat))
	if notModified(r, out) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Type", out.ctype)
	h.Set("X-Content-Type-Options", "nosniff")
	if gz {
		h.Set("Content-Encoding", "gzip")
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	if r.Method == http.MethodHead {
		return
	}
	w.Write(body)
}

// notModified evaluates If-None-Match, or If-Modified-Since when there is
// no If-None-Match (RFC 9110 section 13.2.2). A gzip ETag matches the plain
// one: both name the same content.
func notModified(r *http.Request, out *rendered) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		for _, tag := range strings.Split(inm, ",") {
			tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
			if tag == "*" || tag == out.etag || tag == strings.TrimSuffix(out.etag, `"`)+`-gz"` {
				return true
			}
		}
		return false
	}
	if ims := r.Header.Get("If-Modified-Since"); ims != "" {
		t, err := http.ParseTime(ims)
		return err == nil && !out.modified.Truncate(time.Second).After(t)
	}
	return false
}

// acceptsGzip reports whether the request accepts a gzip body (q > 0).
func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
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
