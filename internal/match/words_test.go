package match

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"
)

// ruleFold is the word rule of words.go read straight from wordBytes: the
// folded form of an ASCII byte, ' ' for a separator.
func ruleFold(c byte) byte {
	if strings.IndexByte(wordBytes, c) < 0 {
		return ' '
	}
	return strings.ToLower(string(c))[0]
}

// TestTablesFollowWordRule checks, for every byte, that each table of the
// folding classifies it as wordBytes says: a change to wordBytes alone
// changes them all.
func TestTablesFollowWordRule(t *testing.T) {
	tab, packed, latin := runeTable(), packedTable(), latinTable()
	for c := range 256 {
		b := byte(c)
		if c >= utf8.RuneSelf {
			if plainFold[b] != 0 || markupFold[b] != 0 || chunkFold[b] != 0x80 {
				t.Errorf("byte %#x: plainFold %#x, markupFold %#x, chunkFold %#x, want 0, 0, 0x80", b, plainFold[b], markupFold[b], chunkFold[b])
			}
			continue
		}
		want := ruleFold(b)
		if plainFold[b] != want {
			t.Errorf("plainFold[%q]: got %q, want %q", b, plainFold[b], want)
		}
		wantMarkup, wantChunk := want, want
		if b == '<' || b == '&' {
			wantMarkup, wantChunk = 0, 0x80
		}
		if markupFold[b] != wantMarkup || chunkFold[b] != wantChunk {
			t.Errorf("byte %q: markupFold %#x, chunkFold %#x, want %#x, %#x", b, markupFold[b], chunkFold[b], wantMarkup, wantChunk)
		}
		if got := tab[b]; got != string(want) {
			t.Errorf("runeTable[%q]: got %q, want %q", b, got, want)
		}
		if got, wantPacked := packed[b], 1<<24|uint32(want); got != wantPacked {
			t.Errorf("packedTable[%q]: got %#x, want %#x", b, got, wantPacked)
		}
		if got, wantWord := isWordRune(rune(b)), want != ' '; got != wantWord {
			t.Errorf("isWordRune(%q): got %v, want %v", b, got, wantWord)
		}
		// A full-width form decomposes to the ASCII byte: it follows the rule.
		if b > ' ' && b < 0x7f {
			if got := foldRune(rune(b) - '!' + '！'); got != string(want) {
				t.Errorf("foldRune of full-width %q: got %q, want %q", b, got, want)
			}
		}
	}
	// latinTable holds single-byte foldings of U+00C0..U+00FF: each must be
	// a byte the rule lets into folded text.
	for b := 0x80; b < 0xc0; b++ {
		if f := latin[b]; f != 0 && ruleFold(f) != f {
			t.Errorf("latinTable[%#x] = %q, not a word byte by the rule", b, f)
		}
	}
}

// TestSpaceBitsExact checks that spaceBits finds ' ' and only ' ', for
// every byte at every place of a block: it holds whatever bytes the rule
// lets into words.
func TestSpaceBitsExact(t *testing.T) {
	for c := range 256 {
		for _, fill := range []byte{'a', ' ', 0x20 ^ 0x80, 0, 0x21} {
			block := bytes.Repeat([]byte{fill}, 64)
			for at := range block {
				block[at] = byte(c)
				got := spaceBits(nil, block)[0]
				for i, x := range block {
					if want := x == ' '; got>>i&1 == 1 != want {
						t.Fatalf("spaceBits(%q) bit %d: got %v, want %v", block, i, !want, want)
					}
				}
				block[at] = fill
			}
		}
	}
}

// TestFoldFollowsWordRule folds every ASCII byte between two words, alone
// and inside eight-byte chunks, and checks that it joins them or separates
// them as the rule says.
func TestFoldFollowsWordRule(t *testing.T) {
	for c := range utf8.RuneSelf {
		b := byte(c)
		if b == '<' || b == '&' {
			continue // markup: tags and references
		}
		for _, pad := range []string{"", "abcdefgh"} {
			in := pad + "ab" + string(b) + "cd" + pad
			want := pad + "ab" + string(ruleFold(b)) + "cd" + pad
			if f := ruleFold(b); f == ' ' {
				want = pad + "ab cd" + pad
			}
			if got := Fold(in); got != want {
				t.Errorf("Fold(%q): got %q, want %q", in, got, want)
			}
		}
	}
}

// Separates is the word rule as other packages read it (pagetext splits a
// page's text by it, keeping offsets): it agrees with Fold.
func TestSeparates(t *testing.T) {
	for _, r := range []rune{' ', ',', '\'', '-', '\u00a0', '\u2019', '\u02bc', '\u200b', '«', '＋'} {
		if !Separates(r) {
			t.Errorf("Separates(%q) = false, want true", r)
		}
	}
	for _, r := range []rune{'a', 'Z', '7', 'é', 'œ', '²', 'Ａ', '\u093e', '\u00ad', '\u0301', '\u200d'} {
		if Separates(r) {
			t.Errorf("Separates(%q) = true, want false", r)
		}
	}
	for _, r := range []rune{'a', ',', 'é', '\u02bc', '\u00ad', '＋', 'Ａ'} {
		if got, want := Separates(r), Fold("x"+string(r)+"y") == "x y"; got != want {
			t.Errorf("Separates(%q) = %v, but Fold(\"x%cy\") = %q", r, got, r, Fold("x"+string(r)+"y"))
		}
	}
}
