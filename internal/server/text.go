package server

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// excerptRunes is the length of an entry's excerpt on the page.
const excerptRunes = 260

var frenchMonths = [...]string{"janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."}

// frenchDate formats t in Paris time, the French way: "14 nov. 2023 à 17:50".
func frenchDate(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	t = t.In(paris())
	return fmt.Sprintf("%d %s %d à %02d:%02d", t.Day(), frenchMonths[t.Month()-1], t.Year(), t.Hour(), t.Minute())
}

func paris() *time.Location {
	if loc, err := time.LoadLocation("Europe/Paris"); err == nil {
		return loc
	}
	return time.UTC
}

// excerpt returns the start of the first non-empty HTML fragment as plain
// text, cut at a word boundary.
func excerpt(fragments ...string) string {
	for _, f := range fragments {
		if t := plainText(f); t != "" {
			return truncate(t, excerptRunes)
		}
	}
	return ""
}

// plainText returns the text of an HTML fragment, entities decoded, the
// content of script and style elements dropped, white space collapsed.
func plainText(s string) string {
	var b strings.Builder
	z := html.NewTokenizer(strings.NewReader(s))
	skip := 0
	for {
		switch z.Next() {
		case html.ErrorToken:
			return strings.Join(strings.Fields(b.String()), " ")
		case html.StartTagToken:
			name, _ := z.TagName()
			if a := atom.Lookup(name); a == atom.Script || a == atom.Style {
				skip++
			}
			b.WriteByte(' ')
		case html.EndTagToken:
			name, _ := z.TagName()
			if a := atom.Lookup(name); (a == atom.Script || a == atom.Style) && skip > 0 {
				skip--
			}
			b.WriteByte(' ')
		case html.TextToken:
			if skip == 0 {
				b.Write(z.Text())
			}
		}
	}
}

// truncate cuts s to at most n runes, at a space when there is one near,
// and adds an ellipsis when it cut.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	cut := 0
	for i := range s {
		if n == 0 {
			cut = i
			break
		}
		n--
	}
	s = s[:cut]
	if i := strings.LastIndexByte(s, ' '); i > len(s)*3/4 {
		s = s[:i]
	}
	return strings.TrimRight(s, " ,;:.–—") + "…"
}
