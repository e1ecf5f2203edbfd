// Package server serves vigie over HTTP: the merged feed in three formats,
// the topic feeds, a page for people, health and metrics.
package server

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/vigie-watch/vigie/feeds"
	"github.com/vigie-watch/vigie/internal/config"
	"github.com/vigie-watch/vigie/internal/watch"
)

// Store is what the server reads.
type Store interface {
	EntryReader
	// Generation changes whenever the published entries may have changed.
	Generation() int64
	Ping(ctx context.Context) error
}

// Engine is what the server asks of the running aggregator.
type Engine interface {
	Config() *config.Config
	// Health is the health of every configured source, in config order.
	Health(ctx context.Context) ([]watch.Health, error)
	Running() bool
}

// Server holds the handlers and the cache of rendered feeds.
type Server struct {
	store   Store
	engine  Engine
	log     *slog.Logger
	metrics http.Handler
	cache   *renderCache
	guard   *guard

	fetchLog      *FetchLog
	trial         *trial
	activityCache activityCache
}

// Options configures a Server.
type Options struct {
	Logger  *slog.Logger
	Metrics http.Handler // served at /metrics when set
	// FetchLog holds the recent fetches the page shows; the engine's
	// observer must feed it.
	FetchLog *FetchLog
}

// New returns a Server reading st and eng.
func New(st Store, eng Engine, opts Options) *Server {
	s := &Server{store: st, engine: eng, log: opts.Logger, metrics: opts.Metrics, cache: newRenderCache(), guard: newGuard(),
		fetchLog: opts.FetchLog, trial: newTrial()}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	return s
}

// Handler returns the HTTP routes, behind the config's auth.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /feed.atom", s.feed(feeds.FormatAtom))
	mux.HandleFunc("GET /feed.rss", s.feed(feeds.FormatRSS))
	mux.HandleFunc("GET /feed.json", s.feed(feeds.FormatJSON))
	mux.HandleFunc("GET /topics/{file}", s.topicFeed)
	mux.HandleFunc("GET /sources.opml", s.sourcesOPML)
	mux.HandleFunc("GET /try", s.try)
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /{$}", s.page)
	if s.metrics != nil {
		mux.Handle("GET /metrics", s.metrics)
	}
	return s.guard.authorize(s.engine.Config, mux)
}

// HTTPServer returns an http.Server for addr with sane timeouts.
func (s *Server) HTTPServer(addr string) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           s.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if err := s.store.Ping(ctx); err != nil {
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("database: " + err.Error() + "\n"))
		return
	}
	if !s.engine.Running() {
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("scheduler: not running\n"))
		return
	}
	w.Write([]byte("ok\n"))
}
