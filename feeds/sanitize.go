package feeds

import (
	"net/url"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/microcosm-cc/bluemonday"
	nethtml "golang.org/x/net/html"
)

// ugcPolicy is the HTML policy for summaries and contents, built once and
// never changed after: a bluemonday.Policy is safe for concurrent use once
// built. Plain text comes from plaintext.FromHTML, not from a policy.
var ugcPolicy = sync.OnceValue(func() *bluemonday.Policy {
	ugc := bluemonday.UGCPolicy()
	// External links get rel="nofollow noopener" and target="_blank";
	// relative ones (resolved later against the entry link) get nofollow.
	ugc.RequireNoFollowOnLinks(true)
	ugc.AddTargetBlankToFullyQualifiedLinks(true)
	ugc.AddSpaceWhenStrippingTag(true)
	return ugc
})

// SanitizeHTML returns s with anything active removed, following a
// user-generated-content policy: no script, style, iframe, form or object
// elements, no event-handler or style attributes, no javascript: or data:
// URLs. Links are kept with rel="nofollow" (and "noopener" plus
// target="_blank" when they point to another site), images are kept.
// Characters that XML 1.0 forbids or discourages are dropped.
func SanitizeHTML(s string) string {
	return sanitizeHTML(s, nil)
}

// sanitizeHTML is SanitizeHTML, then relative href, src and cite URLs are
// made absolute against base (the article's link) when base is not nil,
// since the merged feed is read far from the article's site.
func sanitizeHTML(s string, base *url.URL) string {
	s = cleanText(s)
	if strings.TrimSpace(s) == "" {
		return ""
	}
	out := ugcPolicy().Sanitize(s)
	if base != nil {
		out = resolveRefs(out, base)
	}
	return strings.TrimSpace(out)
}

// baseURL parses link as the base for relative references, or returns nil
// when link is not an absolute http(s) URL.
func baseURL(link string) *url.URL {
	u, err := url.Parse(link)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil
	}
	return u
}

// resolveRefs rewrites relative URLs in the href, src and cite attributes
// of already sanitised HTML. Tokens it does not change are copied as they
// came, byte for byte.
func resolveRefs(s string, base *url.URL) string {
	if !hasRelativeRef(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 64)
	z := nethtml.NewTokenizer(strings.NewReader(s))
	for {
		tt := z.Next()
		if tt == nethtml.ErrorToken {
			break // io.EOF: sanitised input cannot fail otherwise
		}
		raw := z.Raw()
		if tt != nethtml.StartTagToken && tt != nethtml.SelfClosingTagToken {
			b.Write(raw)
			continue
		}
		tok := z.Token()
		changed := false
		for i, a := range tok.Attr {
			if a.Key != "href" && a.Key != "src" && a.Key != "cite" {
				continue
			}
			ref, err := url.Parse(strings.TrimSpace(a.Val))
			if err != nil || ref.IsAbs() {
				continue
			}
			tok.Attr[i].Val = base.ResolveReference(ref).String()
			changed = true
		}
		if changed {
			b.WriteString(tok.String())
		} else {
			b.Write(raw)
		}
	}
	return b.String()
}

// hasRelativeRef reports whether sanitised HTML may hold a relative URL.
// bluemonday writes every attribute as key="value", which this relies on;
// a false positive only costs a tokenisation.
func hasRelativeRef(s string) bool {
	for _, attr := range []string{` href="`, ` src="`, ` cite="`} {
		rest := s
		for {
			i := strings.Index(rest, attr)
			if i < 0 {
				break
			}
			rest = rest[i+len(attr):]
			if !strings.HasPrefix(rest, "https://") && !strings.HasPrefix(rest, "http://") && !strings.HasPrefix(rest, "mailto:") {
				return true
			}
		}
	}
	return false
}

// cleanText drops the characters that XML 1.0 forbids (C0 controls other
// than tab, line feed and carriage return, U+FFFE, U+FFFF) or discourages
// (DEL and the C1 controls, which in practice are mojibake), and replaces
// invalid UTF-8 with U+FFFD. Valid text is returned without copying.
func cleanText(s string) string {
	clean := true
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !xmlChar(r) || r == utf8.RuneError && size == 1 {
			clean = false
			break
		}
		i += size
	}
	if clean {
		return s
	}
	return strings.Map(func(r rune) rune {
		if !xmlChar(r) {
			return -1
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
}

// xmlChar reports whether r may appear in the rendered feeds.
func xmlChar(r rune) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r':
		return true
	case r < 0x20 || r >= 0x7F && r <= 0x9F:
		return false
	case r == 0xFFFE || r == 0xFFFF:
		return false
	}
	return true
}
