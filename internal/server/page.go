package server

import (
	"bytes"
	"context"
	"embed"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"time"

	"github.com/vigie-watch/vigie/feeds"
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
	Passage            *watch.Passage // shown instead of the excerpt: why the page matched
	Keywords           []string
}

type sourceView struct {
	Name, URL   string
	Status      string // the CSS class: ok, error, gone or waiting
	Label       string // the status in French
	Error       string
	PageError   string // pages of its items that could not be read: not the source's failure
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
	base := PublicBase(cfg)
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
	health, err := s.engine.Health(ctx)
	if err != nil {
		return nil, err
	}
	for _, h := range health {
		if h.Status.Problem() {
			d.Problems++
		}
		d.Sources = append(d.Sources, newSourceView(h))
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
	if len(e.Passages) > 0 {
		v.Passage = &e.Passages[0]
	}
	if v.Date.IsZero() {
		v.Date = e.Updated
	}
	if v.Title == "" {
		v.Title = "(sans titre)"
	}
	return v
}

// newSourceView describes a source's health in French.
func newSourceView(h watch.Health) sourceView {
	v := sourceView{
		Name: h.Name, URL: h.URL,
		Status:      statusClass[h.Status],
		Label:       statusLabel[h.Status],
		LastSuccess: h.State.LastSuccess,
		Items:       h.State.ItemsSeen,
		Next:        h.Next,
	}
	if h.State.PagesFailed > 0 {
		v.PageError = fmt.Sprintf("%d page(s) d'articles illisible(s) : %s", h.State.PagesFailed, h.State.LastPageError)
	}
	switch h.Status {
	case watch.StatusGone:
		v.Error = "la source a répondu 410 Gone : vigie ne la collecte plus ; corrigez son adresse dans la configuration"
	case watch.StatusFailing:
		v.Error = h.State.LastError
	}
	return v
}

// statusClass is the CSS class of each status on the page.
var statusClass = map[watch.Status]string{
	watch.StatusOK:           "ok",
	watch.StatusFailing:      "error",
	watch.StatusGone:         "gone",
	watch.StatusNeverFetched: "waiting",
}

// statusLabel is each status in French.
var statusLabel = map[watch.Status]string{
	watch.StatusOK:           "ok",
	watch.StatusFailing:      "en erreur",
	watch.StatusGone:         "suspendue après 410",
	watch.StatusNeverFetched: "en attente",
}
