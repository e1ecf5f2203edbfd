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
	"github.com/vigie-watch/vigie/internal/config"
	"github.com/vigie-watch/vigie/internal/watch"
)

// pageEntries is how many entries the page lists.
const pageEntries = 50

//go:embed page.html activity.html try.html
var pageFS embed.FS

var pageTemplate = template.Must(template.New("page.html").Funcs(template.FuncMap{
	"date":       frenchDate,
	"datetime":   func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
	"shortdate":  shortDate,
	"isodate":    func(t time.Time) string { return t.Format(time.DateOnly) },
	"trendWeeks": func() int { return trendWeeks },
	"sourceDays": func() int { return sourceDays },
	"tryDays":    func() int { return tryDays },
	"tryMax":     func() int { return tryMaxRunes },
}).ParseFS(pageFS, "page.html", "activity.html", "try.html"))

// feedGroup is one feed to subscribe to, in its three formats.
type feedGroup struct {
	Title             string
	Atom, RSS, JSON   string
	Keywords, Exclude []string
}

// altLink is an autodiscovery <link rel="alternate">.
type altLink struct {
	Title, Type, URL string
}

type entryView struct {
	Title, Link        string
	Source, SourceSite string
	Date               time.Time
	Excerpt            string
	Keywords           []string
}

type sourceView struct {
	Name, URL   string
	Status      string // ok, error, gone or waiting: the CSS class
	Label       string // the status in French
	Error       string
	LastSuccess time.Time
	Next        time.Time
	Items       int
}

type pageData struct {
	Title    string
	Updated  time.Time
	OPML     string // the sources, for feed readers
	Feeds    []feedGroup
	Alts     []altLink
	Entries  []entryView
	Total    int
	Sources  []sourceView
	Problems int
	Activity *activityView
	Try      tryForm
}

// page serves the HTML page for people: subscribe links, latest entries,
// sources and their health. It has no script.
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
	w.Header().Set("Cache-Control", "no-cache")
	writeHTML(w, http.StatusOK, buf.Bytes())
}

func (s *Server) pageData(ctx context.Context, r *http.Request) (*pageData, error) {
	cfg := s.engine.Config()
	base := PublicBase(cfg, r)
	tok := tokenQuery(cfg, r)
	d := &pageData{Title: cfg.Feed.Title, OPML: base + "/sources.opml" + tok}
	d.addFeed(base, tok, cfg.Feed.Title, "", cfg.Keywords, cfg.Exclude)
	for _, t := range cfg.Topics {
		d.addFeed(base, tok, FeedMeta(cfg, base, t.Name, feeds.FormatAtom).Title, t.Name, t.Keywords, t.Exclude)
	}
	entries, err := s.cache.cachedEntries(ctx, s.store, cfg, base, "")
	if err != nil {
		return nil, err
	}
	d.Total = len(entries)
	if len(entries) > 0 {
		d.Updated = newest(entries)
	}
	for _, e := range entries[:min(len(entries), pageEntries)] {
		d.Entries = append(d.Entries, newEntryView(e))
	}
	if d.Activity, err = s.activity(ctx, cfg, base, time.Now()); err != nil {
		return nil, err
	}
	d.Try = tryForm{Action: base + "/try", Token: tokenValue(cfg, r)}
	states, err := s.store.Sources(ctx)
	if err != nil {
		return nil, err
	}
	byName := map[string]watch.SourceState{}
	for _, st := range states {
		byName[st.Name] = st
	}
	for _, src := range cfg.Sources {
		v := newSourceView(src, byName[src.Name], s.engine.NextFetch(src.Name))
		if v.Status == "error" || v.Status == "gone" {
			d.Problems++
		}
		d.Sources = append(d.Sources, v)
	}
	return d, nil
}

// addFeed adds a feed to subscribe to and its autodiscovery links; tok is
// the query that lets a reader in, if any.
func (d *pageData) addFeed(base, tok, title, topic string, keywords, exclude []string) {
	g := feedGroup{
		Title:    title,
		Atom:     base + FeedPath(topic, feeds.FormatAtom) + tok,
		RSS:      base + FeedPath(topic, feeds.FormatRSS) + tok,
		JSON:     base + FeedPath(topic, feeds.FormatJSON) + tok,
		Keywords: keywords,
		Exclude:  exclude,
	}
	d.Feeds = append(d.Feeds, g)
	d.Alts = append(d.Alts,
		altLink{title + " (Atom)", "application/atom+xml", g.Atom},
		altLink{title + " (RSS)", "application/rss+xml", g.RSS},
		altLink{title + " (JSON Feed)", "application/feed+json", g.JSON},
	)
}

func newEntryView(e watch.Entry) entryView {
	v := entryView{
		Title: e.Title, Link: e.Link,
		Source: e.Source, SourceSite: e.SourceSite,
		Date:     e.Published,
		Keywords: e.Keywords,
		Excerpt:  excerpt(e.Summary, e.Content),
	}
	if v.Date.IsZero() {
		v.Date = e.Updated
	}
	if v.Title == "" {
		v.Title = "(sans titre)"
	}
	return v
}

// newSourceView describes a source's health in French. A state stored for
// another URL (the source was edited) is not this source's.
func newSourceView(src config.Source, st watch.SourceState, next time.Time) sourceView {
	v := sourceView{Name: src.Name, URL: src.URL}
	if st.URL != "" && st.URL != src.URL {
		st = watch.SourceState{}
	}
	v.LastSuccess, v.Items = st.LastSuccess, st.ItemsSeen
	switch {
	case st.Gone:
		v.Status, v.Label = "gone", "suspendue après 410"
		v.Error = "la source a répondu 410 Gone : vigie ne la collecte plus ; corrigez son adresse dans la configuration"
	case st.LastError != "":
		v.Status, v.Label, v.Error = "error", "en erreur", st.LastError
	case !st.LastSuccess.IsZero():
		v.Status, v.Label = "ok", "ok"
	default:
		v.Status, v.Label = "waiting", "en attente"
	}
	if !st.Gone {
		v.Next = next
		if !next.IsZero() && st.NextAttempt.After(next) {
			v.Next = st.NextAttempt // backing off after failures
		}
	}
	return v
}
