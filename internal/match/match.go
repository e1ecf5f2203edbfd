package match

import (
	"encoding/binary"
	"math/bits"
	"strings"
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
	fold   []byte
	spaces []uint64 // spaceBits of fold
	hit    []uint64 // bit id%64 of word id/64: pattern id occurs
}

// Match matches the fields of one item: title, summary, content and each
// category, raw (they may be HTML). A keyword must occur within one field.
func (m *Matcher) Match(fields ...string) Result {
	sc, _ := m.scratch.Get().(*scratch)
	if sc == nil {
		sc = &scratch{}
	}
	words := (len(m.patterns) + 63) / 64
	if cap(sc.hit) < words {
		sc.hit = make([]uint64, words)
	}
	sc.hit = sc.hit[:words]
	clear(sc.hit)
	for _, f := range fields {
		sc.fold = appendFold(sc.fold[:0], f, true)
		n := len(sc.fold)
		sc.fold = append(sc.fold, pad[:(n/64+2)*64-n]...)
		sc.spaces = spaceBits(sc.spaces[:0], sc.fold)
		m.scan(sc.fold, n, sc.spaces, sc.hit)
	}
	var r Result
	for w, bits64 := range sc.hit {
		for ; bits64 != 0; bits64 &= bits64 - 1 {
			m.result(&r, w*64+bits.TrailingZeros64(bits64))
		}
	}
	m.scratch.Put(sc)
	return r
}

// result adds pattern id to r. Patterns are in config order, keywords
// first, and come here in that order.
func (m *Matcher) result(r *Result, id int) {
	p := &m.patterns[id]
	if p.exclude {
		r.Excluded = append(r.Excluded, m.excludes[p.pos])
	} else {
		r.Keywords = append(r.Keywords, m.keywords[p.pos])
	}
}

// pad supplies the spaces that follow the folded text given to scan: to the
// end of its last block of 64 bytes and one block more, so that words are
// read in place, past their end, and spaceBits covers whole blocks.
var pad = strings.Repeat(" ", 128)

// scan marks in hit, bit id%64 of word id/64, every pattern that occurs in
// text[:n], folded words separated by one or more spaces and followed by
// spaces up to a multiple of 64 bytes, at least 64 of them; spaces is the spaceBits of text. The word
// starts and lengths come from spaces, with no walk over the bytes of a
// word: the filter turns most words away, and the others are compared with
// the first words of their key.
func (m *Matcher) scan(text []byte, n int, spaces []uint64, hit []uint64) {
	ix := &m.index
	// The words of a block that pass the filter, by their offset in the
	// block: gathered without a branch on the filter, which would be
	// mispredicted for a good share of words. At most 32 words start in
	// 64 bytes.
	var pass [32]uint8
	carry := uint64(1) // the byte before the text counts as a space
	for b := 0; b*64 < n; b++ {
		sp, next := spaces[b], spaces[b+1]
		blk := (*[128]byte)(text[b*64:]) // the block and the next one
		starts := ^sp & (sp<<1 | carry)
		carry = sp >> 63
		np := ix.filterBlock(&pass, blk, starts, sp, next)
		for _, o := range pass[:np] {
			off := uint(o) & 63
			i := b*64 + int(off)
			l := bits.TrailingZeros64(sp>>off | next<<1<<(63-off))
			key := ix.wordKey(binary.LittleEndian.Uint64(blk[off:off+8]), l)
			if l == 64 {
				l = wordEnd(text, i+64) - i
			}
			m.start(text, i, l, ix.lookup(key), hit)
		}
	}
}

// filterBlock stores in pass the offsets of the words of blk, which start at
// the bits of starts, that pass the filter, and returns their number; sp and
// next are the spaceBits of blk. It is apart from scan so that its variables
// stay in registers.
func (ix *firstWords) filterBlock(pass *[32]uint8, blk *[128]byte, starts, sp, next uint64) int {
	np := 0
	for starts != 0 {
		// Offsets are below 64: masking them spares the compiler's
		// checks on shifts and indexes.
		off := uint(bits.TrailingZeros64(starts)) & 63
		starts &= starts - 1
		l := bits.TrailingZeros64(sp>>off | next<<1<<(63-off)) // 64: 64 or more
		key := ix.wordKey(binary.LittleEndian.Uint64(blk[off:off+8]), l)
		pass[np&31] = uint8(off)
		np += int(ix.mayStart(key))
	}
	return np
}

// start marks the patterns that occur from the word text[i:i+n], among
// those starting with words.
func (m *Matcher) start(text []byte, i, n int, words []firstWord, hit []uint64) {
	lo := binary.LittleEndian.Uint64(text[i:])
	hi := binary.LittleEndian.Uint64(text[i+8:])
	for k := range words {
		w := &words[k]
		if lo&w.mlo != w.lo || hi&w.mhi != w.hi || n < w.n || n > w.n && !w.prefix {
			continue
		}
		if w.rest != "" && string(text[i+16:i+w.n]) != w.rest {
			continue
		}
		m.try(w.cands, text, i+n, hit)
	}
}

// try marks the candidates whose first word ends at end in text, if the
// rest of their words follow. The first eight bytes of the word after are
// read once for all, and most candidates fail on them. Spaces follow the
// text, as scan requires.
func (m *Matcher) try(cands []cand, text []byte, end int, hit []uint64) {
	j := end + 1 // the next word, or spaces
	if text[j] == ' ' {
		if w := wordStart(text, j); w+8 <= len(text) {
			j = w
		}
	}
	next := binary.LittleEndian.Uint64(text[j:])
	for _, c := range cands {
		if next&c.mask != c.next || hit[uint32(c.id)/64]&(1<<(uint32(c.id)%64)) != 0 {
			continue
		}
		if m.patterns[c.id].rest(text, end) {
			hit[uint32(c.id)/64] |= 1 << (uint32(c.id) % 64)
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

// wordStart returns the index of the first byte that is not a space from
// text[i], or len(text).
func wordStart(text []byte, i int) int {
	for ; i+8 <= len(text); i += 8 {
		y := binary.LittleEndian.Uint64(text[i:]) ^ 0x20*lsb8
		if other := (y&low7x8 + low7x8 | y) & msb8; other != 0 {
			return i + bits.TrailingZeros64(other)>>3
		}
	}
	for ; i < len(text); i++ {
		if text[i] != ' ' {
			return i
		}
	}
	return len(text)
}

// rest reports whether the words of p after the first follow in text from
// end, the index just past the word that matched the first.
func (p *pattern) rest(text []byte, end int) bool {
	for i := 1; i < len(p.words); i++ {
		start := wordStart(text, end)
		if start == len(text) {
			return false
		}
		end = wordEnd(text, start)
		if !wordIs(text[start:end], p.words[i], p.prefix[i]) {
			return false
		}
	}
	return true
}
