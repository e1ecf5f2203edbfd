package server

import (
	"bytes"
	"cmp"
	"context"
	"encoding/xml"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/vigie-watch/vigie/internal/config"
)

// OPMLContentType is the media type of /sources.opml.
const OPMLContentType = "text/x-opml; charset=utf-8"

type opmlDoc struct {
	XMLName xml.Name    `xml:"opml"`
	Version string      `xml:"version,attr"`
	Title   string      `xml:"head>title"`
	Docs    string      `xml:"head>docs"`
	Body    opmlOutline `xml:"body>outline"`
}

// opmlOutline is an OPML 2.0 outline: a feed (type rss, xmlUrl), a page
// (htmlUrl) or a folder of outlines.
type opmlOutline struct {
	Text     string        `xml:"text,attr"`
	Title    string        `xml:"title,attr,omitempty"`
	Type     string        `xml:"type,attr,omitempty"`
	XMLURL   string        `xml:"xmlUrl,attr,omitempty"`
	HTMLURL  string        `xml:"htmlUrl,attr,omitempty"`
	Outlines []opmlOutline `xml:"outline"`
}

// RenderOPML lists the sources of cfg as OPML 2.0, for feed readers to
// import beside the merged feed. sites gives the home page of a source by
// name when known (it may be nil). A senat-questions source is no feed: its
// outline has no xmlUrl, only htmlUrl, its page (or its export while vigie
// has not read it yet).
func RenderOPML(cfg *config.Config, sites map[string]string) ([]byte, error) {
	folder := opmlOutline{Text: "Sources de " + cfg.Feed.Title, Title: "Sources de " + cfg.Feed.Title}
	for _, src := range cfg.Sources {
		o := opmlOutline{Text: src.Name, Title: src.Name}
		if src.Type == config.TypeSenateQuestion {
			// Readers subscribe to url as well as xmlUrl: only htmlUrl.
			o.HTMLURL = cmp.Or(sites[src.Name], src.URL)
		} else {
			o.Type, o.XMLURL, o.HTMLURL = "rss", src.URL, sites[src.Name]
		}
		folder.Outlines = append(folder.Outlines, o)
	}
	doc := opmlDoc{Version: "2.0", Title: "Sources de " + cfg.Feed.Title, Docs: "https://opml.org/spec2.opml", Body: folder}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("render opml: %w", err)
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

// sourcesOPML serves /sources.opml.
func (s *Server) sourcesOPML(w http.ResponseWriter, r *http.Request) {
	cfg := s.engine.Config()
	body, err := RenderOPML(cfg, s.sites(r.Context()))
	if err != nil {
		s.log.Error("render opml", slog.Any("error", err))
		http.Error(w, "sources unavailable, see the server log", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", OPMLContentType)
	h.Set("Content-Disposition", `inline; filename="sources.opml"`)
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Content-Type-Options", "nosniff")
	w.Write(body)
}

// sites returns the home pages of the sources the engine knows, by name;
// a failure only costs the links.
func (s *Server) sites(ctx context.Context) map[string]string {
	health, err := s.engine.Health(ctx)
	if err != nil {
		s.log.Warn("load sources for opml", slog.Any("error", err))
		return nil
	}
	out := make(map[string]string, len(health))
	for _, h := range health {
		if h.State.SiteURL != "" {
			out[h.Name] = h.State.SiteURL
		}
	}
	return out
}
