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

// Link returns the canonical form of an article URL: no scheme, host in lower
// case without "www." nor a default port, no fragment, no tracking
// parameters, remaining parameters sorted, no trailing slash. Two links with
// the same canonical form designate the same story. A string that is not an
// absolute http(s) URL is returned trimmed, unchanged otherwise; an empty
// link gives "".
func Link(raw string) string {
	raw = strings.TrimSpace(raw)
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return raw
	}
	host := strings.ToLower(u.Hostname())
	host = strings.TrimSuffix(host, ".")
	if port := u.Port(); port != "" && port != "80" && port != "443" {
		host += ":" + port
	}
	path := u.EscapedPath()
	path = strings.TrimRight(path, "/")

	var kept []string
	if u.RawQuery != "" {
		for _, part := range strings.Split(u.RawQuery, "&") {
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
			kept = append(kept, part)
		}
		sort.Strings(kept)
	}
	var b strings.Builder
	b.WriteString(host)
	b.WriteString(path)
	if len(kept) > 0 {
		b.WriteByte('?')
		b.WriteString(strings.Join(kept, "&"))
	}
	return b.String()
}

// EntryID returns the permanent Atom id of a story whose identity key is
// key (its canonical link, or its source and GUID when it has no link).
// It is a tag: URI (RFC 4151) that depends on the key alone.
func EntryID(key string) string {
	sum := sha256.Sum256([]byte(key))
	return "tag:vigie,2026:story:" + hex.EncodeToString(sum[:12])
}
