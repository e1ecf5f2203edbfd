package match

import "math/bits"

// firstWords finds the patterns that can start at a text word, with no walk
// over its bytes: a Bloom filter on the first bytes of the word turns most
// words away, and an open-addressing table on the same bytes gives the few
// first words to compare with the others, sixteen bytes at a time.
type firstWords struct {
	keyLen  int                     // bytes of a word in its key, 1 to 4
	keyMask [65]uint64              // by word length: the mask that keeps its key
	filter  [filterBits / 64]uint64 // set bits: filterHash of the key of a first word
	slots   []slot                  // by key; len is a power of two
	shift   uint                    // 64 - log2(len(slots))
	words   []firstWord             // grouped by key, as slots give them
}

// slot holds the first words of one key: words[from:to]. A key is never 0.
type slot struct {
	key      uint64
	from, to int32
}

// firstWord is the first word of some patterns: its first sixteen bytes,
// little endian in lo and hi and zero past its end, the masks that keep
// as many bytes of a text word, the bytes after the sixteenth, and whether
// it is a prefix.
type firstWord struct {
	lo, hi, mlo, mhi uint64
	n                int
	rest             string
	prefix           bool
	cands            []cand // the patterns that start with it
}

// cand is a pattern that may start at a word, with a quick test of its
// second word: the first eight bytes of the next text word, little endian
// and padded with spaces, must give next once masked with mask. For a
// pattern of one word, both are 0.
type cand struct {
	id         int32
	next, mask uint64
}

// filterLog is the base-2 log of filterBits, the size of firstWords.filter:
// with a few hundred first words, about one text word in a hundred that no
// pattern starts with passes it by chance.
const (
	filterLog  = 14
	filterBits = 1 << filterLog
)

const fibonacci = 0x9e3779b97f4a7c15

// wordKey returns the key of a word: its first min(n, keyLen) bytes, where
// n is its length and v its first eight bytes, little endian. A text word
// that a first word matches, whole or as a prefix, has the key of that first
// word, since a prefix first word is at least keyLen bytes long.
func (ix *firstWords) wordKey(v uint64, n int) uint64 {
	return v & ix.keyMask[min(uint(n), 64)]
}

// mayStart returns 1 when some first word may have that key, 0 when none
// has.
func (ix *firstWords) mayStart(key uint64) uint64 {
	h := key * fibonacci >> (64 - filterLog)
	return ix.filter[h/64] >> (h % 64) & 1
}

// lookup returns the first words of that key.
func (ix *firstWords) lookup(key uint64) []firstWord {
	mask := uint64(len(ix.slots) - 1)
	for h := key * fibonacci >> ix.shift; ; h = (h + 1) & mask {
		s := &ix.slots[h]
		if s.key == key {
			return ix.words[s.from:s.to]
		}
		if s.key == 0 {
			return nil
		}
	}
}

func buildIndex(patterns []pattern) firstWords {
	ix := firstWords{keyLen: 4}
	for _, p := range patterns {
		if p.prefix[0] {
			ix.keyLen = min(ix.keyLen, len(p.words[0]))
		}
	}
	for n := range ix.keyMask {
		ix.keyMask[n] = 1<<(8*min(n, ix.keyLen)) - 1
	}
	// One firstWord per first word and prefix flag, grouped by key.
	type group struct {
		key   uint64
		words []firstWord
	}
	var groups []*group
	byKey := make(map[uint64]*group)
	for id, p := range patterns {
		w := newFirstWord(p.words[0], p.prefix[0])
		key := ix.wordKey(w.lo, w.n)
		g := byKey[key]
		if g == nil {
			g = &group{key: key}
			byKey[key] = g
			groups = append(groups, g)
			h := key * fibonacci >> (64 - filterLog)
			ix.filter[h/64] |= 1 << (h % 64)
		}
		k := 0
		for k < len(g.words) && (g.words[k].n != w.n || g.words[k].prefix != w.prefix ||
			g.words[k].lo != w.lo || g.words[k].hi != w.hi || g.words[k].rest != w.rest) {
			k++
		}
		if k == len(g.words) {
			g.words = append(g.words, w)
		}
		g.words[k].cands = append(g.words[k].cands, newCand(id, p))
	}
	size := 1 << bits.Len(uint(2*len(groups)))
	ix.slots = make([]slot, size)
	ix.shift = uint(64 - bits.TrailingZeros(uint(size)))
	for _, g := range groups {
		h := g.key * fibonacci >> ix.shift
		for ix.slots[h].key != 0 {
			h = (h + 1) & uint64(size-1)
		}
		from := int32(len(ix.words))
		ix.words = append(ix.words, g.words...)
		ix.slots[h] = slot{key: g.key, from: from, to: int32(len(ix.words))}
	}
	return ix
}

// newFirstWord returns w as a firstWord, with no patterns yet.
func newFirstWord(w string, prefix bool) firstWord {
	f := firstWord{n: len(w), prefix: prefix}
	for i := range min(len(w), 16) {
		if i < 8 {
			f.lo |= uint64(w[i]) << (8 * i)
			f.mlo |= 0xff << (8 * i)
		} else {
			f.hi |= uint64(w[i]) << (8 * (i - 8))
			f.mhi |= 0xff << (8 * (i - 8))
		}
	}
	if len(w) > 16 {
		f.rest = w[16:]
	}
	return f
}

// newCand returns the cand of pattern id.
func newCand(id int, p pattern) cand {
	c := cand{id: int32(id)}
	if len(p.words) < 2 {
		return c
	}
	w := p.words[1]
	if !p.prefix[1] {
		w += " " // the word must end there
	}
	for i := range min(len(w), 8) {
		c.next |= uint64(w[i]) << (8 * i)
		c.mask |= 0xff << (8 * i)
	}
	return c
}
