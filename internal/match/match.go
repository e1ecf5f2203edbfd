package match

import "bytes"

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
// separated by single spaces.
func (m *Matcher) scan(text []byte, hit []bool) {
	ix := &m.index
	for start := 0; start < len(text); {
		end := bytes.IndexByte(text[start:], ' ')
		if end < 0 {
			end = len(text)
		} else {
			end += start
		}
		n := int32(0)
		for i := start; i < end; i++ {
			c := ix.class[text[i]]
			if c == 0 {
				n = -1
				break
			}
			if n = ix.trans[int(n)*ix.ncls+int(c)]; n == 0 {
				n = -1
				break
			}
			for _, id := range ix.prefix[n] {
				if !hit[id] && m.patterns[id].rest(text, end) {
					hit[id] = true
				}
			}
		}
		if n >= 0 {
			for _, id := range ix.exact[n] {
				if !hit[id] && m.patterns[id].rest(text, end) {
					hit[id] = true
				}
			}
		}
		start = end + 1
	}
}

// rest reports whether the words of p after the first follow in text from
// end, the index just past the word that matched the first.
func (p *pattern) rest(text []byte, end int) bool {
	for i := 1; i < len(p.words); i++ {
		if end >= len(text) {
			return false
		}
		start := end + 1
		end = bytes.IndexByte(text[start:], ' ')
		if end < 0 {
			end = len(text)
		} else {
			end += start
		}
		w, pw := text[start:end], p.words[i]
		if p.prefix[i] {
			if len(w) < len(pw) || string(w[:len(pw)]) != pw {
				return false
			}
		} else if string(w) != pw {
			return false
		}
	}
	return true
}
