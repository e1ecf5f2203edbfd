package match

import (
	"encoding/binary"
	"math/bits"
)

// Result says which keywords and exclude entries an item matched.
type Result struct {
	Keywords []string // keywords that matched, in config order, once each
	Excluded []string // exclude entries that matched, in config order
}

// Published reports whether the item belongs in the merged feed: it
// matched a keyword and no exclude entry.
func (r Result) Published() bool { return len(r.Keywords) > 0 && len(r.Excluded) == 0 }

// scratch is the per-call working memory of Match, pooled.
type scratch struct {
	fold []byte
	hit  []bool
}

// Match matches the fields of one item: title, summary, content and each
// category, raw (they may be HTML). A keyword must occur within one field.
func (m *Matcher) Match(fields ...string) Result {
	sc, _ := m.scratch.Get().(*scratch)
	if sc == nil {
		sc = &scratch{}
	}
	if cap(sc.hit) < len(m.patterns) {
		sc.hit = make([]bool, len(m.patterns))
	}
	sc.hit = sc.hit[:len(m.patterns)]
	clear(sc.hit)
	for _, f := range fields {
		sc.fold = appendFold(sc.fold[:0], f, true)
		m.scan(sc.fold, sc.hit)
	}
	var r Result
	for id, hit := range sc.hit {
		if !hit {
			continue
		}
		p := m.patterns[id]
		if p.exclude {
			r.Excluded = append(r.Excluded, m.excludes[p.pos])
		} else {
			r.Keywords = append(r.Keywords, m.keywords[p.pos])
		}
	}
	m.scratch.Put(sc)
	return r
}

// scan marks in hit every pattern that occurs in text, folded words
// separated by single spaces. It walks the first-word trie over each word;
// a word leaves the trie after a byte or two unless it starts like a
// keyword, and the rest of it is skipped eight bytes at a time.
func (m *Matcher) scan(text []byte, hit []bool) {
	ix := &m.index
	ncls := int32(ix.ncls)
	for i := 0; i < len(text); {
		n, j := int32(0), i
		for ; j < len(text) && text[j] != ' '; j++ {
			if n = ix.trans[n*ncls+int32(ix.class[text[j]])]; n == 0 {
				break
			}
			if ix.flags[n]&prefixHere != 0 {
				m.try(ix.prefix[n], text, wordEnd(text, j), hit)
			}
		}
		if n != 0 {
			if ix.flags[n]&exactHere != 0 {
				m.try(ix.exact[n], text, j, hit)
			}
		} else {
			j = wordEnd(text, j)
		}
		i = j + 1
	}
}

// try marks the patterns ids whose first word ends at end in text, if the
// rest of their words follow. The word after is found once for all.
func (m *Matcher) try(ids []int32, text []byte, end int, hit []bool) {
	var next []byte
	if end < len(text) {
		next = text[end+1 : wordEnd(text, end+1)]
	}
	for _, id := range ids {
		if hit[id] {
			continue
		}
		p := &m.patterns[id]
		if len(p.words) > 1 && (next == nil || !wordIs(next, p.words[1], p.prefix[1])) {
			continue
		}
		if p.rest(text, end) {
			hit[id] = true
		}
	}
}

// wordIs reports whether the text word w is pw, or starts with it when
// prefix is set.
func wordIs(w []byte, pw string, prefix bool) bool {
	if prefix {
		return len(w) >= len(pw) && string(w[:len(pw)]) == pw
	}
	return string(w) == pw
}

// wordEnd returns the index of the space that ends the word at text[i], or
// len(text).
func wordEnd(text []byte, i int) int {
	for ; i+8 <= len(text); i += 8 {
		y := binary.LittleEndian.Uint64(text[i:]) ^ 0x20*lsb8
		if zero := (y - lsb8) &^ y & msb8; zero != 0 {
			return i + bits.TrailingZeros64(zero)>>3
		}
	}
	for ; i < len(text); i++ {
		if text[i] == ' ' {
			return i
		}
	}
	return len(text)
}

// rest reports whether the words of p after the first follow in text from
// end, the index just past the word that matched the first.
func (p *pattern) rest(text []byte, end int) bool {
	for i := 1; i < len(p.words); i++ {
		if end >= len(text) {
			return false
		}
		start := end + 1
		end = wordEnd(text, start)
		if !wordIs(text[start:end], p.words[i], p.prefix[i]) {
			return false
		}
	}
	return true
}
