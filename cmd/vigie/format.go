package main

import (
	"strings"
	"time"

	"github.com/vigie-watch/vigie/internal/plaintext"
)

func when(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.Local().Format("2006-01-02 15:04")
}

func listOrNone(l []string) string {
	if len(l) == 0 {
		return "(none)"
	}
	return strings.Join(l, ", ")
}

// oneLine returns s on one line of at most 100 runes, for tables.
func oneLine(s string) string {
	return plaintext.Truncate(strings.Join(strings.Fields(s), " "), 100)
}
