package match_test

import (
	"strings"
	"testing"

	"github.com/vigie-watch/vigie/internal/match"
	"github.com/vigie-watch/vigie/internal/plaintext"
)

// TestFoldFastPaths covers the edges of the eight-byte chunks and of the
// tags, references and two-byte letters folded without leaving them; each
// case must also agree with folding plaintext.FromHTML.
func TestFoldFastPaths(t *testing.T) {
	tests := []struct{ in, want string }{
		// Tags: simple ones, uppercase, with attributes and quotes holding '>'.
		{"<p>un</p><P>deux</P><br/>trois<BR/>quatre</a>cinq", "un deux trois quatre cinq"},
		{"<Strong>fort</STRONG>&nbsp;: suite", "fort suite"},
		{"a<h2>titre</h2>b", "a titre b"},
		{`<a href="x?a=1&b=2" title="a > b">lien</a>suite`, "lien suite"},
		{`<a title='x>y'>lien</a> <a href="u">deux</a>`, "lien deux"},
		{"<p class=x>un</p >deux", "un deux"},
		{"a</ p>b < p>c <>d </>e", "a b p c d e"},
		// Tag names of every length around the eight bytes read at once,
		// and near the end of the text.
		{"<abcdefg>x<abcdefgh>y<Abcdefghij/>z<h1>w</h1 >v<i>u</i>t<b", "x y z w v u t b"},
		{"a<br/>b<b>c<b", "a b c b"},
		// Raw-text elements are dropped, whatever the case; look-alikes are not.
		{"<script>alert('<b>')</script>texte<style>p{}</style>fin", "texte fin"},
		{"<SCRIPT>x</script >y<Style>z</STYLE>w", "y w"},
		{"<scripts>x</scripts><stylex>y</stylex><strong>z</strong>", "x y z"},
		{"<scrip>a</scrip><styl>b</styl>", "a b"},
		{"<script/>x", ""},
		// Once a tag never closes, no '<' starts a tag any more.
		{`<a x="<p>"`, "a x p"},
		{"texte <p sans fin", "texte p sans fin"},
		// References.
		{"a&nbsp;b&nbsp;&nbsp;c&nbsp;", "a b c"},
		{"&nbsp;a&nbspb&nbsp", "a b"},
		{"a&amp;b &eacute;t&eacute;", "a b ete"},
		// Separators inside a chunk, single and doubled.
		{"a, b. c;;d--e (f) [g]", "a b c d e f g"},
		{"l'IA,l'IA ; l'IA", "l ia l ia l ia"},
		{"  ,,  abcdefgh  ,,  ", "abcdefgh"},
		{"COVID-19/2023_380", "covid 19 2023 380"},
		// The ASCII bytes next to letters and digits, whole chunks of them.
		{"@AZ[`az{/09:\x7f\x01\x1f~ ABCDEFGH@[`{/:\x00Zz", "az az 09 abcdefgh zz"},
		// Two-byte letters at every place of a chunk and at the end.
		{"éabcdefgh", "eabcdefgh"},
		{"abcdefgé", "abcdefge"},
		{"abcdefgéh", "abcdefgeh"},
		{"abcdefghé", "abcdefghe"},
		{"abcdefgÉÉÉÉÉÉÉÉÉ", "abcdefgeeeeeeeee"},
		{"abcdefg ééé ß æ ×", "abcdefg eee ss ae"},
		{"Ça coûte très cher à Évry", "ca coute tres cher a evry"},
		// Runs of separators and '<', '&' at every place of a chunk.
		{"abc,,,,,,,,,,,,,,,,,,,,def", "abc def"},
		{"abc. , ; ! ? ( ) def  ", "abc def"},
		{"  .  .  abcdefgh  .  .  ", "abcdefgh"},
		{"<b>abcdefgh<b>ab&amp;cdefg&nbsp;h", "abcdefgh ab cdefg h"},
		{"abcdefg<b>habcdefgh&lt;x", "abcdefg habcdefgh x"},
		{"abcdefgh<abcdefgh&abcdefgh", "abcdefgh abcdefgh abcdefgh"},
		// Latin-1 letters inside chunks: one, several, in a row, straddling
		// two chunks, next to separators, and those that fold to more than
		// one byte or to a space.
		{"abcdéfghijklmnop", "abcdefghijklmnop"},
		{"abcdefgéhijklmnop", "abcdefgehijklmnop"},
		{"àâäçéèêëîïôöùûüÿñ ÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸÑ", "aaaceeeeiioouuuyn aaaceeeeiioouuuyn"},
		{"préfet, sénateur. l’État; déjà», «élu»", "prefet senateur l etat deja elu"},
		{"abcdefgh×ijklmnop÷qrstuvwx", "abcdefgh ijklmnop qrstuvwx"},
		{"abcdæfghßijklmnopþqrstuvðwxyzøabc", "abcdaefghssijklmnopthqrstuvdwxyzoabc"},
		{"abcdefgh\xc3\xc3\xa9abcdefgh", "abcdefgh eabcdefgh"},
		{"abcdefgh\xc3(abcdefgh", "abcdefgh abcdefgh"},
		{"abcdefgh\xc3\xa9\xa9abcdefgh", "abcdefghe abcdefgh"},
		// Invalid UTF-8: a lone 0xc3, at the end, before ASCII, in a chunk.
		{"abcdefg\xc3", "abcdefg"},
		{"abcdefgh\xc3", "abcdefgh"},
		{"ab\xc3cdefghij", "ab cdefghij"},
		{"\xc3\xc3\xa9abcdefgh", "eabcdefgh"},
		{"abcdefgh\xc3\xa9\xa9x", "abcdefghe x"},
	}
	for _, tt := range tests {
		if got := match.Fold(tt.in); got != tt.want {
			t.Errorf("Fold(%q): got %q, want %q", tt.in, got, tt.want)
		}
		if got, want := match.Fold(tt.in), match.FoldPlain(plaintext.FromHTML(tt.in)); got != want {
			t.Errorf("Fold(%q): got %q, but folding FromHTML gives %q", tt.in, got, want)
		}
	}
}

// TestFoldPlainSeparators checks that '<' and '&' only separate words in
// plain text.
func TestFoldPlainSeparators(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a<b&c", "a b c"},
		{"<p>x</p>&nbsp;y", "p x p nbsp y"},
		{strings.Repeat("ab<", 5) + "é", "ab ab ab ab ab e"},
	}
	for _, tt := range tests {
		if got := match.FoldPlain(tt.in); got != tt.want {
			t.Errorf("FoldPlain(%q): got %q, want %q", tt.in, got, tt.want)
		}
	}
}
