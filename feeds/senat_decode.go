package feeds

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// senatLineDecoder is an io.Reader that turns a stream whose lines are each
// either UTF-8 or windows-1252 into UTF-8. The choice is made per physical
// line: a line that is valid UTF-8 passes through untouched, any other line
// is decoded as windows-1252 (a superset of Latin-1 for printable text), so
// the output is always valid UTF-8 and a file mixing both still reads right.
// Only one line is held in memory at a time; a leading UTF-8 byte order mark
// is dropped.
type senatLineDecoder struct {
	br    *bufio.Reader
	long  []byte // accumulates lines longer than br's buffer
	dec   []byte // windows-1252 decoding buffer
	out   []byte // decoded bytes of the current line not yet read
	err   error  // sticky: io.EOF or the wrapped read error
	lines int    // physical lines loaded so far
}

func newSenatLineDecoder(r io.Reader) *senatLineDecoder {
	return &senatLineDecoder{br: bufio.NewReaderSize(r, 64<<10)}
}

// Read implements io.Reader.
func (d *senatLineDecoder) Read(p []byte) (int, error) {
	for len(d.out) == 0 {
		if d.err != nil {
			return 0, d.err
		}
		d.fill()
	}
	n := copy(p, d.out)
	d.out = d.out[n:]
	return n, nil
}

// peekLine returns the current line, decoded, loading the next one if the
// current one was fully consumed. It returns a non-nil error only when no
// line is left.
func (d *senatLineDecoder) peekLine() ([]byte, error) {
	for len(d.out) == 0 {
		if d.err != nil {
			return nil, d.err
		}
		d.fill()
	}
	return d.out, nil
}

// skipLine drops the rest of the current line.
func (d *senatLineDecoder) skipLine() { d.out = nil }

// fill loads and decodes the next physical line into d.out. The bytes may
// alias br's buffer: they stay valid until the next fill, which only runs
// once d.out is consumed.
func (d *senatLineDecoder) fill() {
	raw, err := d.br.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		d.long = append(d.long[:0], raw...)
		for err == bufio.ErrBufferFull {
			raw, err = d.br.ReadSlice('\n')
			d.long = append(d.long, raw...)
		}
		raw = d.long
	}
	switch {
	case err == io.EOF:
		d.err = io.EOF
	case err != nil:
		d.err = fmt.Errorf("read: %w", err)
	}
	if len(raw) == 0 {
		return
	}
	if d.lines == 0 {
		raw = bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf"))
	}
	d.lines++
	if utf8.Valid(raw) {
		d.out = raw
		return
	}
	d.dec = senatAppend1252(d.dec[:0], raw)
	d.out = d.dec
}

// senatAppend1252 appends the UTF-8 form of windows-1252 text b to dst.
func senatAppend1252(dst, b []byte) []byte {
	for _, c := range b {
		if c < utf8.RuneSelf {
			dst = append(dst, c)
			continue
		}
		dst = utf8.AppendRune(dst, charmap.Windows1252.DecodeByte(c))
	}
	return dst
}
