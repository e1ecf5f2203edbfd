package match

import "encoding/binary"

// Scanning handles folded text eight bytes at a time ("SIMD within a
// register"): in spaceBits, a space is the byte with none of the bits 0x80,
// 0x40 and 0x10; in wordEnd and wordStart, a zero byte of the chunk xor
// 0x20. foldChunks folds eight bytes at a time too, through a table.
const (
	lsb8   = 0x0101010101010101
	msb8   = 0x8080808080808080
	low7x8 = 0x7f7f7f7f7f7f7f7f
)

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

// spaceByte returns a byte whose bit j is set when byte j of v, folded
// text, is a space. Folded text holds only spaces, ASCII lower-case letters
// and digits, and bytes of multi-byte runes: a space is its one byte with
// none of the bits 0x80, 0x40 and 0x10, which the shifts bring to the top
// bit of their own byte.
func spaceByte(v uint64) uint64 {
	space := ^(v | v<<1 | v<<3) & msb8
	// Gather the top bits of the eight bytes into the top byte, in order.
	return (space >> 7) * 0x0102040810204080 >> 56
}
