// Package canon derives the identity of a story from its link, so that one
// article carried by several feeds (with different GUIDs and tracking
// parameters) is recognised as one story.
package canon

import (
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"sort"
	"strings"

	"golang.org/x/net/idna"
)

// trackingParams are query parameters that never change the page served.
var trackingParams = map[string]bool{
	"xtor": true, "fbclid": true, "gclid": true, "dclid": true, "msclkid": true,
	"yclid": true, "igshid": true, "mkt_tok": true, "_hsenc": true, "_hsmi": true,
	"ref_src": true, "ocid": true, "at_medium": true, "at_campaign": true,
}

// trackingPrefixes are families of tracking parameters (utm_source, at_xtor...).
var trackingPrefixes = []string{"utm_", "at_", "mc_", "pk_", "piwik_", "mtm_", "oly_"}

func isTracking(name string) bool {
	name = strings.ToLower(name)
	if trackingParams[name] {
		return true
	}
	for _, p := range trackingPrefixes {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// Link returns the canonical form of an article URL: no scheme, no user
// information, host in lower case (internationalised names in their ASCII
// form) without a default port (80 or 443), no fragment, no tracking
// parameters, remaining parameters sorted, percent-encodings normalised
// (hex digits in upper case, unreserved characters decoded), no trailing
// slash. "www." is kept. Two links with the same canonical form designate
// the same story. A string that is not an absolute http(s) URL is returned
// trimmed, unchanged otherwise; an empty link gives "".
func Link(raw string) string {
	raw = strings.TrimSpace(raw)
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return raw
	}
	host := strings.TrimRight(strings.ToLower(u.Hostname()), ".")
	if a, err := idna.Lookup.ToASCII(host); err == nil {
		host = a
	}
	if strings.Contains(host, ":") { // IPv6
		host = "[" + host + "]"
	}
	if port := u.Port(); port != "" && port != "80" && port != "443" {
		host += ":" + port
	}
	path := strings.TrimRight(normEscapes(u.EscapedPath()), "/")

	var kept []string
	for part := range strings.SplitSeq(u.RawQuery, "&") {
		if part == "" {
			continue
		}
		name, _, _ := strings.Cut(part, "=")
		if n, err := url.QueryUnescape(name); err == nil {
			name = n
		}
		if isTracking(name) {
			continue
		}
		kept = append(kept, normEscapes(part))
	}
	sort.Strings(kept)
	var b strings.Builder
	b.WriteString(host)
	b.WriteString(path)
	if len(kept) > 0 {
		b.WriteByte('?')
		b.WriteString(strings.Join(kept, "&"))
	}
	return b.String()
}

// normEscapes normalises the percent-encodings of an escaped URL part as
// RFC 3986 §6.2.2 says: hex digits in upper case, unreserved characters
// decoded, spaces, controls and bytes outside ASCII encoded. Other escapes (%2F, %26...) keep
// their meaning.
func normEscapes(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] <= 0x20 || s[i] >= 0x7f {
			b.WriteString(upperHex(s[i]))
			continue
		}
		if s[i] != '%' || i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
			b.WriteByte(s[i])
			continue
		}
		c := unhex(s[i+1])<<4 | unhex(s[i+2])
		if isUnreserved(c) {
			b.WriteByte(c)
		} else {
			b.WriteString(upperHex(c))
		}
		i += 2
	}
	return b.String()
}

func upperHex(c byte) string {
	const digits = "0123456789ABCDEF"
	return string([]byte{'%', digits[c>>4], digits[c&15]})
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	default:
		return c - 'a' + 10
	}
}

func isUnreserved(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}

// EntryID returns the permanent Atom id of a story whose identity key is
// key (its canonical link, or its source and GUID when it has no link).
// It is a tag: URI (RFC 4151) that depends on the key alone.
func EntryID(key string) string {
	sum := sha256.Sum256([]byte(key))
	return "tag:vigie,2026:story:" + hex.EncodeToString(sum[:12])
}
