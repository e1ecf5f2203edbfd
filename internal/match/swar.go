package match

import "encoding/binary"

// Scanning handles folded text eight bytes at a time ("SIMD within a
// register"): in spaceBits, wordEnd and wordStart, a space is a zero byte
// of the chunk xor 0x20, exactly ' ', so that they hold whatever the word
// rule (words.go) lets into words. foldChunks folds eight bytes at a time
// too, through a table.
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
		// One NOT for the 64 bytes rather than one per eight.
		dst = append(dst, ^(otherByte(le.Uint64(t[0:])) | otherByte(le.Uint64(t[8:]))<<8 |
			otherByte(le.Uint64(t[16:]))<<16 | otherByte(le.Uint64(t[24:]))<<24 |
			otherByte(le.Uint64(t[32:]))<<32 | otherByte(le.Uint64(t[40:]))<<40 |
			otherByte(le.Uint64(t[48:]))<<48 | otherByte(le.Uint64(t[56:]))<<56))
	}
	return dst
}

// otherByte returns a byte whose bit j is set when byte j of v is not a
// space: not ' ', whatever else it is.
func otherByte(v uint64) uint64 {
	y := v ^ 0x20*lsb8
	// (y|0x80)-1 cannot borrow from the next byte; its top bit is set when
	// the low seven bits of y's byte are not all zero.
	other := ((y | msb8) - lsb8 | y) & msb8
	// Gather the top bits of the eight bytes into the top byte, in order.
	return (other >> 7) * 0x0102040810204080 >> 56
}
