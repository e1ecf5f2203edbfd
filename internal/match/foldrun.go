package match

import (
	"encoding/binary"
	"math/bits"
	"strings"
)

// foldRun folds s[i:] into buf from k, as appendFold does, for as long as
// it meets only ASCII, runes whose folding packedTable holds, simple tags
// (letters and digits, maybe a '/' before or after them, no attributes:
// "<p>", "</a>", "<br/>", when tags is set and the name is not script or
// style) and "&nbsp;". It returns where it stopped in s and in buf, and
// sp: 0x80 when buf[:k] ends with a separator (or holds no word yet), 0
// otherwise. buf must have room for len(s)-i+8 bytes from k.
//
// foldChunks takes the runs of letters, digits and single spaces; the byte
// that stops it is handled here, and the chunks resume after it.
func foldRun(buf []byte, k int, s string, i int, sp uint64, packed *[tableSize]uint32, markup, tags bool) (int, int, uint64) {
	fast := &plainFold
	if markup {
		fast = &markupFold
	}
	for i < len(s) {
		i, k, sp = foldChunks(buf, k, s, i, sp)
		if i >= len(s) {
			break
		}
		c := s[i]
		if c < 0x80 {
			f := fast[c]
			if f == 0 {
				if c == '<' && tags {
					if end := simpleTag(s, i); end > 0 {
						buf[k] = ' '
						k += int(1 - sp>>7)
						sp = 0x80
						i = end
						continue
					}
				} else if c == '&' && strings.HasPrefix(s[i:], "&nbsp;") {
					buf[k] = ' '
					k += int(1 - sp>>7)
					sp = 0x80
					i += len("&nbsp;")
					continue
				}
				break
			}
			buf[k] = f
			if f == ' ' {
				k += int(1 - sp>>7)
				sp = 0x80
			} else {
				k++
				sp = 0
			}
			i++
			continue
		}
		var r rune
		n := 2
		if c < 0xe0 {
			if c < 0xc2 || i+1 >= len(s) || s[i+1]&0xc0 != 0x80 {
				break
			}
			r = rune(c&0x1f)<<6 | rune(s[i+1]&0x3f)
		} else if r, n = decode3(s, i); n == 0 || r >= tableSize {
			break
		}
		p := packed[r]
		switch {
		case p == packedLong:
			return i, k, sp
		case p == packedSep:
			buf[k] = ' '
			k += int(1 - sp>>7)
			sp = 0x80
		default:
			// The folding is no longer than the rune: there is room.
			binary.LittleEndian.PutUint32(buf[k:], p)
			if m := int(p >> 24); m > 0 {
				k += m
				sp = 0
			}
		}
		i += n
	}
	return i, k, sp
}

// foldChunks folds s[i:] into buf from k eight bytes at a time while the
// chunks hold only ASCII letters, digits and single spaces, and returns
// where it stopped, as foldRun does. It is apart from foldRun so that its
// few variables stay in registers.
func foldChunks(buf []byte, k int, s string, i int, sp uint64) (int, int, uint64) {
	for i+8 <= len(s) {
		v := load8(s, i)
		// A byte of 0x80 or more is a stop: the sums below may carry out
		// of it, but only into the bytes after it, which do not count.
		low := v | 0x20*lsb8
		letter := (low + (0x80-'a')*lsb8) &^ (low + (0x80-'z'-1)*lsb8)
		digit := (v + (0x80-'0')*lsb8) &^ (v + (0x80-'9'-1)*lsb8)
		y := v ^ 0x20*lsb8
		space := msb8 &^ (y + 0x7f*lsb8 | y)
		bad := (msb8&^(letter|digit|space)|v)&msb8 | space&(space<<8|sp)
		store8(buf, k, low)
		if bad == 0 {
			i += 8
			k += 8
			sp = space >> 56
			continue
		}
		n := bits.TrailingZeros64(bad) >> 3
		sp = (space<<8 | sp) >> (8 * n) & 0x80
		return i + n, k + n, sp
	}
	return i, k, sp
}

// simpleTag returns the index just past the tag that opens at s[i] (a
// '<') when it is simple: an optional '/', a name of ASCII letters and
// digits starting with a letter, an optional '/', then '>', and the name
// is not script or style. It returns 0 otherwise; the tag, if it is one,
// is then left to stripper.tagEnd, which gives the same end for a simple
// tag.
func simpleTag(s string, i int) int {
	j := i + 1
	if j < len(s) && s[j] == '/' {
		j++
	}
	name := j
	if j >= len(s) || !isASCIILetter(s[j]) {
		return 0
	}
	for j < len(s) && isAlnum(s[j]) {
		j++
	}
	end := j
	if j < len(s) && s[j] == '/' {
		j++
	}
	if j >= len(s) || s[j] != '>' {
		return 0
	}
	if n := end - name; n == 6 && s[name+1]|0x20 == 'c' && strings.EqualFold(s[name:end], "script") ||
		n == 5 && s[name+1]|0x20 == 't' && strings.EqualFold(s[name:end], "style") {
		return 0
	}
	return j + 1
}
