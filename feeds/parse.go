package feeds

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"html"
	"net/url"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"
	"github.com/vigie-watch/vigie/internal/watch"
)

// ErrNotFeed is wrapped by Parse's error when the body is not a feed it
// can read: an HTML page, broken XML, an empty body.
var ErrNotFeed = errors.New("not a feed")

// Parse reads an RSS (0.9x, 1.0/RDF, 2.0), Atom or JSON Feed document.
// contentType is the HTTP header, used only for its charset (see ToUTF8);
// feedURL resolves relative links when neither xml:base nor the feed's own
// link does. watch.Item dates later than now plus ten minutes are set to now.
//
// A numeric character reference to a character XML forbids (&#0;) is
// dropped, as readers do, and counted in Feed.BadCharRefs.
//
// Items get a GUID even when the source gives none: the link, else a hash
// of title and date. Items with no GUID, link or title are dropped. Titles
// are trimmed, their whitespace runs collapsed and entities decoded;
// Summary and Content keep their HTML as the source gave it.
func Parse(body []byte, contentType, feedURL string, now time.Time) (*Feed, error) {
	text, err := ToUTF8(body, contentType)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNotFeed, err)
	}
	badRefs := 0
	if looksXML(text) {
		if err := checkXMLShape(text); err != nil {
			return nil, fmt.Errorf("%w: %w: refused before parsing %s", ErrNotFeed, err, feedURL)
		}
		text, badRefs = dropBadCharRefs(text)
	}
	gf, err := parseGofeed(text)
	if err != nil {
		return nil, err
	}

	base, _ := url.Parse(strings.TrimSpace(feedURL))
	feed := &Feed{Title: cleanTitle(gf.Title), BadCharRefs: badRefs}
	if link := resolveLink(base, gf.Link); link != "" {
		feed.Link = link
		if u, err := url.Parse(link); err == nil && u.IsAbs() {
			base = u
		}
	}
	feed.Items = make([]watch.Item, 0, len(gf.Items))
	for _, gi := range gf.Items {
		if gi == nil {
			continue
		}
		if it, ok := toItem(gi, base, now); ok {
			feed.Items = append(feed.Items, it)
		}
	}
	return feed, nil
}

// parseGofeed runs gofeed on a UTF-8 document. gofeed reads untrusted
// input: a panic inside it is turned into an error rather than taking the
// daemon down.
func parseGofeed(text []byte) (gf *gofeed.Feed, err error) {
	defer func() {
		if r := recover(); r != nil {
			gf, err = nil, fmt.Errorf("%w: parser panic: %v", ErrNotFeed, r)
		}
	}()
	p := gofeed.NewParser()
	p.RSSTranslator = &gofeed.DefaultRSSTranslator{DisableContentImageScan: true}
	p.AtomTranslator = &gofeed.DefaultAtomTranslator{}
	gf, err = p.Parse(bytes.NewReader(text))
	switch {
	case errors.Is(err, gofeed.ErrFeedTypeNotDetected):
		return nil, fmt.Errorf("%w: %s", ErrNotFeed, describe(text))
	case err != nil:
		return nil, fmt.Errorf("%w: %w", ErrNotFeed, err)
	case gf == nil:
		return nil, fmt.Errorf("%w: empty result", ErrNotFeed)
	case gf.FeedType == "json" && !strings.Contains(gf.FeedVersion, "jsonfeed.org/version/"):
		return nil, fmt.Errorf("%w: JSON without a JSON Feed version", ErrNotFeed)
	}
	return gf, nil
}

// looksXML reports whether a document starts, after spaces and a byte
// order mark, with markup rather than JSON.
func looksXML(text []byte) bool {
	text = bytes.TrimLeft(bytes.TrimPrefix(text, []byte("\uFEFF")), " \t\r\n")
	return len(text) > 0 && text[0] == '<'
}

// describe says what a body that is not a feed looks like.
func describe(text []byte) string {
	head := bytes.ToLower(text[:min(len(text), 1024)])
	switch {
	case len(bytes.TrimSpace(text)) == 0:
		return "empty body"
	case bytes.Contains(head, []byte("<html")) || bytes.Contains(head, []byte("<!doctype html")):
		return "an HTML page, not RSS, Atom or JSON Feed"
	}
	return "unknown format, not RSS, Atom or JSON Feed"
}

// toItem maps a gofeed item; ok is false for an item with nothing to
// identify it.
func toItem(gi *gofeed.Item, base *url.URL, now time.Time) (watch.Item, bool) {
	link := resolveLink(base, gi.Link)
	for _, l := range gi.Links {
		if link != "" {
			break
		}
		link = resolveLink(base, l)
	}
	it := watch.Item{
		GUID:       strings.TrimSpace(gi.GUID),
		Link:       link,
		Title:      cleanTitle(gi.Title),
		Summary:    gi.Description,
		Content:    gi.Content,
		Author:     author(gi),
		Categories: categories(gi.Categories),
		Published:  itemDate(gi.PublishedParsed, gi.Published, now),
		Updated:    itemDate(gi.UpdatedParsed, gi.Updated, now),
	}
	if it.GUID == "" && it.Link == "" && it.Title == "" {
		return watch.Item{}, false
	}
	if it.GUID == "" {
		it.GUID = it.Link
	}
	if it.GUID == "" {
		it.GUID = hashGUID(it.Title, cmp.Or(gi.Published, gi.Updated))
	}
	return it, true
}

// itemDate returns gofeed's date, else its own reading of raw, in UTC and
// clamped to now; zero when there is no usable date.
func itemDate(parsed *time.Time, raw string, now time.Time) time.Time {
	var t time.Time
	if parsed != nil {
		t = *parsed
	} else if d, err := ParseDate(raw); err == nil {
		t = d
	}
	if t.IsZero() {
		return t
	}
	return clampDate(t.UTC(), now)
}

// resolveLink makes ref absolute against base; a ref that cannot be parsed
// is returned trimmed.
func resolveLink(base *url.URL, ref string) string {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return ""
	}
	u, err := url.Parse(ref)
	if err != nil || u.IsAbs() || base == nil {
		return ref
	}
	return base.ResolveReference(u).String()
}

// cleanTitle decodes entities left in a title (CDATA titles often carry
// &nbsp; or &amp;) and collapses line breaks and runs of spaces. No-break
// spaces stay: they are French typography.
func cleanTitle(s string) string {
	if strings.IndexByte(s, '&') >= 0 {
		s = html.UnescapeString(s)
	}
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f' || r == '\v'
	}), " ")
}

func author(gi *gofeed.Item) string {
	people := gi.Authors
	if len(people) == 0 && gi.Author != nil {
		people = []*gofeed.Person{gi.Author}
	}
	names := make([]string, 0, len(people))
	for _, p := range people {
		if p == nil {
			continue
		}
		if n := strings.TrimSpace(cmp.Or(p.Name, p.Email)); n != "" {
			names = append(names, n)
		}
	}
	return strings.Join(names, ", ")
}

// categories trims, drops empty and repeated categories, keeping order.
func categories(in []string) []string {
	var out []string
	seen := make(map[string]bool, len(in))
	for _, c := range in {
		c = strings.TrimSpace(c)
		if c == "" || seen[c] {
			continue
		}
		seen[c] = true
		out = append(out, c)
	}
	return out
}

// hashGUID identifies an item that has neither GUID nor link.
func hashGUID(title, date string) string {
	sum := sha256.Sum256([]byte(title + "\x00" + date))
	return "urn:vigie:sha256:" + hex.EncodeToString(sum[:16])
}
