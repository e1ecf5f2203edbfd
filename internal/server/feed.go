package server

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/vigie-watch/vigie/feeds"
	"github.com/vigie-watch/vigie/internal/config"
)

// rendered is one feed rendering, kept until the data or config changes.
type rendered struct {
	gen      int64
	cfg      *config.Config
	body     []byte
	gzipped  []byte
	etag     string
	modified time.Time
	ctype    string
}

type cacheKey struct {
	topic  string
	format feeds.Format
}

// renderCache holds the latest rendering of each feed: a feed is rendered
// once per change of the data, not once per request.
type renderCache struct {
	mu      sync.Mutex
	entries map[cacheKey]*rendered
}

func newRenderCache() *renderCache { return &renderCache{entries: map[cacheKey]*rendered{}} }

func (s *Server) feed(f feeds.Format) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { s.serveFeed(w, r, "", f) }
}

// topicFeed serves /topics/NAME.atom, .rss and .json.
func (s *Server) topicFeed(w http.ResponseWriter, r *http.Request) {
	file := r.PathValue("file")
	dot := strings.LastIndexByte(file, '.')
	if dot <= 0 {
		http.NotFound(w, r)
		return
	}
	name, ext := file[:dot], file[dot+1:]
	f, err := feeds.ParseFormat(ext)
	if err != nil || !hasTopic(s.engine.Config(), name) {
		http.NotFound(w, r)
		return
	}
	s.serveFeed(w, r, name, f)
}

func hasTopic(cfg *config.Config, name string) bool {
	for _, t := range cfg.Topics {
		if t.Name == name {
			return true
		}
	}
	return false
}

func (s *Server) serveFeed(w http.ResponseWriter, r *http.Request, topic string, f feeds.Format) {
	out, err := s.render(r, topic, f)
	if err != nil {
		s.log.Error("render feed", slog.String("topic", topic), slog.String("format", string(f)), slog.Any("error", err))
		http.Error(w, "feed unavailable, see the server log", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", out.ctype)
	h.Set("Cache-Control", "public, max-age=300")
	h.Set("Vary", "Accept-Encoding")
	h.Set("Last-Modified", out.modified.UTC().Format(http.TimeFormat))
	body, etag := out.body, out.etag
	if acceptsGzip(r) {
		// A different representation has its own strong validator.
		h.Set("Content-Encoding", "gzip")
		body, etag = out.gzipped, strings.TrimSuffix(out.etag, `"`)+`-gz"`
	}
	h.Set("ETag", etag)
	if notModified(r, out) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Length", fmt.Sprint(len(body)))
	if r.Method == http.MethodHead {
		return
	}
	w.Write(body)
}

// render returns the cached rendering of a feed, rendering it again when the
// store's generation or the config has changed.
func (s *Server) render(r *http.Request, topic string, f feeds.Format) (*rendered, error) {
	cfg := s.engine.Config()
	gen := s.store.Generation()
	key := cacheKey{topic, f}
	s.cache.mu.Lock()
	defer s.cache.mu.Unlock()
	if c := s.cache.entries[key]; c != nil && c.gen == gen && c.cfg == cfg {
		return c, nil
	}
	entries, err := s.store.Entries(r.Context(), topic, cfg.Feed.MaxEntries)
	if err != nil {
		return nil, err
	}
	meta := feedMeta(cfg, r, topic, f)
	for _, e := range entries {
		if e.Updated.After(meta.Updated) {
			meta.Updated = e.Updated
		}
	}
	body, err := feeds.Render(f, meta, entries)
	if err != nil {
		return nil, err
	}
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	zw.Write(body)
	zw.Close()
	sum := sha256.Sum256(body)
	out := &rendered{
		gen: gen, cfg: cfg, body: body, gzipped: gz.Bytes(),
		etag:     `"` + hex.EncodeToString(sum[:12]) + `"`,
		modified: meta.Updated,
		ctype:    f.ContentType(),
	}
	s.cache.entries[key] = out
	return out, nil
}

// PublicBase returns the public base URL of the daemon, from feed.url (its
// directory), or from the request when feed.url is not set.
func PublicBase(cfg *config.Config, r *http.Request) string {
	if u := cfg.Feed.URL; u != "" {
		if i := strings.LastIndexByte(u, '/'); i > len("https://") {
			return u[:i]
		}
		return strings.TrimRight(u, "/")
	}
	scheme := "http"
	if r != nil && r.TLS != nil {
		scheme = "https"
	}
	host := cfg.Listen
	if r != nil && r.Host != "" {
		host = r.Host
	}
	return scheme + "://" + host
}

func feedMeta(cfg *config.Config, r *http.Request, topic string, f feeds.Format) feeds.Meta {
	base := PublicBase(cfg, r)
	title := cfg.Feed.Title
	path := "/feed." + string(f)
	if topic != "" {
		path = "/topics/" + topic + "." + string(f)
		for _, t := range cfg.Topics {
			if t.Name == topic {
				title = t.Title
				if title == "" {
					title = cfg.Feed.Title + " : " + t.Name
				}
			}
		}
	}
	self := base + path
	if topic == "" && f == feeds.FormatAtom && cfg.Feed.URL != "" {
		self = cfg.Feed.URL
	}
	id := base + "/feed.atom"
	if topic == "" && cfg.Feed.URL != "" {
		id = cfg.Feed.URL
	} else if topic != "" {
		id = base + "/topics/" + topic + ".atom"
	}
	return feeds.Meta{Title: title, ID: id, SelfURL: self, HTMLURL: base + "/", Language: "fr"}
}

func notModified(r *http.Request, out *rendered) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		for _, tag := range strings.Split(inm, ",") {
			tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
			tag = strings.Replace(tag, `-gz"`, `"`, 1)
			if tag == out.etag || tag == "*" {
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
