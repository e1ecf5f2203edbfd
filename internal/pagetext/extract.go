// Package pagetext turns the HTML page an item links to into the article's
// own text, and finds the passages of that text where keywords occur.
//
// Only the article counts: a news page is mostly chrome (consent banner,
// menus, trending topics, "read also" links, a block of unrelated video
// headlines, comments, footer, JSON-LD, meta keywords, scripts), and those
// often carry the very words a watch looks for. Extraction therefore
// works in this order:
//
//  1. the body is decoded to UTF-8 (BOM, HTTP header, <meta charset>);
//  2. elements that are chrome by their HTML semantics are dropped
//     (script, style, nav, aside, footer, forms, dialogs, ARIA landmarks
//     other than main, hidden elements); <meta> and JSON-LD are never read;
//  3. with a CSS selector (a source's full_text_selector), the text of
//     the elements it selects; without one, what Mozilla's Readability
//     algorithm (codeberg.org/readeck/go-readability) finds as the main
//     content, with its length threshold lowered so that a short article
//     is not re-read with looser rules that let navigation in.
package pagetext

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"mime"
	"net/url"
	"strings"
	"unicode/utf8"

	"codeberg.org/readeck/go-readability/v2"
	"codeberg.org/readeck/go-readability/v2/render"
	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"
	"github.com/vigie-watch/vigie/internal/decode"
	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
)

var (
	// ErrNotHTML is returned for a page that is not an HTML document.
	ErrNotHTML = errors.New("not an HTML page")
	// ErrNoText is returned when a page has no article text: a consent or
	// paywall stub, a page of links, or a selector that selects nothing.
	ErrNoText = errors.New("no article text found")
)

// minText is the least text, in bytes, taken as an article. Shorter
// extractions are consent or paywall stubs.
const minText = 80

// readabilityThreshold replaces Readability's 500 characters: below it,
// Readability retries with looser rules, which on a short article keep the
// menus and headline lists around it.
const readabilityThreshold = 140

// chrome selects the elements that are never the article's text.
const chrome = "script, style, noscript, template, iframe, svg, canvas, object, embed, " +
	"nav, aside, footer, form, dialog, button, select, " +
	"[role=navigation], [role=banner], [role=contentinfo], [role=complementary], " +
	"[role=dialog], [role=alertdialog], [role=search], [aria-modal=true], [hidden], [aria-hidden=true]"

// Selector is a compiled CSS selector for the article's text.
type Selector struct {
	src string
	sel cascadia.Selector
}

// CompileSelector compiles a CSS selector, as a source's full_text_selector.
func CompileSelector(css string) (*Selector, error) {
	sel, err := cascadia.Compile(css)
	if err != nil {
		return nil, fmt.Errorf("invalid CSS selector %q: %w", css, err)
	}
	return &Selector{src: css, sel: sel}, nil
}

// String returns the selector as written.
func (s *Selector) String() string { return s.src }

// Extract returns the main text of an HTML page: paragraphs separated by
// blank lines, spaces collapsed. contentType is the HTTP header (it may be
// empty); pageURL resolves relative links; sel may be nil.
func Extract(body []byte, contentType, pageURL string, sel *Selector) (string, error) {
	if !isHTML(body, contentType) {
		return "", fmt.Errorf("%w: %s", ErrNotHTML, cmp.Or(contentType, "unknown type"))
	}
	body, err := pageToUTF8(body, contentType)
	if err != nil {
		return "", err
	}
	doc, err := html.Parse(bytes.NewReader(body))
	if err != nil {
		return "", fmt.Errorf("parse page: %w", err)
	}
	gq := goquery.NewDocumentFromNode(doc)
	gq.Find(chrome).Remove()
	removeComments(doc)

	var text string
	if sel != nil {
		text = selected(gq, sel)
	} else {
		text, err = mainText(doc, pageURL)
		if err != nil {
			return "", err
		}
	}
	text = tidy(text)
	if len(text) < minText {
		return "", fmt.Errorf("%w (%d bytes of text)", ErrNoText, len(text))
	}
	return text, nil
}

func selected(doc *goquery.Document, sel *Selector) string {
	var b strings.Builder
	doc.FindMatcher(sel.sel).Each(func(_ int, s *goquery.Selection) {
		for _, n := range s.Nodes {
			if b.Len() > 0 {
				b.WriteString("\n\n")
			}
			b.WriteString(render.InnerText(n))
		}
	})
	return b.String()
}

func mainText(doc *html.Node, pageURL string) (string, error) {
	u, _ := url.Parse(pageURL)
	p := readability.NewParser()
	p.CharThresholds = readabilityThreshold
	p.DisableJSONLD = true
	art, err := p.ParseAndMutate(doc, u)
	if err != nil {
		return "", fmt.Errorf("extract article: %w", err)
	}
	if art.Node == nil {
		return "", ErrNoText
	}
	return render.InnerText(art.Node), nil
}

// tidy collapses the spaces of each line and keeps at most one blank line
// between paragraphs.
func tidy(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	blank := false
	for line := range strings.Lines(s) {
		line = strings.Join(strings.Fields(line), " ")
		if line == "" {
			blank = b.Len() > 0
			continue
		}
		if b.Len() > 0 {
			if blank {
				b.WriteString("\n\n")
			} else {
				b.WriteByte('\n')
			}
		}
		blank = false
		b.WriteString(line)
	}
	return b.String()
}

func removeComments(n *html.Node) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		if c.Type == html.CommentNode {
			n.RemoveChild(c)
		} else {
			removeComments(c)
		}
		c = next
	}
}

// isHTML reports whether a body is an HTML page: by its declared type, or,
// when the type is missing or generic, by its first bytes.
func isHTML(body []byte, contentType string) bool {
	mt, _, _ := mime.ParseMediaType(contentType)
	switch mt {
	case "text/html", "application/xhtml+xml":
		return true
	case "", "application/octet-stream", "text/plain":
		head := bytes.ToLower(bytes.TrimLeft(body[:min(len(body), 512)], "\ufeff \t\r\n"))
		return bytes.HasPrefix(head, []byte("<!doctype html")) || bytes.HasPrefix(head, []byte("<html"))
	}
	return false
}

// pageToUTF8 returns an HTML body as UTF-8. Bytes that are valid UTF-8 are
// trusted whatever is declared (the Senate declares Latin-9 and sometimes
// sends UTF-8); otherwise the charset comes from the byte order mark, the
// HTTP header or the page's <meta>, else windows-1252, and with a
// single-byte charset the runs of UTF-8 inside are kept, as feeds keep
// them (decode.Mixed).
func pageToUTF8(body []byte, contentType string) ([]byte, error) {
	if utf8.Valid(body) {
		return bytes.TrimPrefix(body, []byte("\ufeff")), nil
	}
	enc, name, _ := charset.DetermineEncoding(body, contentType)
	if e, err := htmlindex.Get(name); err == nil { // enc wraps it
		if cm, ok := e.(*charmap.Charmap); ok {
			return decode.Mixed(cm, body), nil
		}
	}
	out, err := enc.NewDecoder().Bytes(body)
	if err != nil {
		return nil, fmt.Errorf("decode page: %w", err)
	}
	return out, nil
}
