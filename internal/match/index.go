package match

// firstWords is a byte trie over the first words of all patterns: one walk
// over a text word finds every pattern that can start there, exact or
// prefix, without a map lookup per wildcard length.
type firstWords struct {
	class  [256]uint8 // byte → column in trans; 0: no first word has it
	ncls   int
	trans  []int32   // trans[node*ncls+class] = child node, 0 for none; column 0 is all 0
	flags  []uint8   // per node: exactHere, prefixHere
	exact  [][]int32 // per node: patterns whose first word ends here
	prefix [][]int32 // per node: patterns whose first word is a prefix ending here
}

// Node flags.
const (
	exactHere = 1 << iota
	prefixHere
)

func buildIndex(patterns []pattern) firstWords {
	var ix firstWords
	ix.ncls = 1
	for _, p := range patterns {
		w := p.words[0]
		for i := 0; i < len(w); i++ {
			if ix.class[w[i]] == 0 {
				ix.class[w[i]] = uint8(ix.ncls)
				ix.ncls++
			}
		}
	}
	ix.newNode()
	for id, p := range patterns {
		n := int32(0)
		w := p.words[0]
		for i := 0; i < len(w); i++ {
			t := int(n)*ix.ncls + int(ix.class[w[i]])
			if ix.trans[t] == 0 {
				ix.trans[t] = ix.newNode()
			}
			n = ix.trans[t]
		}
		if p.prefix[0] {
			ix.prefix[n] = append(ix.prefix[n], int32(id))
			ix.flags[n] |= prefixHere
		} else {
			ix.exact[n] = append(ix.exact[n], int32(id))
			ix.flags[n] |= exactHere
		}
	}
	return ix
}

func (ix *firstWords) newNode() int32 {
	n := int32(len(ix.exact))
	ix.trans = append(ix.trans, make([]int32, ix.ncls)...)
	ix.flags = append(ix.flags, 0)
	ix.exact = append(ix.exact, nil)
	ix.prefix = append(ix.prefix, nil)
	return n
}
