package plaintext

import (
	"strings"
	"unicode/utf8"
)

// Ellipsis ends a text that [Truncate] shortened.
const Ellipsis = "…"

// Truncate returns s when it has at most n runes. Otherwise it returns the
// start of s, cut at the last space when one lies in the last quarter of
// the n runes (so that no word is cut, unless a single word is that long),
// without the spaces and punctuation that would end it, followed by
// [Ellipsis]: at most n runes in all, the ellipsis included. A rune is
// never cut. n below 1 counts as 1.
func Truncate(s string, n int) string {
	n = max(n, 1)
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	keep := n - 1 // room for the ellipsis
	cut := 0
	for i := range s {
		if keep == 0 {
			cut = i
			break
		}
		keep--
	}
	s = s[:cut]
	if i := strings.LastIndexByte(s, ' '); i > 0 && utf8.RuneCountInString(s[:i]) >= (n-1)*3/4 {
		s = s[:i]
	}
	return strings.TrimRight(s, " ,;:.–—") + Ellipsis
}
