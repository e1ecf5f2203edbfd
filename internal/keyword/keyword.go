// Package keyword finds where a keyword occurs in a text already split
// into folded words, by the rules of internal/match: whole words, and a
// word written with a trailing * matches any word it starts. The matcher
// decides whether an item matches; this package only shows where, for the
// passages of /try and of full-text entries.
package keyword

import (
	"strings"

	"github.com/vigie-watch/vigie/internal/match"
)

// Phrase is a keyword as folded words.
type Phrase struct {
	words  []string
	prefix []bool // prefix[i]: words[i] matches any word it starts
}

// Parse folds a keyword as the matcher compiles it ([match.KeywordWords]):
// plain text, each token folded into words, a token ending with * making
// its last word a prefix. A keyword the matcher rejects has no word: it
// occurs nowhere.
func Parse(keyword string) Phrase {
	words, prefix, err := match.KeywordWords(keyword)
	if err != nil {
		return Phrase{}
	}
	return Phrase{words: words, prefix: prefix}
}

// Len is the number of words of the phrase.
func (p Phrase) Len() int { return len(p.words) }

// Index returns the position in words (folded words, in order) where the
// first occurrence of p starts, or -1 when p does not occur or has no word.
func (p Phrase) Index(words []string) int {
	if len(p.words) == 0 {
		return -1
	}
	for i := 0; i+len(p.words) <= len(words); i++ {
		if p.at(words, i) {
			return i
		}
	}
	return -1
}

func (p Phrase) at(words []string, i int) bool {
	for k, w := range p.words {
		if words[i+k] != w && !(p.prefix[k] && strings.HasPrefix(words[i+k], w)) {
			return false
		}
	}
	return true
}
