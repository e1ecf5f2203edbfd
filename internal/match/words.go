package match

import (
	"strings"
	"unicode/utf8"
)

// The word rule. A word is a run of letters and digits, folded to lower
// case; every other character separates words. For ASCII the rule is
// wordBytes: an ASCII byte in it belongs to words (an upper-case letter
// folds to its lower case), every other ASCII byte separates words.
// Beyond ASCII, letters, numbers and spacing marks belong to words,
// combining marks vanish and the rest separates (foldOnce), and a rune that
// decomposes into ASCII ("Ａ", "＋") follows wordBytes.
//
// Every table of the folding derives from wordBytes: plainFold, markupFold
// and chunkFold here, and through foldOnce runeTable, packedTable and
// latinTable, and isWordRune for the keywords' "*". Folded text is then
// word bytes and spaces, and the scans (spaceBits, wordEnd, wordStart) only
// look for ' ', which is never a word byte. So keeping '+' or '#' in words
// ("C++", "#JO2024") means adding it to wordBytes and nothing else; the
// tests in words_test.go check every table against this rule.
const wordBytes = "0123456789" +
	"ABCDEFGHIJKLMNOPQRSTUVWXYZ" +
	"abcdefghijklmnopqrstuvwxyz"

// plainFold maps an ASCII byte of plain text to its folded form by the word
// rule: itself, or its lower case for a letter, when it belongs to words;
// ' ' for a separator. 0 marks a byte that starts a multi-byte rune.
// markupFold is the same for HTML, where '<' and '&' are 0 too.
var plainFold, markupFold = func() (plain, markup [256]byte) {
	for c := range utf8.RuneSelf {
		plain[c] = ' '
	}
	for i := range len(wordBytes) {
		c := wordBytes[i]
		plain[c] = strings.ToLower(wordBytes[i : i+1])[0]
	}
	markup = plain
	markup['<'], markup['&'] = 0, 0
	return plain, markup
}()

// chunkFold maps each byte to its folding by foldChunks: markupFold's for
// ASCII other than '<' and '&'; 0x80 for those two and for the bytes of
// multi-byte runes, which stop the chunks.
var chunkFold = func() (t [256]byte) {
	for c := range 256 {
		t[c] = markupFold[c]
		if t[c] == 0 {
			t[c] = 0x80
		}
	}
	return t
}()

// Separates reports whether r separates words by the word rule: it folds
// to spaces only. A letter, a digit or a spacing mark belongs to words, and
// a rune that vanishes in folding (a combining mark, a soft hyphen, a
// zero-width joiner) neither separates nor makes a word of its own.
func Separates(r rune) bool {
	f := foldOf(runeTable(), r, "")
	return f != "" && strings.Trim(f, " ") == ""
}

// isWordRune reports whether r, as the last character of a keyword word,
// folds to something that ends a word, so that a "*" may follow it.
func isWordRune(r rune) bool {
	f := foldOf(runeTable(), r, "")
	return f != "" && f[len(f)-1] != ' '
}
