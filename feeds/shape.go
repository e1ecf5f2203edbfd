package feeds

import (
	"bytes"
	"errors"
	"fmt"
)

// Limits on the shape of an XML feed, checked before gofeed reads it.
// gofeed builds two maps for every namespaced element it does not know
// and recurses once per level: a body under the size cap made of hundreds
// of thousands of such elements, or nested a million levels deep, costs it
// gigabytes and many seconds. Real feeds are a dozen levels deep and hold
// a few elements per item.
const (
	maxXMLDepth = 128
	// maxXMLElements bounds the elements of a document: a 10 MB feed of
	// real items (about 12 elements per 1.5 KB item) has under 100 000.
	maxXMLElements = 200_000
	// maxXMLPrefixed bounds the namespaced elements (dc:, content:,
	// media:...), the costly ones for gofeed.
	maxXMLPrefixed = 40_000
)

// ErrAbsurdXML is wrapped by Parse's error for an XML document nested
// deeper, or made of more elements, than any real feed.
var ErrAbsurdXML = errors.New("XML shape beyond any real feed")

// checkXMLShape scans an XML document, without building anything, and
// returns an error wrapping ErrAbsurdXML when it is nested deeper than
// maxXMLDepth or holds more elements than the limits above. Malformed
// XML is left for the parser to report.
func checkXMLShape(doc []byte) error {
	var s shapeScan
	for i := 0; i < len(doc); {
		j := bytes.IndexByte(doc[i:], '<')
		if j < 0 {
			return nil
		}
		i += j
		next, err := s.markup(doc, i)
		if err != nil || next < 0 {
			return err
		}
		i = next
	}
	return nil
}

// shapeScan counts while checkXMLShape walks a document.
type shapeScan struct {
	depth, elements, prefixed int
}

// markup reads the markup at doc[i] (a '<') and returns the offset after
// it, or -1 when the document ends inside it.
func (s *shapeScan) markup(doc []byte, i int) (int, error) {
	rest := doc[i:]
	switch {
	case bytes.HasPrefix(rest, []byte("<!--")):
		return skipPast(doc, i, "-->"), nil
	case bytes.HasPrefix(rest, []byte("<![CDATA[")):
		return skipPast(doc, i, "]]>"), nil
	case bytes.HasPrefix(rest, []byte("<?")):
		return skipPast(doc, i, "?>"), nil
	case bytes.HasPrefix(rest, []byte("<!")):
		return skipDoctype(doc, i), nil
	case bytes.HasPrefix(rest, []byte("</")):
		s.depth--
		return skipPast(doc, i, ">"), nil
	}
	end := tagEnd(doc, i)
	if end < 0 {
		return -1, nil
	}
	s.elements++
	if prefixedName(doc[i+1 : end]) {
		s.prefixed++
	}
	if doc[end-1] != '/' {
		s.depth++
	}
	switch {
	case s.depth > maxXMLDepth:
		return 0, fmt.Errorf("%w: elements nested over %d levels deep (at byte %d)", ErrAbsurdXML, maxXMLDepth, i)
	case s.elements > maxXMLElements:
		return 0, fmt.Errorf("%w: over %d elements (at byte %d)", ErrAbsurdXML, maxXMLElements, i)
	case s.prefixed > maxXMLPrefixed:
		return 0, fmt.Errorf("%w: over %d namespaced elements (at byte %d)", ErrAbsurdXML, maxXMLPrefixed, i)
	}
	return end + 1, nil
}

// skipPast returns the offset after the first end at or after i, or -1.
func skipPast(doc []byte, i int, end string) int {
	k := bytes.Index(doc[i:], []byte(end))
	if k < 0 {
		return -1
	}
	return i + k + len(end)
}

// skipDoctype skips a <!DOCTYPE ...> and its internal subset, if any.
func skipDoctype(doc []byte, i int) int {
	gt := bytes.IndexByte(doc[i:], '>')
	open := bytes.IndexByte(doc[i:], '[')
	if open >= 0 && (gt < 0 || open < gt) {
		return skipPast(doc, i, "]>")
	}
	if gt < 0 {
		return -1
	}
	return i + gt + 1
}

// tagEnd returns the offset of the '>' that closes the start tag at
// doc[i], skipping quoted attribute values, or -1.
func tagEnd(doc []byte, i int) int {
	var quote byte
	for k := i + 1; k < len(doc); k++ {
		c := doc[k]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			return k
		}
	}
	return -1
}

// prefixedName reports whether the tag's name has a namespace prefix.
func prefixedName(tag []byte) bool {
	for _, c := range tag {
		switch c {
		case ':':
			return true
		case ' ', '\t', '\r', '\n', '/', '>':
			return false
		}
	}
	return false
}
