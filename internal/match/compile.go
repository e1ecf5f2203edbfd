package match

import (
	"errors"
	"strings"
	"sync"
	"unicode/utf8"
)

// Matcher matches items against compiled keywords and exclude entries. It
// is built once per configuration by [Compile] and is safe for concurrent
// use.
type Matcher struct {
	keywords []string  // as written, deduplicated, in config order
	excludes []string  // likewise
	patterns []pattern // keywords first, then excludes
	index    firstWords
	scratch  sync.Pool // of *scratch
}

// pattern is one keyword or exclude entry, folded into words.
type pattern struct {
	words   []string
	prefix  []bool // words[i] matches any word it starts
	exclude bool
	pos     int // index in Matcher.keywords or Matcher.excludes
}

// Compile folds keywords and exclude entries. Its error, if any, joins one
// [*KeywordError] per bad entry.
func Compile(keywords, exclude []string) (*Matcher, error) {
	m := &Matcher{}
	var errs []error
	seen := make(map[string]bool)
	add := func(list string, entries []string, excl bool) {
		for i, kw := range entries {
			p, err := compileOne(kw)
			if err != nil {
				errs = append(errs, &KeywordError{List: list, Index: i, Keyword: kw, Err: err})
				continue
			}
			key := list + ":" + p.key()
			if seen[key] {
				continue
			}
			seen[key] = true
			p.exclude = excl
			if excl {
				p.pos = len(m.excludes)
				m.excludes = append(m.excludes, strings.TrimSpace(kw))
			} else {
				p.pos = len(m.keywords)
				m.keywords = append(m.keywords, strings.TrimSpace(kw))
			}
			m.patterns = append(m.patterns, p)
		}
	}
	add("keywords", keywords, false)
	add("exclude", exclude, true)
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	m.index = buildIndex(m.patterns)
	return m, nil
}

// compileOne folds one keyword. Keywords are plain text: no HTML step.
func compileOne(kw string) (pattern, error) {
	var p pattern
	tokens := strings.Fields(kw)
	if len(tokens) == 0 {
		return p, ErrEmpty
	}
	for _, tok := range tokens {
		star := strings.HasSuffix(tok, "*")
		base := strings.TrimSuffix(tok, "*")
		if strings.Contains(base, "*") {
			return p, ErrWildcard
		}
		if star {
			if last, _ := utf8.DecodeLastRuneInString(base); !isWordRune(last) {
				return p, ErrWildcard
			}
		}
		words := strings.Fields(string(appendFold(nil, base, false)))
		for i, w := range words {
			p.words = append(p.words, w)
			p.prefix = append(p.prefix, star && i == len(words)-1)
		}
	}
	if len(p.words) == 0 {
		return p, ErrNoWord
	}
	return p, nil
}

// KeywordWords returns the folded words of a keyword as [Compile] compiles
// it, and for each whether it matches any word it starts (a trailing "*").
// For a keyword Compile rejects, it returns Compile's error and no word.
func KeywordWords(kw string) (words []string, prefix []bool, err error) {
	p, err := compileOne(kw)
	if err != nil {
		return nil, nil, err
	}
	return p.words, p.prefix, nil
}

// key identifies the folded pattern, for deduplication.
func (p pattern) key() string {
	var b strings.Builder
	for i, w := range p.words {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(w)
		if p.prefix[i] {
			b.WriteByte('*')
		}
	}
	return b.String()
}

// Keywords returns the compiled keywords as written, in config order,
// without the entries that fold to an earlier one.
func (m *Matcher) Keywords() []string { return append([]string(nil), m.keywords...) }

// Excludes returns the compiled exclude entries, like [Matcher.Keywords].
func (m *Matcher) Excludes() []string { return append([]string(nil), m.excludes...) }
