package server

import (
	"fmt"
	"time"

	"github.com/vigie-watch/vigie/internal/plaintext"
	"github.com/vigie-watch/vigie/internal/watch"
)

// excerptRunes is the length of an entry's excerpt on the page.
const excerptRunes = 260

var frenchMonths = [...]string{"janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."}

// frenchDate formats t in Paris time, the French way: "14 nov. 2023 à 17:50".
func frenchDate(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	t = t.In(watch.Paris())
	return fmt.Sprintf("%d %s %d à %02d:%02d", t.Day(), frenchMonths[t.Month()-1], t.Year(), t.Hour(), t.Minute())
}

// excerpt returns the start of the first non-empty HTML fragment as plain
// text, cut at a word boundary.
func excerpt(fragments ...string) string {
	for _, f := range fragments {
		if t := plaintext.FromHTML(f); t != "" {
			return plaintext.Truncate(t, excerptRunes)
		}
	}
	return ""
}
