package plaintext

import "strings"

// stripTags appends s to dst with each tag, comment and dropped element
// replaced by one space. A '<' that does not open a tag is kept. It runs in
// linear time whatever the input.
func stripTags(dst []byte, s string) []byte {
	st := NewTagScanner(s)
	for i := 0; i < len(s); {
		j := strings.IndexByte(s[i:], '<')
		if j < 0 {
			return append(dst, s[i:]...)
		}
		dst = append(dst, s[i:i+j]...)
		i += j
		end := st.TagEnd(i)
		switch {
		case end == NotTag:
			dst = append(dst, '<')
			i++
		case end == Unclosed:
			// No '>' anywhere after: nothing further can be a tag.
			return append(dst, s[i:]...)
		default:
			dst = append(dst, ' ')
			i = end
		}
	}
	return dst
}

// What [TagScanner.TagEnd] returns when there is no tag to skip.
const (
	NotTag   = -1 // the '<' does not start a tag: it is text
	Unclosed = -2 // no '>' follows: nothing further can be a tag
)

// droppedElements are the elements whose contents are not text.
var droppedElements = [...]string{"script", "style"}

// DroppedElements returns the names of the elements whose contents
// [FromHTML] drops, lower case.
func DroppedElements() []string { return droppedElements[:] }

// TagScanner finds where the tags of one HTML string end, by the rules of
// [FromHTML]. It is the fast path for code that walks the HTML itself (the
// matcher folds HTML in one pass) and must read the same text as FromHTML.
//
// It remembers, for each quote character, the position from which it no
// longer occurs, so that unclosed quotes cost one scan, not one each.
type TagScanner struct {
	s                  string
	noDouble, noSingle int
}

// NewTagScanner returns a scanner of s.
func NewTagScanner(s string) TagScanner {
	return TagScanner{s: s, noDouble: len(s) + 1, noSingle: len(s) + 1}
}

// TagEnd returns the index just past the tag, comment or dropped element
// (<script>...</script>) that opens at s[i], a '<'; [NotTag] when that '<'
// is text, [Unclosed] when no '>' follows it. A comment or dropped element
// that is never closed runs to the end of s.
func (st *TagScanner) TagEnd(i int) int {
	s := st.s
	rest := s[i:]
	if len(rest) < 2 {
		return NotTag
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
		return NotTag
	}
	end := st.closeAngle(i)
	if end < 0 {
		return Unclosed
	}
	for _, raw := range droppedElements {
		if c|0x20 == raw[0] && hasTagName(rest[1:], raw) {
			return rawTextEnd(s, end, raw)
		}
	}
	return end
}

// closeAngle returns the index just past the '>' closing the tag that opens
// at s[i], skipping quoted attribute values; -1 if there is none.
func (st *TagScanner) closeAngle(i int) int {
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
