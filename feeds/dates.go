package feeds

import (
	"cmp"
	"errors"
	"fmt"
	"strings"
	"time"
)

// futureSlack is how far ahead of now an item date may be before it is
// taken for a clock or time-zone mistake and clamped to now.
const futureSlack = 10 * time.Minute

var errNoDate = errors.New("empty date")

// dateLayouts are tried, in order, on a date normalised by normaliseDate:
// no weekday, no commas, English month abbreviations, numeric zones (ISO
// dates with a zone name, "2026-10-07 10:00:00 CEST", end up here too).
var dateLayouts = []string{
	"2 Jan 2006 15:04:05 -0700",
	"2 Jan 2006 15:04 -0700",
	"2 Jan 2006 15:04:05",
	"2 Jan 2006 15:04",
	"2 Jan 2006",
	"2 Jan 06 15:04:05 -0700",
	"2 Jan 06 15:04 -0700",
	"Jan 2 2006 15:04:05 -0700",
	"Jan 2 2006 15:04 -0700",
	"Jan 2 2006 15:04:05",
	"Jan 2 2006 15:04",
	"Jan 2 2006",
	"Jan 2 15:04:05 2006",
	"2006-01-02 15:04:05 -0700",
	"2/1/2006 15:04:05",
	"2/1/2006 15:04",
	"2/1/2006",
}

// dateMonths maps French and English month names and abbreviations,
// lower-cased and without a final dot, to the abbreviation Go parses.
var dateMonths = map[string]string{
	"janvier": "Jan", "janv": "Jan", "jan": "Jan", "january": "Jan",
	"février": "Feb", "fevrier": "Feb", "févr": "Feb", "fevr": "Feb", "fév": "Feb", "fev": "Feb", "feb": "Feb", "february": "Feb",
	"mars": "Mar", "mar": "Mar", "march": "Mar",
	"avril": "Apr", "avr": "Apr", "apr": "Apr", "april": "Apr",
	"mai": "May", "may": "May",
	"juin": "Jun", "jun": "Jun", "june": "Jun",
	"juillet": "Jul", "juil": "Jul", "jul": "Jul", "july": "Jul",
	"août": "Aug", "aout": "Aug", "aoû": "Aug", "aug": "Aug", "august": "Aug",
	"septembre": "Sep", "sept": "Sep", "sep": "Sep", "september": "Sep",
	"octobre": "Oct", "oct": "Oct", "october": "Oct",
	"novembre": "Nov", "nov": "Nov", "november": "Nov",
	"décembre": "Dec", "decembre": "Dec", "déc": "Dec", "dec": "Dec", "december": "Dec",
}

// dateWeekdays are dropped: a weekday adds nothing and is sometimes wrong.
var dateWeekdays = map[string]bool{
	"mon": true, "tue": true, "wed": true, "thu": true, "fri": true, "sat": true, "sun": true,
	"monday": true, "tuesday": true, "wednesday": true, "thursday": true, "friday": true,
	"saturday": true, "sunday": true,
	"lun": true, "mar": true, "mer": true, "jeu": true, "ven": true, "sam": true, "dim": true,
	"lundi": true, "mardi": true, "mercredi": true, "jeudi": true, "vendredi": true,
	"samedi": true, "dimanche": true,
}

// dateZones maps the zone abbreviations seen in feeds to numeric offsets:
// time.Parse would read an unknown abbreviation as UTC.
var dateZones = map[string]string{
	"z": "+0000", "ut": "+0000", "utc": "+0000", "gmt": "+0000",
	"wet": "+0000", "west": "+0100", "bst": "+0100",
	"cet": "+0100", "cest": "+0200", "met": "+0100", "mest": "+0200",
	"eet": "+0200", "eest": "+0300",
	"est": "-0500", "edt": "-0400", "cst": "-0600", "cdt": "-0500",
	"mst": "-0700", "mdt": "-0600", "pst": "-0800", "pdt": "-0700",
}

// isoLayouts are tried on the raw string, before any normalisation.
var isoLayouts = []string{
	time.RFC3339,
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05 -07:00",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04",
	"2006-01-02",
}

// ParseDate reads a feed date that gofeed could not: RFC 822 dates with no
// space after the comma (the Senate's "Wed,07 Oct 2026 10:00:00 GMT"),
// single-digit days, missing seconds, zone names (CEST, CET, GMT...) or
// numeric zones with or without a colon, ISO 8601, dd/mm/yyyy, and French
// month names ("mardi 7 octobre 2026 à 10h00"). A date without a zone is UTC.
func ParseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, errNoDate
	}
	for _, layout := range isoLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	norm := normaliseDate(s)
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, norm); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("unknown date format %q", s)
}

// normaliseDate rewrites s into the vocabulary of dateLayouts: no weekday,
// no commas, English month abbreviations, numeric zones, hh:mm times.
func normaliseDate(s string) string {
	fields := strings.Fields(strings.ReplaceAll(strings.ToLower(s), ",", " "))
	for i, f := range fields {
		fields[i] = strings.TrimSuffix(f, ".")
	}
	// "mar" is both mardi and March: it is a weekday only before a month.
	if len(fields) > 1 && dateWeekdays[fields[0]] && (dateMonths[fields[0]] == "" || hasMonth(fields[1:])) {
		fields = fields[1:]
	}
	out := make([]string, 0, len(fields))
	for _, f := range fields {
		switch {
		case f == "à" || f == "at":
			continue
		case dateMonths[f] != "":
			f = dateMonths[f]
		case dateZones[f] != "":
			f = dateZones[f]
		case f == "1er":
			f = "1"
		case isNumericZone(f):
			f = numericZone(f)
		case strings.HasPrefix(f, "gmt") && isNumericZone(f[3:]):
			f = numericZone(f[3:])
		case isFrenchTime(f):
			h, m, _ := strings.Cut(f, "h")
			f = h + ":" + cmp.Or(m, "00")
		}
		out = append(out, f)
	}
	return strings.Join(out, " ")
}

func hasMonth(fields []string) bool {
	for _, f := range fields {
		if dateMonths[f] != "" {
			return true
		}
	}
	return false
}

// isNumericZone reports whether f is +hh, +hhmm or +hh:mm (or with -).
func isNumericZone(f string) bool {
	if len(f) < 3 || (f[0] != '+' && f[0] != '-') {
		return false
	}
	digits := strings.Replace(f[1:], ":", "", 1)
	return (len(digits) == 2 || len(digits) == 4) && digitsOnly(digits)
}

// numericZone writes a numeric zone as -0700.
func numericZone(f string) string {
	f = strings.Replace(f, ":", "", 1)
	if len(f) == 3 {
		f += "00"
	}
	return f
}

// isFrenchTime reports whether f is a time written 10h00 or 9h.
func isFrenchTime(f string) bool {
	h, m, ok := strings.Cut(f, "h")
	return ok && len(h) >= 1 && len(h) <= 2 && digitsOnly(h) && (m == "" || len(m) == 2 && digitsOnly(m))
}

func digitsOnly(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

// clampDate returns t, or now when t is further in the future than
// futureSlack allows. A zero t stays zero.
func clampDate(t, now time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	if t.After(now.Add(futureSlack)) {
		return now
	}
	return t
}
