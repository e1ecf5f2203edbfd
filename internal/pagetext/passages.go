package pagetext

import (
	"strings"
	"unicode/utf8"

	"github.com/vigie-watch/vigie/internal/keyword"
	"github.com/vigie-watch/vigie/internal/match"
	"github.com/vigie-watch/vigie/internal/watch"
)

// passageWords bounds a passage taken from a long sentence: this many
// words around the keyword.
const passageWords = 40

// maxSentence is the longest sentence kept whole, in words.
const maxSentence = 60

// Passages returns, for each keyword that occurs in text, the passage
// around its first occurrence, in the order of keywords. Keywords follow
// vigie's matching rules: whole words, case, accents and typography
// ignored, a trailing * for any ending. Passages never overlap: a keyword
// found inside an earlier passage is given no passage of its own.
func Passages(text string, keywords []string) []watch.Passage {
	if text == "" || len(keywords) == 0 {
		return nil
	}
	words := tokenize(text)
	folded := make([]string, len(words))
	for i, w := range words {
		folded[i] = w.folded
	}
	var out []watch.Passage
	var taken [][2]int
	for _, kw := range keywords {
		phrase := keyword.Parse(kw)
		first := phrase.Index(folded)
		if first < 0 {
			continue
		}
		last := first + phrase.Len() - 1
		start, end := words[first].start, words[last].end
		if covered(taken, start, end) {
			continue
		}
		from, to, cutBefore, cutAfter := sentence(text, words, first, last)
		taken = append(taken, [2]int{from, to})
		p := watch.Passage{Keyword: kw, Before: text[from:start], Match: text[start:end], After: text[end:to]}
		p.Before = strings.TrimLeft(strings.ReplaceAll(p.Before, "\n", " "), " ")
		p.After = strings.TrimRight(strings.ReplaceAll(p.After, "\n", " "), " ")
		if cutBefore {
			p.Before = "…" + p.Before
		}
		if cutAfter {
			p.After += "…"
		}
		out = append(out, p)
	}
	return out
}

func covered(taken [][2]int, start, end int) bool {
	for _, t := range taken {
		if start >= t[0] && end <= t[1] {
			return true
		}
	}
	return false
}

// word is a run of letters and digits of the text, with its folded form.
type word struct {
	start, end int
	folded     string
}

// tokenize splits text into words by the matcher's word rule
// (match.Separates: a soft hyphen or a combining mark joins, "ʼ" separates),
// keeping their offsets.
func tokenize(text string) []word {
	var words []word
	start := -1
	for i, r := range text {
		inWord := !match.Separates(r)
		switch {
		case inWord && start < 0:
			start = i
		case !inWord && start >= 0:
			words = appendWord(words, text, start, i)
			start = -1
		}
	}
	if start >= 0 {
		words = appendWord(words, text, start, len(text))
	}
	return words
}

func appendWord(words []word, text string, start, end int) []word {
	// A letter that folds to several words (rare: ligatures, symbols)
	// keeps them joined: the keyword's word is then compared with all of
	// them. A run of marks alone, which folds to nothing, is no word.
	folded := match.Fold(text[start:end])
	if folded == "" {
		return words
	}
	return append(words, word{start: start, end: end, folded: folded})
}

// sentence returns the bounds of the sentence holding words[first:last+1];
// a sentence of more than maxSentence words is cut to passageWords words
// around them.
func sentence(text string, words []word, first, last int) (from, to int, cutBefore, cutAfter bool) {
	lo := first
	for ; lo > 0 && first-lo < maxSentence; lo-- {
		if endsSentence(text[:words[lo].start]) {
			break
		}
	}
	hi := last
	for ; hi+1 < len(words) && hi-last < maxSentence; hi++ {
		if strings.ContainsAny(text[words[hi].end:words[hi+1].start], ".!?…\n") {
			break
		}
	}
	if hi-lo+1 > maxSentence {
		lo = max(lo, first-passageWords/2)
		hi = min(hi, last+passageWords/2)
	}
	from, to = words[lo].start, words[hi].end
	next := len(text)
	if hi+1 < len(words) {
		next = words[hi+1].start
	}
	if k := strings.IndexAny(text[to:next], ".!?…"); k >= 0 {
		_, size := utf8.DecodeRuneInString(text[to+k:])
		to += k + size
	}
	cutBefore = lo > 0 && !endsSentence(text[:from])
	cutAfter = hi+1 < len(words) && !endsSentence(text[:next])
	return from, to, cutBefore, cutAfter
}

// endsSentence reports whether the text before a word ends a sentence:
// its last non-space character is a full stop, ! ? … or a line break.
func endsSentence(before string) bool {
	t := strings.TrimRight(before, " \t\u00a0")
	if t == "" {
		return true
	}
	if strings.HasSuffix(before[len(t):], "\n") || strings.HasSuffix(t, "\n") {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(t)
	return strings.ContainsRune(".!?…\n", r)
}
