package feeds

import (
	"bytes"
	"fmt"
	"mime"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/vigie-watch/vigie/internal/decode"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/ianaindex"
	"golang.org/x/text/encoding/unicode"
)

// fallbackCharset is used when neither the document nor the HTTP header
// names a usable character set. windows-1252 is a superset of Latin-1 for
// every printable character, and is what undeclared French text usually is.
const fallbackCharset = "windows-1252"

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}

	// xmlDecl matches the XML declaration at the very start of a document
	// and captures its encoding pseudo-attribute, if any.
	xmlDecl     = regexp.MustCompile(`^\s*<\?xml[^>]*?\?>`)
	xmlEncoding = regexp.MustCompile(`(\s)encoding\s*=\s*("[^"]*"|'[^']*')`)
)

// ToUTF8 returns body as UTF-8. A byte order mark decides first (UTF-8,
// UTF-16 LE or BE) and is removed. Bytes that are already valid UTF-8 are
// trusted whatever the document or the server declares, because sources
// such as the Senate declare ISO-8859-15 and send UTF-8. Otherwise the
// body is decoded with the charset of the XML declaration, else of the
// contentType header, else windows-1252. With a single-byte charset, runs
// of valid multi-byte UTF-8 inside a mostly legacy document are kept as
// they are, so a feed that mixes both never turns into mojibake.
//
// When the body starts with an XML declaration, its encoding is rewritten
// to UTF-8 so that an XML parser does not decode the text a second time.
func ToUTF8(body []byte, contentType string) ([]byte, error) {
	out, err := toUTF8(body, contentType)
	if err != nil {
		return nil, err
	}
	return declareUTF8(out), nil
}

func toUTF8(body []byte, contentType string) ([]byte, error) {
	switch {
	case bytes.HasPrefix(body, bomUTF8):
		body = body[len(bomUTF8):]
		if utf8.Valid(body) {
			return body, nil
		}
		return bytes.ToValidUTF8(body, []byte("\uFFFD")), nil
	case bytes.HasPrefix(body, bomUTF16LE):
		return decodeWith(unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM), body)
	case bytes.HasPrefix(body, bomUTF16BE):
		return decodeWith(unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM), body)
	case bytes.HasPrefix(body, []byte{'<', 0, '?', 0}):
		return decodeWith(unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), body)
	case bytes.HasPrefix(body, []byte{0, '<', 0, '?'}):
		return decodeWith(unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), body)
	}
	if utf8.Valid(body) {
		return body, nil
	}

	enc := lookupCharset(declaredCharset(body), headerCharset(contentType))
	if cm, ok := enc.(*charmap.Charmap); ok {
		return decode.Mixed(cm, body), nil
	}
	return decodeWith(enc, body)
}

// lookupCharset returns the first of labels that names a known, non-UTF
// encoding, else windows-1252. A document that claims UTF-8 but is not
// valid UTF-8 is most often windows-1252 in disguise.
func lookupCharset(labels ...string) encoding.Encoding {
	for _, label := range labels {
		if label == "" {
			continue
		}
		enc, err := htmlindex.Get(label)
		if err != nil {
			enc, err = ianaindex.IANA.Encoding(label)
		}
		if err != nil && strings.EqualFold(strings.NewReplacer("-", "", "_", "").Replace(label), "latin9") {
			enc, err = charmap.ISO8859_15, nil
		}
		if err != nil || enc == nil || enc == encoding.Nop || enc == encoding.Replacement {
			continue
		}
		if isUnicode(enc) {
			continue
		}
		return enc
	}
	enc, _ := htmlindex.Get(fallbackCharset)
	return enc
}

// isUnicode reports whether enc is UTF-8 or UTF-16, which a body that is
// not valid UTF-8 and has no BOM cannot be trusted to be.
func isUnicode(enc encoding.Encoding) bool {
	name, err := ianaindex.IANA.Name(enc)
	return err == nil && strings.HasPrefix(strings.ToUpper(name), "UTF-")
}

func decodeWith(enc encoding.Encoding, body []byte) ([]byte, error) {
	out, err := enc.NewDecoder().Bytes(body)
	if err != nil {
		return nil, fmt.Errorf("decode charset: %w", err)
	}
	return out, nil
}

// declaredCharset returns the encoding named in body's XML declaration.
func declaredCharset(body []byte) string {
	decl := xmlDecl.Find(body)
	if decl == nil {
		return ""
	}
	m := xmlEncoding.FindSubmatch(decl)
	if m == nil {
		return ""
	}
	return strings.TrimSpace(string(m[2][1 : len(m[2])-1]))
}

// headerCharset returns the charset parameter of an HTTP Content-Type.
func headerCharset(contentType string) string {
	if contentType == "" {
		return ""
	}
	if _, params, err := mime.ParseMediaType(contentType); err == nil {
		return params["charset"]
	}
	// Tolerate malformed headers such as "text/xml; charset=latin9;".
	const key = "charset="
	i := 0
	for ; i+len(key) <= len(contentType); i++ {
		if strings.EqualFold(contentType[i:i+len(key)], key) {
			break
		}
	}
	if i+len(key) > len(contentType) {
		return ""
	}
	v := contentType[i+len(key):]
	if j := strings.IndexAny(v, "; \t"); j >= 0 {
		v = v[:j]
	}
	return strings.Trim(v, `"'`)
}

// declareUTF8 rewrites the encoding of an XML declaration to UTF-8.
func declareUTF8(body []byte) []byte {
	loc := xmlDecl.FindIndex(body)
	if loc == nil {
		return body
	}
	decl := body[loc[0]:loc[1]]
	m := xmlEncoding.FindSubmatchIndex(decl)
	if m == nil || strings.EqualFold(string(decl[m[4]+1:m[5]-1]), "utf-8") {
		return body
	}
	out := make([]byte, 0, len(body))
	out = append(out, body[:loc[0]+m[4]]...)
	out = append(out, `"UTF-8"`...)
	out = append(out, body[loc[0]+m[5]:]...)
	return out
}
