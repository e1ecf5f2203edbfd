package match

import (
	"slices"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/vigie-watch/vigie/internal/plaintext"
)

// Fold prepares text for matching and for display in `vigie match`:
// [plaintext.FromHTML],
// then NFKD with marks removed, lower case, letters that do not decompose
// mapped (œ → oe, ß → ss, ø → o, ł → l, þ → th...). It returns the words
// joined by single spaces, a word being a run of letters and digits: every
// other character, apostrophes and hyphens included, separates words, so
// "l’algorithme" gives "l algorithme". Non-Latin scripts are kept, lower-cased.
// Fold is idempotent.
func Fold(s string) string {
	return string(squeeze(appendFold(make([]byte, 0, len(s)+8), s, true)))
}

// squeeze turns every run of spaces of the folded text b into one space
// and trims them at both ends, in place.
func squeeze(b []byte) []byte {
	k := 0
	for i := 0; i < len(b); i++ {
		if b[i] == ' ' && (k == 0 || b[k-1] == ' ') {
			continue
		}
		b[k] = b[i]
		k++
	}
	if k > 0 && b[k-1] == ' ' {
		k--
	}
	return b[:k]
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

// packedLong marks, in packedTable, a rune that needs runeTable.
const packedLong = 0xfe << 24

// packedTable holds the folding of every rune below tableSize whose folding
// is no longer than the rune's UTF-8 encoding and than three bytes, so
// that folding it in place never outgrows the input: the folded bytes in
// the low three bytes and their number in the top one. The other runes are
// packedLong.
var packedTable = sync.OnceValue(func() *[tableSize]uint32 {
	var p [tableSize]uint32
	t := runeTable()
	for r := rune(0); r < tableSize; r++ {
		switch f := t[r]; {
		case len(f) > 3 || len(f) > utf8.RuneLen(r):
			p[r] = packedLong
		default:
			v := uint32(len(f)) << 24
			for i := range len(f) {
				v |= uint32(f[i]) << (8 * i)
			}
			p[r] = v
		}
	}
	return &p
})

// latinTable maps the second byte of a rune encoded as 0xc3 and that byte
// (U+00C0 to U+00FF: "à", "é", "Ç", "×"...) to the rune's folding when
// that is a single byte, as for most of them; to 0 otherwise, and for a byte
// that cannot follow 0xc3.
var latinTable = sync.OnceValue(func() *[256]byte {
	var l [256]byte
	t := runeTable()
	for b := 0x80; b < 0xc0; b++ {
		if f := t[0xc0|b&0x3f]; len(f) == 1 {
			l[b] = f[0]
		}
	}
	return &l
})

// decode3 decodes the rune of three bytes that starts s[i:] and returns
// it and its length, or 0, 0 when there is none.
func decode3(s string, i int) (rune, int) {
	if c := s[i]; 0xe0 <= c && c < 0xf0 && i+2 < len(s) && s[i+1]&0xc0 == 0x80 && s[i+2]&0xc0 == 0x80 {
		r := rune(c&0x0f)<<12 | rune(s[i+1]&0x3f)<<6 | rune(s[i+2]&0x3f)
		if r >= 0x800 && (r < 0xd800 || r >= 0xe000) {
			return r, 3
		}
	}
	return 0, 0
}

// appendFold appends the folded words of s to dst, separated by one or more
// spaces, maybe with spaces before and after: squeeze makes it Fold. With
// markup set, s is HTML: tags separate words and references are decoded, in
// one pass that gives the same words as folding [plaintext.FromHTML] would.
//
// foldRun does most of the work; the runes it does not fold, the tags it
// does not read and the references other than "&nbsp;" come back here.
func appendFold(dst []byte, s string, markup bool) []byte {
	tab := runeTable()
	packed := packedTable()
	latin := latinTable()
	tags := markup
	var st plaintext.TagScanner // made on the first tag foldRun leaves
	scanning := false
	for i := 0; i < len(s); {
		dst = slices.Grow(dst, len(s)-i+8)
		buf := dst[:cap(dst)]
		var k int
		i, k = foldRun(buf, len(dst), s, i, packed, latin, markup, tags)
		dst = buf[:k]
		if i == len(s) {
			break
		}
		switch c := s[i]; {
		case c == '<':
			dst = append(dst, ' ')
			if !tags {
				i++
				continue
			}
			if !scanning {
				st, scanning = plaintext.NewTagScanner(s), true
			}
			switch end := st.TagEnd(i); end {
			case plaintext.NotTag:
				i++
			case plaintext.Unclosed:
				tags = false
				i++
			default:
				i = end
			}
		case c == '&':
			r, str, n := entity(s[i:])
			if n == 0 {
				dst = append(dst, ' ')
				i++
				continue
			}
			i += n
			if str == "" {
				dst = append(dst, foldOf(tab, r, "")...)
				continue
			}
			for _, r := range str {
				dst = append(dst, foldOf(tab, r, "")...)
			}
		default:
			r, n := utf8.DecodeRuneInString(s[i:])
			dst = append(dst, foldOf(tab, r, s[i:i+n])...)
			i += n
		}
	}
	return dst
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
		if r < utf8.RuneSelf {
			out = append(out, plainFold[r])
			continue
		}
		if v, ok := special[unicode.ToLower(r)]; ok {
			out = append(out, v...)
			continue
		}
		for _, d := range norm.NFKD.String(string(unicode.ToLower(r))) {
			d = unicode.ToLower(d)
			if d < utf8.RuneSelf { // full-width "Ａ", "＋"...: the ASCII rule
				out = append(out, plainFold[d])
				continue
			}
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
