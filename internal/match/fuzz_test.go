package match_test

import (
	"strings"
	"testing"

	"github.com/vigie-watch/vigie/internal/match"
	"github.com/vigie-watch/vigie/internal/plaintext"
)

var fuzzSeeds = []string{
	"",
	"Reconnaissance faciale : la CNIL met en demeure",
	"<p>La <b>VSA</b>&nbsp;aux JO&#8217;</p>",
	"l’IA, L'IA, L IA",
	"Sœur Straße Łódź Þór ﬁchier",
	"vide\u0301o\u00adsurveillance",
	"<script>x</script><!-- c -->&lt;b&gt;",
	"Москва ΑΘΗΝΑ 監視カメラ",
	"\xff\xfe<\x00&amp",
	"ǅ İ ß ẞ ﬃ ㎏ Ⅻ ①",
}

func FuzzFold(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := match.Fold(s)
		if again := match.Fold(got); again != got {
			t.Fatalf("Fold(Fold(%q)): got %q, want %q", s, again, got)
		}
		checkFolded(t, s, got)
		if viaText := match.FoldPlain(plaintext.FromHTML(s)); viaText != got {
			t.Fatalf("Fold(%q) = %q, but folding FromHTML gives %q", s, got, viaText)
		}
	})
}

func FuzzMatch(f *testing.F) {
	for i, s := range fuzzSeeds {
		f.Add(s, uint8(i), uint8(2), false)
	}
	f.Fuzz(func(t *testing.T, text string, from, n uint8, star bool) {
		words := strings.Fields(match.Fold(text))
		m, err := match.Compile([]string{text}, []string{text})
		if err == nil {
			_ = m.Match(text, "", text)
		}
		if len(words) == 0 {
			return
		}
		i := int(from) % len(words)
		j := min(len(words), i+1+int(n)%4)
		kw := strings.Join(words[i:j], " ")
		if star {
			last := words[j-1]
			kw = strings.TrimSuffix(kw, last) + string([]rune(last)[:1]) + "*"
		}
		m, err = match.Compile([]string{kw}, nil)
		if err != nil {
			t.Fatalf("Compile(%q) from Fold(%q): %v", kw, text, err)
		}
		if r := m.Match("", text); len(r.Keywords) != 1 {
			t.Fatalf("keyword %q in %q: got %q, want a match", kw, text, r.Keywords)
		}
	})
}
