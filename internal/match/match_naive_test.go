package match_test

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/vigie-watch/vigie/internal/match"
)

// naiveWords are the words texts and keywords are drawn from: short and
// long ones around the lengths the scanner reads at once (4, 8, 16, 64
// bytes), accented ones, and words that start like others.
var naiveWords = []string{
	"a", "l", "ia", "IA", "jo", "de", "des", "la", "vsa", "cam", "came", "camé", "caméra", "caméras",
	"CAMÉRA", "police", "polices", "policier", "pôle", "municipale", "drone", "drones",
	"reconnaissance", "reconnaissances", "faciale", "biométrique", "biométriques",
	"vidéosurveillance", "vidéosurveillances", "algorithmique", "abcdefgh", "abcdefghi",
	"abcdefghijklmno", "abcdefghijklmnop", "abcdefghijklmnopq",
	strings.Repeat("x", 63), strings.Repeat("x", 64), strings.Repeat("x", 65), strings.Repeat("x", 130),
	"l’IA", "Sœur", "soeur", "STRAßE", "mot-clé", "«\u00a0VSA\u00a0»", "<b>VSA</b>", "vid&eacute;o", "δρόνος", "監視",
}

// naiveMatch reports whether the keyword, plain text whose words may
// end with "*", occurs in the field, by comparing word lists.
func naiveMatch(keyword, field string) bool {
	var kw []string
	var prefix []bool
	for _, tok := range strings.Fields(keyword) {
		star := strings.HasSuffix(tok, "*")
		ws := strings.Fields(match.FoldPlain(strings.TrimSuffix(tok, "*")))
		for i, w := range ws {
			kw = append(kw, w)
			prefix = append(prefix, star && i == len(ws)-1)
		}
	}
	text := strings.Fields(match.Fold(field))
	for i := 0; i+len(kw) <= len(text); i++ {
		ok := true
		for j, w := range kw {
			if prefix[j] && !strings.HasPrefix(text[i+j], w) || !prefix[j] && text[i+j] != w {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// TestMatchAgainstNaive checks the scanner against naiveMatch on random
// fields and keywords, with short prefixes and long first words.
func TestMatchAgainstNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	word := func() string { return naiveWords[rng.IntN(len(naiveWords))] }
	seps := []string{" ", "  ", ", ", "-", "’", "\u00a0", "<br>", ". ", "\n"}
	for round := range 2000 {
		var keywords []string
		seen := make(map[string]bool)
		for range 1 + rng.IntN(12) {
			var toks []string
			for range 1 + rng.IntN(3) {
				w := word()
				if rng.IntN(4) == 0 && len(strings.Fields(match.FoldPlain(w))) == 1 && !strings.ContainsAny(w, "<&;»") {
					w += "*"
				}
				toks = append(toks, w)
			}
			k := strings.Join(toks, " ")
			if _, err := match.Compile([]string{k}, nil); err != nil || seen[k] {
				continue
			}
			seen[k] = true
			keywords = append(keywords, k)
		}
		m, err := match.Compile(keywords, nil)
		if err != nil {
			t.Fatalf("Compile(%q): %v", keywords, err)
		}
		var b strings.Builder
		for range rng.IntN(60) {
			b.WriteString(word())
			b.WriteString(seps[rng.IntN(len(seps))])
		}
		field := b.String()
		var want []string
		for _, k := range m.Keywords() {
			if naiveMatch(k, field) {
				want = append(want, k)
			}
		}
		if got := m.Match(field).Keywords; !slices.Equal(got, want) {
			t.Fatalf("round %d: keywords %q in %q: got %q, want %q", round, keywords, field, got, want)
		}
	}
}
