// Package decode turns text in a legacy single-byte charset into UTF-8
// the way French sources need it: feeds and pages that declare Latin-9 or
// windows-1252 often carry runs of UTF-8 inside (a CMS pasting a UTF-8
// article into a Latin-9 template; the Senate), and decoding those runs
// byte by byte turns "é" into "Ã©". Feeds and pages share this one rule.
package decode

import (
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// Mixed keeps the valid multi-byte UTF-8 sequences of body and decodes
// every other byte with the single-byte charset cm.
func Mixed(cm *charmap.Charmap, body []byte) []byte {
	out := make([]byte, 0, len(body)+len(body)/4)
	for len(body) > 0 {
		if body[0] < utf8.RuneSelf {
			out = append(out, body[0])
			body = body[1:]
			continue
		}
		if _, size := utf8.DecodeRune(body); size > 1 {
			out = append(out, body[:size]...)
			body = body[size:]
			continue
		}
		out = utf8.AppendRune(out, cm.DecodeByte(body[0]))
		body = body[1:]
	}
	return out
}
