package feeds

import (
	"fmt"
	"strings"
	"time"
)

// parseSenatDate reads a day written dd/mm/yyyy (the export's form),
// yyyy-mm-dd or dd-mm-yyyy, and returns midnight of that day in loc. A time
// of day after a space or a 'T' is ignored. An empty string gives the zero
// time and no error.
func parseSenatDate(s string, loc *time.Location) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	day, _, _ := strings.Cut(s, " ")
	day, _, _ = strings.Cut(day, "T")
	sep := "/"
	if !strings.Contains(day, sep) {
		sep = "-"
	}
	parts := strings.Split(day, sep)
	if len(parts) != 3 {
		return time.Time{}, fmt.Errorf("invalid date %q", s)
	}
	a, okA := senatDigits(parts[0])
	m, okM := senatDigits(parts[1])
	c, okC := senatDigits(parts[2])
	if !okA || !okM || !okC {
		return time.Time{}, fmt.Errorf("invalid date %q", s)
	}
	var y, d int
	switch {
	case len(parts[2]) == 4 && len(parts[0]) <= 2:
		d, y = a, c
	case len(parts[0]) == 4 && len(parts[2]) <= 2 && sep == "-":
		y, d = a, c
	default:
		return time.Time{}, fmt.Errorf("invalid date %q", s)
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, loc)
	if t.Year() != y || int(t.Month()) != m || t.Day() != d {
		return time.Time{}, fmt.Errorf("invalid date %q", s)
	}
	return t, nil
}

// senatDigits parses 1 to 4 ASCII digits.
func senatDigits(s string) (int, bool) {
	if len(s) == 0 || len(s) > 4 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}

// senatDay writes t as dd/mm/yyyy.
func senatDay(t time.Time) string { return t.Format("02/01/2006") }
