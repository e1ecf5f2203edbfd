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
// style) and "&nbsp;". Each separator gives one space, so words may be
// separated by several. It returns where it stopped in s and in buf. buf
// must have room for len(s)-i+8 bytes from k.
//
// foldChunks takes the runs of ASCII other than '<' and '&'; the byte that
// stops it is handled here, and the chunks resume after it.
func foldRun(buf []byte, k int, s string, i int, packed *[tableSize]uint32, latin *[256]byte, markup, tags bool) (int, int) {
	fast := &plainFold
	if markup {
		fast = &markupFold
	}
	for i < len(s) {
		i, k = foldChunks(buf, k, s, i, latin)
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
						k++
						i = end
						continue
					}
				} else if c == '&' && strings.HasPrefix(s[i:], "&nbsp;") {
					buf[k] = ' '
					k++
					i += len("&nbsp;")
					continue
				}
				break
			}
			buf[k] = f
			k++
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
		if p == packedLong {
			break
		}
		// The folding is no longer than the rune: there is room. A
		// separator is packed as one space.
		binary.LittleEndian.PutUint32(buf[k:], p)
		k += int(p >> 24)
		i += n
	}
	return i, k
}

// foldChunks folds s[i:] into buf from k eight bytes at a time while the
// chunks hold only ASCII other than '<' and '&', and returns where it
// stopped, as foldRun does: letters and digits fold to lower case, every
// other byte to a space. A rune of latin (0xc3 and a byte) that folds to one
// byte does not stop it: the chunks resume after it. It is apart from
// foldRun so that its few variables stay in registers.
//
// Each byte goes through chunkFold, which marks the bytes that stop the
// chunks with their top bit: eight table loads cost fewer instructions than
// telling letters, digits and stops apart arithmetically.
func foldChunks(buf []byte, k int, s string, i int, latin *[256]byte) (int, int) {
	t := &chunkFold
	for uint(i)+8 <= uint(len(s)) && uint(k)+8 <= uint(len(buf)) {
		c := s[i : i+8]
		w := uint64(t[c[0]]) | uint64(t[c[1]])<<8 | uint64(t[c[2]])<<16 | uint64(t[c[3]])<<24 |
			uint64(t[c[4]])<<32 | uint64(t[c[5]])<<40 | uint64(t[c[6]])<<48 | uint64(t[c[7]])<<56
		binary.LittleEndian.PutUint64(buf[k:k+8], w)
		bad := w & msb8
		if bad == 0 {
			i += 8
			k += 8
			continue
		}
		n := bits.TrailingZeros64(bad) >> 3
		if j := i + n; s[j] == 0xc3 && j+1 < len(s) {
			if f := latin[s[j+1]]; f != 0 {
				buf[k+n] = f
				i = j + 2
				k += n + 1
				continue
			}
		}
		return i + n, k + n
	}
	return i, k
}

// nameStop marks with 1 the bytes that are not ASCII letters or digits.
var nameStop = func() (t [256]byte) {
	for c := range 256 {
		if !isAlnum(byte(c)) {
			t[c] = 1
		}
	}
	return t
}()

// simpleTag returns the index just past the tag that opens at s[i] (a
// '<') when it is simple: an optional '/', a name of ASCII letters and
// digits starting with a letter, an optional '/', then '>', and the name
// is not script or style (plaintext.DroppedElements: TestSimpleTagSkipsDropped
// checks the two lists agree). It returns 0 otherwise; the tag, if it is
// one, is then left to plaintext.TagScanner, which gives the same end for
// a simple tag.
func simpleTag(s string, i int) int {
	j := i + 1
	if j >= len(s) {
		return 0
	}
	j += int((uint64(s[j]^'/') - 1) >> 63) // past a '/', without a branch
	name := j
	if j >= len(s) || !isASCIILetter(s[j]) {
		return 0
	}
	if j+8 <= len(s) {
		// The name's length without a loop, whose exit would be
		// mispredicted: the first byte of the eight that is not a letter
		// or digit.
		c, t := s[j:j+8], &nameStop
		stop := uint64(t[c[1]])<<8 | uint64(t[c[2]])<<16 | uint64(t[c[3]])<<24 |
			uint64(t[c[4]])<<32 | uint64(t[c[5]])<<40 | uint64(t[c[6]])<<48 | uint64(t[c[7]])<<56
		j += bits.TrailingZeros64(stop|1<<63) >> 3
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
