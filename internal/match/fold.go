package match

import (
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Fold prepares text for matching and for display in `vigie match`: [Text],
// then NFKD with marks removed, lower case, letters that do not decompose
// mapped (œ → oe, ß → ss, ø → o, ł → l, þ → th...). It returns the words
// joined by single spaces, a word being a run of letters and digits: every
// other character, apostrophes and hyphens included, separates words, so
// "l’algorithme" gives "l algorithme". Non-Latin scripts are kept, lower-cased.
// Fold is idempotent.
func Fold(s string) string {
	return string(appendFold(make([]byte, 0, len(s)), s, true))
}

// tableSize bounds the runes whose folding is computed once and kept: Latin,
// Greek, Cyrillic and the common punctuation and symbol blocks.
const tableSize = 0x2500

// runeTable holds the folding of every rune below tableSize, built on first
// use and never changed after.
var runeTable = sync.OnceValue(func() *[tableSize]string {
	var t [tableSize]string
	for r := rune(0); r < tableSize; r++ {
		t[r] = foldRune(r)
	}
	return &t
})

// asciiFold maps an ASCII byte to its folded form, or 0 for a separator
// or a byte that starts a multi-byte rune.
var asciiFold = func() (t [256]byte) {
	for c := byte('0'); c <= '9'; c++ {
		t[c] = c
	}
	for c := byte('a'); c <= 'z'; c++ {
		t[c] = c
		t[c-'a'+'A'] = c
	}
	return t
}()

// appendFold appends the folded words of s to dst, separated by single
// spaces, with no leading or trailing space. With markup set, s is HTML
// and this is Fold: tags separate words and references are decoded, in one
// pass that gives the same words as folding [Text] would.
func appendFold(dst []byte, s string, markup bool) []byte {
	tab := runeTable()
	start := len(dst)
	sep := false
	tags := markup
	var st stripper
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if asciiFold[c] != 0 {
				if sep && len(dst) > start {
					dst = append(dst, ' ')
				}
				sep = false
				j := i + 1
				for j < len(s) && asciiFold[s[j]] != 0 {
					j++
				}
				k := len(dst)
				dst = append(dst, s[i:j]...)
				for ; k < len(dst); k++ {
					dst[k] |= 0x20 // lower case; digits already have the bit
				}
				i = j
				continue
			}
			switch {
			case c == '<' && tags:
				sep = true
				if st.s == "" {
					st = newStripper(s)
				}
				switch end := st.tagEnd(i); end {
				case noTag:
					i++
				case noClose:
					tags = false
					i++
				default:
					i = end
				}
				continue
			case c == '&' && markup:
				r, str, n := entity(s[i:])
				if n == 0 {
					sep = true
					i++
					continue
				}
				i += n
				if str == "" {
					dst, sep = emit(dst, start, sep, foldOf(tab, r, ""))
					continue
				}
				for _, r := range str {
					dst, sep = emit(dst, start, sep, foldOf(tab, r, ""))
				}
				continue
			}
			sep = true
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		dst, sep = emit(dst, start, sep, foldOf(tab, r, s[i:i+n]))
		i += n
	}
	return dst
}

// emit appends f, the folding of one rune, to dst; sep says a separator is
// pending, start is where the folded text began in dst.
func emit(dst []byte, start int, sep bool, f string) ([]byte, bool) {
	for j := 0; j < len(f); j++ {
		if f[j] == ' ' {
			sep = true
			continue
		}
		if sep && len(dst) > start {
			dst = append(dst, ' ')
		}
		sep = false
		dst = append(dst, f[j])
	}
	return dst, sep
}

// foldOf returns the folding of r, encoded as enc ("" when r does not come
// from the input as is).
func foldOf(tab *[tableSize]string, r rune, enc string) string {
	if r < tableSize {
		return tab[r]
	}
	if enc == "" {
		enc = string(r)
	}
	switch wideKind(r, enc) {
	case wideSelf:
		return enc
	case wideSep:
		return " "
	case wideDrop:
		return ""
	}
	return foldRune(r)
}

// Kinds of runes beyond the table, for wideKind.
const (
	wideSlow = iota // needs foldRune
	wideSelf        // folds to itself
	wideSep         // separates words
	wideDrop        // vanishes
)

// wideKind classifies r, encoded as enc, a rune beyond the table, without
// allocating when it has no decomposition and no lower case: most of CJK,
// Arabic, Hebrew, Indic scripts, emoji and invalid bytes.
func wideKind(r rune, enc string) int {
	if norm.NFKD.PropertiesString(enc).Decomposition() != nil || unicode.ToLower(r) != r {
		return wideSlow
	}
	switch {
	case unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.Mc, r):
		return wideSelf
	case unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf):
		return wideDrop
	}
	return wideSep
}

// special maps lower-case letters that NFKD leaves alone, and modifier
// letters that are really apostrophes.
var special = map[rune]string{
	'œ': "oe", 'æ': "ae", 'ß': "ss", 'ø': "o", 'ł': "l", 'đ': "d",
	'ð': "d", 'þ': "th", 'ħ': "h", 'ı': "i", 'ŀ': "l", 'ŧ': "t",
	'ƒ': "f", 'ɫ': "l", 'ς': "σ",
	'\u02b9': " ", '\u02bb': " ", '\u02bc': " ", '\u02bd': " ",
	'\u02be': " ", '\u02bf': " ", '\u02c8': " ",
	'\u200b': " ", // zero width space: a word break
}

// foldRune returns the folded form of r: "" when r vanishes (a combining
// mark, a soft hyphen), folded letters and digits, and " " where r separates
// words. It repeats until the result is stable, which keeps Fold idempotent.
func foldRune(r rune) string {
	s := foldOnce(string(r))
	for range 4 {
		t := foldOnce(s)
		if t == s {
			break
		}
		s = t
	}
	return s
}

func foldOnce(s string) string {
	var out []byte
	for _, r := range s {
		if v, ok := special[unicode.ToLower(r)]; ok {
			out = append(out, v...)
			continue
		}
		for _, d := range norm.NFKD.String(string(unicode.ToLower(r))) {
			d = unicode.ToLower(d)
			if v, ok := special[d]; ok {
				out = append(out, v...)
				continue
			}
			switch {
			case unicode.In(d, unicode.Mn, unicode.Me, unicode.Cf):
			case unicode.IsLetter(d) || unicode.IsNumber(d) || unicode.Is(unicode.Mc, d):
				out = utf8.AppendRune(out, d)
			default:
				out = append(out, ' ')
			}
		}
	}
	return string(out)
}
