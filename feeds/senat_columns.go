package feeds

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// senatCol names a column of the Senate questions export.
type senatCol int

const (
	colSort senatCol = iota
	colNature
	colNumber
	colReference
	colTitle
	colLastName
	colFirstName
	colCivility
	colConstituency
	colGroup
	colMembership
	colPublished
	colMinistry
	colTransmitted
	colTransmittedTo
	colAnswerMinistry
	colAnswered
	colRecalled
	colThemes
	colThemeQC
	colURL
	senatColCount
)

// senatHeaders maps folded header names (see senatFoldKey) to columns. Several
// spellings may name one column.
var senatHeaders = map[string]senatCol{
	"sort":                          colSort,
	"nature":                        colNature,
	"numero":                        colNumber,
	"reference":                     colReference,
	"titre":                         colTitle,
	"nom":                           colLastName,
	"prenom":                        colFirstName,
	"civilite":                      colCivility,
	"circonscription":               colConstituency,
	"groupe":                        colGroup,
	"typeappartenance":              colMembership,
	"datedepublicationjo":           colPublished,
	"datepublicationjo":             colPublished,
	"ministerededepot":              colMinistry,
	"datedetransmission":            colTransmitted,
	"ministeredetransmission":       colTransmittedTo,
	"ministeredereponse":            colAnswerMinistry,
	"datedereponsejo":               colAnswered,
	"datereponsejo":                 colAnswered,
	"referencedelaquestionrappelee": colRecalled,
	"themes":                        colThemes,
	"theme":                         colThemes,
	"themeqc":                       colThemeQC,
	"urlquestion":                   colURL,
	"url":                           colURL,
}

// senatColumns locates each column in a record: the index of its field, or
// -1 when the header lacks it.
type senatColumns struct {
	index     [senatColCount]int
	known     int // how many columns the header names
	minFields int // a row needs this many fields to reach every known column
	width     int // number of header fields
}

// mapSenatHeader reads a header record. The first field with a given name
// wins.
func mapSenatHeader(header []string) senatColumns {
	var c senatColumns
	for i := range c.index {
		c.index[i] = -1
	}
	c.width = len(header)
	for i, name := range header {
		col, ok := senatHeaders[senatFoldKey(name)]
		if !ok || c.index[col] >= 0 {
			continue
		}
		c.index[col] = i
		c.known++
		c.minFields = max(c.minFields, i+1)
	}
	return c
}

// usable reports whether a header names enough columns to build items: an
// identifier (reference or URL) and a title.
func (c *senatColumns) usable() bool {
	return (c.index[colReference] >= 0 || c.index[colURL] >= 0) && c.index[colTitle] >= 0
}

// senatFoldKey reduces a name to lower-case ASCII letters and digits:
// accents (split off by NFD), case, spaces and punctuation are dropped, so
// "Numéro", "NUMERO" and "numero " are one key, and so are "Thème(s)" and
// "THEMES". Letters with no ASCII base other than œ and æ are dropped too.
func senatFoldKey(s string) string {
	if !senatASCII(s) {
		s = norm.NFD.String(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		r = unicode.ToLower(r)
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteByte(byte(r))
		case r == 'œ':
			b.WriteString("oe")
		case r == 'æ':
			b.WriteString("ae")
		}
	}
	return b.String()
}

func senatASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// senatSeparator picks the field separator from the header line: '|' when
// it occurs more often than ';', else ';'.
func senatSeparator(header []byte) rune {
	if bytes.Count(header, []byte("|")) > bytes.Count(header, []byte(";")) {
		return '|'
	}
	return ';'
}
