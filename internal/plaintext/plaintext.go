// Package plaintext turns the HTML that sources send (feed summaries and
// contents, article pages) into the plain text that vigie matches, shows
// and quotes, and shortens that text for display.
//
// One set of rules, used by the matcher, the feed renderer, the HTML page
// and the command line, so that the words a reader sees are the words that
// matched:
//
//   - A tag separates words: "<b>VSA</b>x" gives "VSA x". A '<' that does
//     not open a tag ("1 < 2", "a<b") is text.
//   - Comments and the contents of the [DroppedElements] (script, style) are
//     dropped, as are CDATA sections, doctypes and processing instructions.
//   - Character references (&nbsp;, &eacute;, &#8217;) are decoded after
//     the tags are removed, so "&lt;b&gt;" stays text.
//   - Every run of white space and control characters (no-break and thin
//     spaces, tabs, line breaks) becomes one ASCII space; the text is
//     trimmed. Invalid UTF-8 becomes U+FFFD.
//
// Plain text goes through the same rules unchanged, but for its spaces.
package plaintext

import (
	"html"
	"strings"
	"unicode"
)

// FromHTML returns the plain text of an HTML fragment or page, or of plain
// text, by the rules of the package comment.
func FromHTML(s string) string {
	if strings.IndexByte(s, '<') >= 0 {
		s = string(stripTags(make([]byte, 0, len(s)), s))
	}
	if strings.IndexByte(s, '&') >= 0 {
		s = html.UnescapeString(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}
