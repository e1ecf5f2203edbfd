package feeds

import (
	"net/url"
	"strings"
	"unicode/utf8"
)

// Limits on what one entry republishes. A hostile or broken source can
// send a title of megabytes or a "link" that runs script in a reader; the
// merged feed carries neither.
const (
	// maxTitleRunes caps a title: far beyond any headline, and a Senate
	// question's title is a few hundred characters.
	maxTitleRunes = 1000
	// maxHTMLBytes caps each of an entry's summary and content before
	// sanitising: enough for a ministry's whole answer to a written
	// question (rarely over 20 KB), not for a hostile feed.
	maxHTMLBytes = 32 << 10
)

// publicURL returns s as a URI reference fit to publish when it is an
// absolute http or https URL, else "": javascript:, data:, relative and
// unparsable links are never published.
func publicURL(s string) string {
	s = strings.TrimSpace(cleanText(s))
	if s == "" {
		return ""
	}
	ref := uriRef(s)
	u, err := url.Parse(ref)
	if err != nil || u.Host == "" {
		return ""
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		return ref
	}
	return ""
}

// capTitle cuts a title longer than maxTitleRunes at a rune boundary and
// marks the cut with an ellipsis.
func capTitle(s string) string {
	if len(s) <= maxTitleRunes || utf8.RuneCountInString(s) <= maxTitleRunes {
		return s
	}
	return string([]rune(s)[:maxTitleRunes]) + "…"
}

// capHTML cuts an HTML fragment longer than maxHTMLBytes at a rune
// boundary; the sanitiser that runs next closes what the cut left open and
// drops a tag cut in half.
func capHTML(s string) string {
	if len(s) <= maxHTMLBytes {
		return s
	}
	cut := maxHTMLBytes
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
