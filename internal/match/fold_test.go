package match_test

import (
	"fmt"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/vigie-watch/vigie/internal/match"
)

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{" ,;: -- ", ""},
		{"Reconnaissance-Faciale", "reconnaissance faciale"},
		{"RECONNAISSANCE FACIALE", "reconnaissance faciale"},
		{"<b>reconnaissance</b>\nfaciale", "reconnaissance faciale"},
		{"reconnaissance&nbsp;faciale", "reconnaissance faciale"},
		{"Vidéosurveillance algorithmique (VSA)", "videosurveillance algorithmique vsa"},
		{"l’algorithme", "l algorithme"},
		{"L'IA, l’IA, L IA, lʼIA", "l ia l ia l ia l ia"},
		{"«\u00a0Technopolice\u00a0»", "technopolice"},
		{"Sœur, CŒUR, Æsthétique, ex æquo", "soeur coeur aesthetique ex aequo"},
		{"Straße ẞ", "strasse ss"},
		{"Øresund, Łódź, Đakovo, Þór, Ðá, Ħal", "oresund lodz dakovo thor da hal"},
		{"ﬁchier ﬂux ĳ", "fichier flux ij"},
		{"Ça, où, île, naïve, Noël, garçon, âme", "ca ou ile naive noel garcon ame"},
		{"ÀÂÄÉÈÊËÎÏÔÖÙÛÜŸÇ", "aaaeeeeiioouuuyc"},
		{"vide\u0301o", "video"},
		{"vidéo\u00adsurveillance", "videosurveillance"},
		{"vid&eacute;o", "video"},
		{"L&#8217;IA &mdash; &laquo;&nbsp;VSA&nbsp;&raquo;", "l ia vsa"},
		{"COVID-19, 2023-380, n°09077, 1er, 3,5 %, 10\u202f000", "covid 19 2023 380 n 09077 1er 3 5 10 000"},
		{"x² H₂O ½", "x2 h2o 1 2"},
		{"Briefcam's", "briefcam s"},
		{"a\u200bb", "a b"},
		{"Москва ΑΘΗΝΑ Ωμέγα", "москва αθηνα ωμεγα"},
		{"監視カメラ", "監視カメラ"},
		{"emoji 🎥 caméra", "emoji camera"},
		{"bad \xff utf8", "bad utf8"},
		{"tabs\tand\nlines\r\n", "tabs and lines"},
		// The edges of the eight-byte ASCII path and of the table of
		// two- and three-byte runes.
		{"ÉCOLE CAMÉRAS VidéoSURVEILLANCE aÉb", "ecole cameras videosurveillance aeb"},
		{"ABCDEFGHé IJKLMNOPQRSTUVé", "abcdefghe ijklmnopqrstuve"},
		{"é", "e"},
		{" É ", "e"},
		{"àéèêëîïôöùûüÿç", "aeeeeiioouuuyc"},
		{"Œuvre, œuvre, Æther", "oeuvre oeuvre aether"},
		{"GROSSSTRAßE", "grossstrasse"},
		{"l’État l'État aujourd’hui", "l etat l etat aujourd hui"},
		{"’x’", "x"},
		{"\u00a0\u00a0x\u00a0\u00a0y\u00a0", "x y"},
		{"2×3 4÷2", "2 3 4 2"},
		{"a…b a—b a–b", "a b a b a b"},
		{"a\u00adb \u0301", "ab"},
		{"vid<b>é</b>o", "vid e o"},
		{"cam&#233;ra cam&eacute;ra CAM&Eacute;RA", "camera camera camera"},
		{"c&oelig;ur c&OElig;ur", "coeur coeur"},
		{"½ ŉ ǅ", "1 2 n dz"},
		{"ﬁ ﬃ", "fi ffi"},
		{"\xc3", ""},
		{"a\xc3(b\xe2\x80 \xed\xa0\x80c", "a b c"},
	}
	for _, tt := range tests {
		got := match.Fold(tt.in)
		if got != tt.want {
			t.Errorf("Fold(%q): got %q, want %q", tt.in, got, tt.want)
		}
		if again := match.Fold(got); again != got {
			t.Errorf("Fold(Fold(%q)): got %q, want %q", tt.in, again, got)
		}
	}
}

// TestFoldEveryRune checks, rune by rune over all of Unicode, that Fold
// is idempotent and yields only lower-case words of letters and digits.
func TestFoldEveryRune(t *testing.T) {
	if testing.Short() {
		t.Skip("walks all of Unicode")
	}
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if !utf8.ValidRune(r) || r == '<' || r == '&' {
			continue
		}
		in := "a" + string(r) + "b"
		got := match.Fold(in)
		if again := match.Fold(got); again != got {
			t.Fatalf("Fold(Fold(%q)) (U+%04X): got %q, want %q", in, r, again, got)
		}
		checkFolded(t, in, got)
	}
}

// checkFolded fails unless s is words of lower-case letters and digits
// separated by single spaces.
func checkFolded(t *testing.T, in, s string) {
	if problem := foldedProblem(s); problem != "" {
		t.Helper()
		t.Fatalf("Fold(%q): got %q, with %s", in, s, problem)
	}
}

func foldedProblem(s string) string {
	if strings.HasPrefix(s, " ") || strings.HasSuffix(s, " ") || strings.Contains(s, "  ") {
		return "extra spaces"
	}
	for _, r := range s {
		if unicode.IsUpper(r) {
			return fmt.Sprintf("upper-case %q", r)
		}
		if r != ' ' && !unicode.IsLetter(r) && !unicode.IsNumber(r) && !unicode.Is(unicode.Mc, r) {
			return fmt.Sprintf("%q (U+%04X)", r, r)
		}
	}
	return ""
}
