package server

import (
	"bytes"
	"context"
	"embed"
	"html/template"
	"log/slog"
	"net/http"
	"time"

	"github.com/vigie-watch/vigie/feeds"
	"github.com/vigie-watch/vigie/internal/store"
)

//go:embed page.html
var pageFS embed.FS

var pageTemplate = template.Must(template.New("page.html").Funcs(template.FuncMap{
	"date": func(t time.Time) string {
		if t.IsZero() {
			return "—"
		}
		return t.In(paris()).Format("02/01/2006 15:04")
	},
}).ParseFS(pageFS, "page.html"))

func paris() *time.Location {
	if loc, err := time.LoadLocation("Europe/Paris"); err == nil {
		return loc
	}
	return time.UTC
}

type feedLink struct {
	Title, URL, Type string
}

type sourceView struct {
	Name, URL string
	State     store.SourceState
	Next      time.Time
	Healthy   bool
}

type pageData struct {
	Title   string
	Feeds   []feedLink
	Entries []feeds.Entry
	Sources []sourceView
}

// page serves the HTML page for people: subscribe links, latest entries,
// sources and their health.
func (s *Server) page(w http.ResponseWriter, r *http.Request) {
	data, err := s.pageData(r.Context(), r)
	if err != nil {
		s.log.Error("render page", slog.Any("error", err))
		http.Error(w, "page unavailable, see the server log", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := pageTemplate.Execute(&buf, data); err != nil {
		s.log.Error("render page", slog.Any("error", err))
		http.Error(w, "page unavailable, see the server log", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(buf.Bytes())
}

func (s *Server) pageData(ctx context.Context, r *http.Request) (*pageData, error) {
	cfg := s.engine.Config()
	base := PublicBase(cfg, r)
	d := &pageData{Title: cfg.Feed.Title}
	d.Feeds = append(d.Feeds,
		feedLink{cfg.Feed.Title + " (Atom)", base + "/feed.atom", "application/atom+xml"},
		feedLink{cfg.Feed.Title + " (RSS)", base + "/feed.rss", "application/rss+xml"},
		feedLink{cfg.Feed.Title + " (JSON Feed)", base + "/feed.json", "application/feed+json"},
	)
	for _, t := range cfg.Topics {
		title := t.Title
		if title == "" {
			title = t.Name
		}
		d.Feeds = append(d.Feeds, feedLink{title + " (Atom)", base + "/topics/" + t.Name + ".atom", "application/atom+xml"})
	}
	entries, err := s.store.Entries(ctx, "", min(cfg.Feed.MaxEntries, 50))
	if err != nil {
		return nil, err
	}
	d.Entries = entries
	states, err := s.store.Sources(ctx)
	if err != nil {
		return nil, err
	}
	byName := map[string]store.SourceState{}
	for _, st := range states {
		byName[st.Name] = st
	}
	for _, src := range cfg.Sources {
		st := byName[src.Name]
		d.Sources = append(d.Sources, sourceView{
			Name: src.Name, URL: src.URL, State: st,
			Next:    s.engine.NextFetch(src.Name),
			Healthy: st.LastError == "" && !st.LastSuccess.IsZero(),
		})
	}
	return d, nil
}
