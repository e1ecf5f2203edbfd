package feeds

import (
	"bytes"
	"strconv"
)

// dropBadCharRefs removes the numeric character references that name a
// character XML forbids (&#0;, &#x1F;, a surrogate...): one of them makes
// the XML parser refuse the whole feed, where readers skip the reference.
// It returns the document, a new one only when something was removed, and
// how many references it removed.
func dropBadCharRefs(doc []byte) ([]byte, int) {
	if !bytes.Contains(doc, []byte("&#")) {
		return doc, 0
	}
	var out []byte
	dropped, last := 0, 0
	for i := 0; ; {
		j := bytes.Index(doc[i:], []byte("&#"))
		if j < 0 {
			break
		}
		i += j
		end, ok := badCharRef(doc[i:])
		if !ok {
			i += 2
			continue
		}
		if out == nil {
			out = make([]byte, 0, len(doc))
		}
		out = append(out, doc[last:i]...)
		i += end
		last = i
		dropped++
	}
	if dropped == 0 {
		return doc, 0
	}
	return append(out, doc[last:]...), dropped
}

// badCharRef reports whether ref starts with a well-formed numeric
// character reference to a character XML forbids, and its length.
func badCharRef(ref []byte) (n int, bad bool) {
	semi := bytes.IndexByte(ref[:min(len(ref), 16)], ';')
	if semi < 3 {
		return 0, false
	}
	digits, base := ref[2:semi], 10
	if digits[0] == 'x' || digits[0] == 'X' {
		digits, base = digits[1:], 16
	}
	v, err := strconv.ParseUint(string(digits), base, 32)
	if err != nil || len(digits) == 0 || digits[0] == '+' || digits[0] == '-' {
		return 0, false
	}
	return semi + 1, !parserChar(v)
}

// parserChar reports whether v is a character XML 1.0 allows, as the XML
// parser checks it (C1 controls such as &#150;, which feeds converted from
// windows-1252 carry, are allowed).
func parserChar(v uint64) bool {
	return v == 0x09 || v == 0x0A || v == 0x0D ||
		v >= 0x20 && v <= 0xD7FF || v >= 0xE000 && v <= 0xFFFD || v >= 0x10000 && v <= 0x10FFFF
}
