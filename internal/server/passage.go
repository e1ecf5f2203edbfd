package server

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/vigie-watch/vigie/internal/keyword"
	"github.com/vigie-watch/vigie/internal/match"
	"github.com/vigie-watch/vigie/internal/plaintext"
)

// passageWords is how many words a passage shows on each side of a match.
const passageWords = 12

// passage is a match shown in its context: Before, Hit and After are
// consecutive pieces of a text, Hit being the words the keyword matched.
type passage struct {
	Before, Hit, After string
}

// phrase is a keyword as the matcher folds it, located in a field to
// show where it matched.
type phrase struct{ keyword.Phrase }

func newPhrase(kw string) phrase { return phrase{keyword.Parse(kw)} }

// locate finds the first occurrence of p in the plain text of field and
// returns it in the text as written and in its folded form; ok is false
// when p does not occur (the matcher decides what matches; this only shows
// where).
func (p phrase) locate(field string) (written, folded passage, ok bool) {
	tokens := strings.Fields(plaintext.FromHTML(field))
	var words []string // the folded words of the text
	var owner []int    // the token each folded word comes from
	for t, tok := range tokens {
		for _, w := range strings.Fields(match.Fold(tok)) {
			words = append(words, w)
			owner = append(owner, t)
		}
	}
	i := p.Index(words)
	if i < 0 {
		return passage{}, passage{}, false
	}
	j := i + p.Len() // end of the match in words
	written = trimHit(around(tokens, owner[i], owner[j-1]+1))
	folded = around(words, i, j)
	return written, folded, true
}

// around cuts words[from:to] with up to passageWords words on each side.
func around(words []string, from, to int) passage {
	lo, hi := max(0, from-passageWords), min(len(words), to+passageWords)
	p := passage{
		Before: strings.Join(words[lo:from], " "),
		Hit:    strings.Join(words[from:to], " "),
		After:  strings.Join(words[to:hi], " "),
	}
	if lo > 0 {
		p.Before = "… " + p.Before
	}
	if p.Before != "" {
		p.Before += " "
	}
	if p.After != "" {
		p.After = " " + p.After
	}
	if hi < len(words) {
		p.After += " …"
	}
	return p
}

// trimHit moves the punctuation that sticks to the words matched ("«VSA»,")
// out of the highlighted part.
func trimHit(p passage) passage {
	word := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
	start := strings.IndexFunc(p.Hit, word)
	end := strings.LastIndexFunc(p.Hit, word)
	if start < 0 {
		return p
	}
	_, size := utf8.DecodeRuneInString(p.Hit[end:])
	end += size
	p.Before += p.Hit[:start]
	p.After = p.Hit[end:] + p.After
	p.Hit = p.Hit[start:end]
	return p
}
