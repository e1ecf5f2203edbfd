package feeds

import (
	"bytes"
	"encoding/json"
	"fmt"

	gfeeds "github.com/gorilla/feeds"
	"github.com/vigie-watch/vigie/internal/watch"
)

// jsonFeed extends gorilla's JSONFeed to JSON Feed 1.1: its items shadow
// gorilla's and "items" is always present, even empty.
type jsonFeed struct {
	*gfeeds.JSONFeed
	Items []*jsonItem `json:"items"`
}

// jsonItem adds the 1.1 item language and a "_source" extension object
// (JSON Feed lets publishers extend with keys that start with "_").
type jsonItem struct {
	*gfeeds.JSONItem
	Language string      `json:"language,omitempty"`
	Source   *jsonSource `json:"_source,omitempty"`
}

type jsonSource struct {
	Title       string `json:"title,omitempty"`
	FeedURL     string `json:"feed_url,omitempty"`
	HomePageURL string `json:"home_page_url,omitempty"`
}

// RenderJSON renders the merged feed as JSON Feed 1.1. content_html holds
// the sanitised content, or the summary when there is none; summary is
// plain text.
func RenderJSON(meta Meta, entries []watch.Entry) ([]byte, error) {
	p, err := prepare(meta, entries)
	if err != nil {
		return nil, fmt.Errorf("render json: %w", err)
	}
	base := (&gfeeds.JSON{Feed: p.gorilla()}).JSONFeed()
	base.HomePageUrl = p.meta.HTMLURL
	base.FeedUrl = p.meta.SelfURL
	base.Language = p.meta.Language
	base.Description = ""
	base.Author = nil // deprecated in 1.1; Authors stays
	out := jsonFeed{JSONFeed: base, Items: make([]*jsonItem, 0, len(base.Items))}
	for i, gi := range base.Items {
		e := p.entries[i]
		gi.Author = nil
		gi.Summary = e.summaryText
		if gi.ContentHTML == "" {
			gi.ContentHTML = e.Summary
		}
		if gi.ContentHTML == "" {
			gi.ContentText = e.Title // JSON Feed requires one of the two
		}
		it := &jsonItem{JSONItem: gi, Language: p.meta.Language}
		if e.Source != "" || e.SourceURL != "" {
			it.Source = &jsonSource{Title: e.Source, FeedURL: e.SourceURL, HomePageURL: e.SourceSite}
		}
		gi.Tags = e.Keywords
		out.Items = append(out.Items, it)
	}
	base.Items = nil
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return nil, fmt.Errorf("render json: encode: %w", err)
	}
	return buf.Bytes(), nil
}
