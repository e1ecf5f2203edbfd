package match

import "encoding/binary"

// Folding and scanning handle ASCII eight bytes at a time ("SIMD within a
// register"): in foldChunks, a chunk of ASCII folds by setting bit 0x20 of
// its letters and turning its other bytes but digits into spaces; in
// spaceBits, wordEnd and wordStart, a space is a zero byte of the chunk xor
// 0x20.
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

// spaceBits appends to dst one word per block of 64 bytes of text, whose
// length is a multiple of 64: bit j of a word is set when byte j of the
// block is a space.
func spaceBits(dst []uint64, text []byte) []uint64 {
	for b := 0; b+64 <= len(text); b += 64 {
		t := text[b : b+64 : b+64] // one bounds check for the eight loads
		le := binary.LittleEndian
		dst = append(dst, spaceByte(le.Uint64(t[0:]))|spaceByte(le.Uint64(t[8:]))<<8|
			spaceByte(le.Uint64(t[16:]))<<16|spaceByte(le.Uint64(t[24:]))<<24|
			spaceByte(le.Uint64(t[32:]))<<32|spaceByte(le.Uint64(t[40:]))<<40|
			spaceByte(le.Uint64(t[48:]))<<48|spaceByte(le.Uint64(t[56:]))<<56)
	}
	return dst
}

// spaceByte returns a byte whose bit j is set when byte j of v is a space.
func spaceByte(v uint64) uint64 {
	y := v ^ 0x20*lsb8
	zero := msb8 &^ ((y&low7x8 + low7x8) | y) // exact: no carry between bytes
	// Gather the top bits of the eight bytes into the top byte, in order.
	return (zero >> 7) * 0x0102040810204080 >> 56
}
