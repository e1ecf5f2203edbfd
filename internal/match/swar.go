package match

import "encoding/binary"

// Folding and scanning handle ASCII eight bytes at a time ("SIMD within a
// register"): in appendFold, a chunk of letters, digits and single spaces
// folds by setting bit 0x20 of each byte; in wordEnd, a space is a zero
// byte of the chunk xor 0x20.
const (
	lsb8   = 0x0101010101010101
	msb8   = 0x8080808080808080
	low7x8 = 0x7f7f7f7f7f7f7f7f
)

// load8 reads s[i:i+8] as a little-endian word; the compiler makes it one
// load.
func load8(s string, i int) uint64 {
	s = s[i : i+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// store8 writes w to buf[k:k+8].
func store8(buf []byte, k int, w uint64) { binary.LittleEndian.PutUint64(buf[k:], w) }
