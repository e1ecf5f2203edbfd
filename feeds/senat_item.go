package feeds

import (
	"errors"
	"fmt"
	"html"
	"slices"
	"strings"
	"time"

	"github.com/vigie-watch/vigie/internal/watch"
)

// senatRow gives access to one record's fields by column.
type senatRow struct {
	cols *senatColumns
	rec  []string
}

// get returns the field of column c with its white space trimmed and inner
// runs (line breaks included) collapsed to one space; "" when absent.
func (r senatRow) get(c senatCol) string {
	i := r.cols.index[c]
	if i < 0 || i >= len(r.rec) {
		return ""
	}
	return senatClean(r.rec[i])
}

// errSenatNoID is the reason given for a row without reference or URL.
var errSenatNoID = errors.New("no reference and no url")

// buildSenatItem turns one question into an watch.Item. Dates are midnight in loc.
// A row without any identifier, or with a date that does not parse, is an
// error: a malformed date most often means the columns are shifted.
func buildSenatItem(row senatRow, loc *time.Location) (watch.Item, error) {
	var it watch.Item
	it.GUID = row.get(colReference)
	it.Link = senatLink(row.get(colURL))
	if it.GUID == "" {
		it.GUID = it.Link
	}
	if it.GUID == "" {
		return watch.Item{}, errSenatNoID
	}

	published, err := parseSenatDate(row.get(colPublished), loc)
	if err != nil {
		return watch.Item{}, fmt.Errorf("date de publication JO: %w", err)
	}
	answered, err := parseSenatDate(row.get(colAnswered), loc)
	if err != nil {
		return watch.Item{}, fmt.Errorf("date de réponse JO: %w", err)
	}
	transmitted, err := parseSenatDate(row.get(colTransmitted), loc)
	if err != nil {
		return watch.Item{}, fmt.Errorf("date de transmission: %w", err)
	}

	nature, number := row.get(colNature), row.get(colNumber)
	it.Title = senatTitle(nature, number, row.get(colTitle))
	it.Author = senatAuthor(row)
	it.Categories = senatCategories(row.get(colThemes), row.get(colThemeQC))
	it.Recalls = row.get(colRecalled)
	it.Published = published
	it.Updated = published
	if !answered.IsZero() {
		it.Updated = answered
	}

	var s senatSummary
	s.Grow(512)
	head := senatNatureLabel(nature)
	if number != "" {
		head += " n° " + number
	}
	if it.Author != "" {
		head += " de " + it.Author
	}
	if !published.IsZero() {
		head += ", publiée au JO le " + senatDay(published)
	}
	s.para(head + ".")
	s.labelled("Ministère de dépôt", row.get(colMinistry))
	switch to := row.get(colTransmittedTo); {
	case to != "" && !transmitted.IsZero():
		s.para("Transmise au ministère : " + to + ", le " + senatDay(transmitted))
	case to != "":
		s.labelled("Transmise au ministère", to)
	case !transmitted.IsZero():
		s.para("Transmise le " + senatDay(transmitted))
	}
	switch sort := row.get(colSort); {
	case !answered.IsZero():
		s.para("Réponse publiée au JO le " + senatDay(answered))
	case sort != "":
		s.para(sort)
	default:
		s.para("En attente de réponse")
	}
	s.labelled("Ministère de réponse", row.get(colAnswerMinistry))
	s.labelled("Question rappelée", row.get(colRecalled))
	s.labelled("Thèmes", strings.Join(it.Categories, " / ")) // theme names hold commas
	it.Summary = s.String()
	return it, nil
}

// senatTitle builds "QE n° 09077 : Titre", keeping the nature and number as
// the export writes them.
func senatTitle(nature, number, title string) string {
	t := nature
	if t == "" {
		t = "Question"
	}
	if number != "" {
		t += " n° " + number
	}
	if title != "" {
		t += " : " + title
	}
	return t
}

// senatAuthor builds "M. Jérôme Durain (Saône-et-Loire, SER)", leaving out
// empty parts; "" when the row names nobody.
func senatAuthor(row senatRow) string {
	name := senatJoin(" ", row.get(colCivility), row.get(colFirstName), row.get(colLastName))
	if name == "" || name == row.get(colCivility) {
		return ""
	}
	if where := senatJoin(", ", row.get(colConstituency), row.get(colGroup)); where != "" {
		name += " (" + where + ")"
	}
	return name
}

// senatLink returns the question's URL, resolving a site-relative path.
func senatLink(u string) string {
	if strings.HasPrefix(u, "/") && !strings.HasPrefix(u, "//") {
		return "https://www.senat.fr" + u
	}
	return u
}

// senatNatureLabel spells out the usual natures of questions; others are kept
// as given.
func senatNatureLabel(nature string) string {
	switch strings.ToUpper(nature) {
	case "":
		return "Question"
	case "QE":
		return "Question écrite"
	case "QO":
		return "Question orale"
	case "QOSD":
		return "Question orale sans débat"
	case "QOAD":
		return "Question orale avec débat"
	case "QG":
		return "Question d'actualité au Gouvernement"
	case "QC":
		return "Question crible"
	}
	return nature
}

// senatCategories splits theme fields into categories. Themes are split on
// '/', ';', '|', line breaks and " - " (a spaced hyphen, so that hyphenated
// words stay whole), but not on commas: the Senate's own theme names contain
// them ("PME, commerce et artisanat", "Recherche, sciences et techniques").
// Parts are trimmed and deduplicated ignoring case and accents; the first
// spelling wins and order is kept. At most senatMaxCategories are kept, out of the first 8×senatMaxCategories parts.
const senatMaxCategories = 32 // a real question has one to three themes

func senatCategories(fields ...string) []string {
	var out []string
	for _, f := range fields {
		for part := range strings.FieldsFuncSeq(f, senatThemeSep) {
			for p := range strings.SplitSeq(part, " - ") {
				if p = senatClean(p); p != "" && len(out) < 8*senatMaxCategories {
					out = append(out, p)
				}
			}
		}
	}
	if len(out) < 2 {
		return out
	}
	keys := make([]string, 0, len(out))
	kept := out[:0]
	for _, p := range out {
		key := senatFoldKey(p)
		if key == "" {
			key = p
		}
		if !slices.Contains(keys, key) {
			keys = append(keys, key)
			kept = append(kept, p)
			if len(kept) == senatMaxCategories {
				break
			}
		}
	}
	return kept
}

func senatThemeSep(r rune) bool {
	return r == '/' || r == ';' || r == '|' || r == '\n' || r == '\r'
}

// senatSummary builds the HTML summary: one short paragraph per fact, the
// text escaped.
type senatSummary struct{ strings.Builder }

func (w *senatSummary) para(text string) {
	w.WriteString("<p>")
	w.WriteString(html.EscapeString(text))
	w.WriteString("</p>")
}

// labelled writes "label : value", or nothing when value is empty.
func (w *senatSummary) labelled(label, value string) {
	if value != "" {
		w.para(label + " : " + value)
	}
}

// senatClean trims s and collapses inner runs of white space (line breaks
// and no-break spaces included) to one space.
func senatClean(s string) string {
	s = strings.TrimSpace(s)
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\t', c == '\n', c == '\r', c == '\v', c == '\f',
			c == ' ' && i+1 < len(s) && s[i+1] == ' ',
			c == 0xc2 && i+1 < len(s) && s[i+1] == 0xa0:
			return strings.Join(strings.Fields(s), " ")
		}
	}
	return s
}

func senatJoin(sep string, parts ...string) string {
	var b strings.Builder
	for _, p := range parts {
		if p == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteString(sep)
		}
		b.WriteString(p)
	}
	return b.String()
}
