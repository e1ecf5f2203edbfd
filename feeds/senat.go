package feeds

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/vigie-watch/vigie/internal/plaintext"
	"github.com/vigie-watch/vigie/internal/watch"
)

// ErrSenateNoHeader is returned (wrapped) by ParseSenateQuestions when the input
// has no header line naming the export's columns.
var ErrSenateNoHeader = errors.New("no header")

// RowError reports a row of the Senate questions export that was skipped.
type RowError struct {
	Line int // line of the input where the row starts, from 1
	Err  error
}

// Error returns "line 12: reason".
func (e RowError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }

// Unwrap returns the reason.
func (e RowError) Unwrap() error { return e.Err }

// ParseSenateQuestions parses the Senate's written and oral questions export
// (https://data.senat.fr/data/questions/questions-depuis-un-an.csv) from r,
// calling fn for each question, in file order. Rows it cannot use are
// reported in the returned []RowError (line number, reason) and skipped
// without losing the others; a fatal error (no header, unreadable input,
// fn's error) is returned as error, with the row errors met so far.
//
// The input is read as a stream, one line at a time. Each line is UTF-8 when
// it is valid UTF-8, else windows-1252 (the export is Latin-1). Blank lines
// and lines starting with '%' may precede the header; the separator is ';',
// or '|' when the header line holds more of those. Columns are found by
// name, ignoring case, accents, spaces, punctuation and order.
//
// One watch.Item per question: GUID is the "Référence" (else the "URL Question"),
// Link the "URL Question", Title "QE n° 09077 : <Titre>", Author
// "M. Jérôme Durain (Saône-et-Loire, SER)", Published the day of publication
// at midnight in Paris, Updated the day of the answer (else Published), and
// Summary short HTML paragraphs stating who asked, the ministries and whether
// the answer is out, so that its text changes when the answer is published
// and only then. Content is empty. Categories come from "Thème(s)" and
// "Thème QC" (see senatCategories).
func ParseSenateQuestions(r io.Reader, fn func(watch.Item) error) ([]RowError, error) {
	loc := watch.Paris()
	dec := newSenatLineDecoder(r)
	headerLine, skipped, err := findSenatHeader(dec)
	if err != nil {
		return nil, err
	}

	headerText := plaintext.Truncate(string(bytes.TrimSpace(headerLine)), 80) // headerLine is valid until dec is read
	cr := csv.NewReader(dec)
	cr.Comma = senatSeparator(headerLine)
	cr.LazyQuotes = true
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true

	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("line %d: read header: %w", skipped+1, err)
	}
	cols := mapSenatHeader(header)
	if !cols.usable() {
		return nil, fmt.Errorf("line %d: %w: no reference, url or title column in %q",
			skipped+1, ErrSenateNoHeader, headerText)
	}

	var rowErrs []RowError
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return rowErrs, nil
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			rowErrs = append(rowErrs, RowError{Line: skipped + pe.StartLine, Err: pe.Err})
			continue
		}
		if err != nil {
			return rowErrs, err
		}
		line, _ := cr.FieldPos(0)
		line += skipped

		if senatAllEmpty(rec) {
			continue // a line of blanks or bare separators
		}
		if len(rec) < cols.minFields {
			rowErrs = append(rowErrs, RowError{Line: line,
				Err: fmt.Errorf("%d fields, want at least %d", len(rec), cols.minFields)})
			continue
		}
		if len(rec) > cols.width && !senatAllEmpty(rec[cols.width:]) {
			rowErrs = append(rowErrs, RowError{Line: line,
				Err: fmt.Errorf("%d fields, header has %d", len(rec), cols.width)})
			continue
		}
		it, err := buildSenatItem(senatRow{cols: &cols, rec: rec}, loc)
		if err != nil {
			rowErrs = append(rowErrs, RowError{Line: line, Err: err})
			continue
		}
		if err := fn(it); err != nil {
			return rowErrs, fmt.Errorf("line %d: %w", line, err)
		}
	}
}

// findSenatHeader skips the blank and '%' comment lines that may open the
// export and returns the header line, left unread in dec, with the number
// of lines skipped.
func findSenatHeader(dec *senatLineDecoder) (line []byte, skipped int, err error) {
	for {
		line, err := dec.peekLine()
		if err == io.EOF {
			return nil, 0, fmt.Errorf("%w: empty input", ErrSenateNoHeader)
		}
		if err != nil {
			return nil, 0, err
		}
		trimmed := bytes.TrimSpace(line)
		if len(trimmed) != 0 && trimmed[0] != '%' {
			return line, skipped, nil
		}
		dec.skipLine()
		skipped++
	}
}

func senatAllEmpty(fields []string) bool {
	for _, f := range fields {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}
