package main

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/vigie-watch/vigie/aggregator"
	"github.com/vigie-watch/vigie/internal/config"
	"github.com/vigie-watch/vigie/internal/crawl"
	"github.com/vigie-watch/vigie/internal/fetch"
	"github.com/vigie-watch/vigie/internal/pagetext"
)

// matchURL fetches one page as a full-text source would (robots.txt
// honoured, same client and limits), extracts its main text, and prints
// what would be matched and what matches: the way to check a site's
// extraction, and its selector.
func matchURL(ctx context.Context, cfg *config.Config, rules *aggregator.Rules, pageURL, selector string, w io.Writer) error {
	if selector == "" {
		selector = hostSelector(cfg, pageURL)
	}
	var sel *pagetext.Selector
	if selector != "" {
		var err error
		if sel, err = pagetext.CompileSelector(selector); err != nil {
			return err
		}
	}
	client := fetch.NewClient(fetch.ClientOptions{UserAgent: userAgent(), MaxBodyBytes: cfg.MaxBodyBytes})
	ctx, cancel := context.WithTimeout(ctx, cfg.Timeout.D())
	defer cancel()
	resp, err := crawl.New(client, crawl.Options{}).Get(ctx, pageURL)
	if err != nil {
		return err
	}
	text, err := pagetext.Extract(resp.Body, resp.ContentType, resp.URL, sel)
	if err != nil {
		return fmt.Errorf("%s: %w", pageURL, err)
	}
	how := "automatic (Readability)"
	if sel != nil {
		how = "selector " + sel.String()
	}
	fmt.Fprintf(w, "url:       %s\n", resp.URL)
	fmt.Fprintf(w, "extracted: %d characters, %s\n", len(text), how)
	res := rules.Explain(text)
	explain(w, res)
	for _, p := range pagetext.Passages(text, res.Keywords) {
		fmt.Fprintf(w, "passage:   %s\n", p)
	}
	fmt.Fprintf(w, "\n%s\n", text)
	return nil
}

// hostSelector is the full_text_selector of the first full-text source
// whose feed is on the page's host, "" when none has one.
func hostSelector(cfg *config.Config, pageURL string) string {
	u, err := url.Parse(pageURL)
	if err != nil {
		return ""
	}
	for _, s := range cfg.Sources {
		su, err := url.Parse(s.URL)
		if err == nil && s.FullText && s.FullTextSelector != "" && strings.EqualFold(su.Hostname(), u.Hostname()) {
			return s.FullTextSelector
		}
	}
	return ""
}
