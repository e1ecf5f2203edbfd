package match

import (
	"html"
	"strings"
	"unicode"
)

// Text turns HTML or plain text into plain text: tags removed (a tag
// separates words), comments and script/style contents dropped, entities
// decoded (&nbsp;, &eacute;, &#8217;...), every run of spaces (including
// no-break and thin spaces, tabs and line breaks) turned into one ASCII space,
// leading and trailing spaces trimmed.
func Text(s string) string {
	t, _ := plain(nil, s)
	var b strings.Builder
	b.Grow(len(t))
	space := false
	for _, r := range t {
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

// plain strips tags from s and decodes its entities; spaces are left as
// they are. buf is scratch space for the stripped bytes; plain returns it,
// maybe grown, for reuse.
func plain(buf []byte, s string) (string, []byte) {
	if strings.IndexByte(s, '<') >= 0 {
		buf = stripTags(buf[:0], s)
		s = string(buf)
	}
	if strings.IndexByte(s, '&') >= 0 {
		s = html.UnescapeString(s)
	}
	return s, buf
}

// stripTags appends s to dst with each tag, comment and script or style
// element replaced by one space. A '<' that does not open a tag is kept.
// It runs in linear time whatever the input.
func stripTags(dst []byte, s string) []byte {
	st := newStripper(s)
	for i := 0; i < len(s); {
		j := strings.IndexByte(s[i:], '<')
		if j < 0 {
			return append(dst, s[i:]...)
		}
		dst = append(dst, s[i:i+j]...)
		i += j
		end := st.tagEnd(i)
		switch {
		case end == noTag:
			dst = append(dst, '<')
			i++
		case end == noClose:
			// No '>' anywhere after: nothing further can be a tag.
			return append(dst, s[i:]...)
		default:
			dst = append(dst, ' ')
			i = end
		}
	}
	return dst
}

const (
	noTag   = -1 // the '<' does not start a tag
	noClose = -2 // no '>' follows
)

// stripper remembers, for each quote character, the position from which
// it no longer occurs, so that unclosed quotes cost one scan, not one each.
type stripper struct {
	s                  string
	noDouble, noSingle int
}

func newStripper(s string) stripper {
	return stripper{s: s, noDouble: len(s) + 1, noSingle: len(s) + 1}
}

// tagEnd returns the index just past the tag, comment or raw-text element
// that opens at s[i] (a '<'), noTag or noClose.
func (st *stripper) tagEnd(i int) int {
	s := st.s
	rest := s[i:]
	if len(rest) < 2 {
		return noTag
	}
	if strings.HasPrefix(rest, "<!--") {
		k := strings.Index(rest[4:], "-->")
		if k < 0 {
			return len(s)
		}
		return i + 4 + k + 3
	}
	c := rest[1]
	if !isASCIILetter(c) && c != '/' && c != '!' && c != '?' {
		return noTag
	}
	end := st.closeAngle(i)
	if end < 0 {
		return noClose
	}
	if c|0x20 == 's' {
		for _, raw := range [...]string{"script", "style"} {
			if hasTagName(rest[1:], raw) {
				return rawTextEnd(s, end, raw)
			}
		}
	}
	return end
}

// closeAngle returns the index just past the '>' closing the tag that opens
// at s[i], skipping quoted attribute values; -1 if there is none.
func (st *stripper) closeAngle(i int) int {
	s := st.s
	gt := strings.IndexByte(s[i:], '>')
	if gt < 0 {
		return -1
	}
	if tag := s[i : i+gt]; strings.IndexByte(tag, '"') < 0 && strings.IndexByte(tag, '\'') < 0 {
		return i + gt + 1
	}
	for k := i + 1; k < len(s); k++ {
		switch c := s[k]; {
		case c == '>':
			return k + 1
		case (c == '"' || c == '\'') && s[k-1] == '=':
			no := &st.noDouble
			if c == '\'' {
				no = &st.noSingle
			}
			q := -1
			if k+1 < *no {
				q = strings.IndexByte(s[k+1:], c)
			}
			if q < 0 {
				*no = k + 1
				gt := strings.IndexByte(s[k:], '>')
				if gt < 0 {
					return -1
				}
				return k + gt + 1
			}
			k += q + 1
		}
	}
	return -1
}

// hasTagName reports whether s starts with the tag name (any case) followed
// by the end of the name.
func hasTagName(s, name string) bool {
	if len(s) < len(name) || !strings.EqualFold(s[:len(name)], name) {
		return false
	}
	if len(s) == len(name) {
		return true
	}
	c := s[len(name)]
	return c == '>' || c == '/' || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'
}

// rawTextEnd returns the index just past the "</name>" closing a raw-text
// element whose contents start at s[from], or len(s).
func rawTextEnd(s string, from int, name string) int {
	for k := from; k < len(s); {
		j := strings.Index(s[k:], "</")
		if j < 0 {
			break
		}
		k += j
		if hasTagName(s[k+2:], name) {
			if e := strings.IndexByte(s[k:], '>'); e >= 0 {
				return k + e + 1
			}
			break
		}
		k += 2
	}
	return len(s)
}

func isASCIILetter(c byte) bool {
	return c|0x20 >= 'a' && c|0x20 <= 'z'
}
