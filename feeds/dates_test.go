package feeds_test

import (
	"testing"
	"time"

	"github.com/vigie-watch/vigie/feeds"
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		in   string
		want string // RFC 3339, in UTC
	}{
		{"Wed,07 Oct 2026 10:00:00 GMT", "2026-10-07T10:00:00Z"},
		{"Wed, 07 Oct 2026 10:00:00 GMT", "2026-10-07T10:00:00Z"},
		{"  Wed,7 Oct 2026 10:00:00 GMT\n", "2026-10-07T10:00:00Z"},
		{"Mon, 04 May 2020 17:50:19 +0200", "2020-05-04T15:50:19Z"},
		{"Mon, 4 May 2020 17:50 +0200", "2020-05-04T15:50:00Z"},
		{"Mon, 04 May 2020 17:50:19 +02:00", "2020-05-04T15:50:19Z"},
		{"Mon, 04 May 2020 17:50:19 CEST", "2020-05-04T15:50:19Z"},
		{"Thu, 01 Jan 2026 9:05:00 CET", "2026-01-01T08:05:00Z"},
		{"Thu, 01 Jan 2026 09:05:00 UT", "2026-01-01T09:05:00Z"},
		{"Thu, 01 Jan 2026 09:05:00 EST", "2026-01-01T14:05:00Z"},
		{"Thu, 01 Jan 2026 09:05:00 GMT+01:00", "2026-01-01T08:05:00Z"},
		{"Thu, 01 Jan 2026 09:05:00.123 Z", "2026-01-01T09:05:00.123Z"},
		{"01 Jan 2026 09:05 +0100", "2026-01-01T08:05:00Z"},
		{"1 Jan 2026", "2026-01-01T00:00:00Z"},
		{"Jan 2, 2026 10:00:00 +0000", "2026-01-02T10:00:00Z"},
		{"January 2, 2026", "2026-01-02T00:00:00Z"},
		{"Thu, 01 Jan 26 09:05:00 +0000", "2026-01-01T09:05:00Z"},
		{"mercredi 7 octobre 2026 10:00:00 +0200", "2026-10-07T08:00:00Z"},
		{"jeudi 1er octobre 2026 à 10h30", "2026-10-01T10:30:00Z"},
		{"7 févr. 2026", "2026-02-07T00:00:00Z"},
		{"mar. 3 mars 2026 9h", "2026-03-03T09:00:00Z"},
		{"Mar 3 2026", "2026-03-03T00:00:00Z"},
		{"12 août 2026 18:00 CEST", "2026-08-12T16:00:00Z"},
		{"15 décembre 2025", "2025-12-15T00:00:00Z"},
		{"2026-10-07T10:00:00+02:00", "2026-10-07T08:00:00Z"},
		{"2026-10-07T10:00:00Z", "2026-10-07T10:00:00Z"},
		{"2026-10-07T10:00+02:00", "2026-10-07T08:00:00Z"},
		{"2026-10-07T10:00:00", "2026-10-07T10:00:00Z"},
		{"2026-10-07 10:00:00", "2026-10-07T10:00:00Z"},
		{"2026-10-07 10:00:00 +0200", "2026-10-07T08:00:00Z"},
		{"2026-10-07 10:00:00 CEST", "2026-10-07T08:00:00Z"},
		{"2026-10-07", "2026-10-07T00:00:00Z"},
		{"07/10/2026", "2026-10-07T00:00:00Z"},
		{"7/10/2026 10:00", "2026-10-07T10:00:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := feeds.ParseDate(tt.in)
			if err != nil {
				t.Fatalf("ParseDate(%q): %v", tt.in, err)
			}
			want, err := time.Parse(time.RFC3339Nano, tt.want)
			if err != nil {
				t.Fatal(err)
			}
			if !got.Equal(want) {
				t.Errorf("ParseDate(%q): got %s, want %s", tt.in, got.UTC().Format(time.RFC3339Nano), tt.want)
			}
		})
	}
}

func TestParseDateRejects(t *testing.T) {
	for _, in := range []string{"", "   ", "demain", "32 Oct 2026", "Wed, 07 Foo 2026 10:00:00 GMT", "2026-13-01", "10:00"} {
		if got, err := feeds.ParseDate(in); err == nil {
			t.Errorf("ParseDate(%q): got %v, want an error", in, got)
		}
	}
}

// TestParseItemDates checks what Parse does with dates gofeed cannot read,
// with undated items and with dates in the future.
func TestParseItemDates(t *testing.T) {
	now := time.Date(2026, 10, 7, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		pubDate string
		want    time.Time
	}{
		{"Wed,07 Oct 2026 10:00:00 GMT", time.Date(2026, 10, 7, 10, 0, 0, 0, time.UTC)},
		{"mercredi 7 octobre 2026 à 11h30", time.Date(2026, 10, 7, 11, 30, 0, 0, time.UTC)},
		{"", time.Time{}},
		{"n'importe quoi", time.Time{}},
		{"Wed, 07 Oct 2026 12:09:00 GMT", time.Date(2026, 10, 7, 12, 9, 0, 0, time.UTC)},
		{"Wed, 07 Oct 2026 12:11:00 GMT", now},
		{"Wed, 07 Oct 2026 16:00:00 +0200", now}, // 14:00 UTC, two hours ahead
		{"Fri, 01 Jan 2100 00:00:00 GMT", now},
	}
	for _, tt := range tests {
		t.Run(tt.pubDate, func(t *testing.T) {
			doc := `<rss version="2.0"><channel><title>t</title><item><title>x</title><link>https://e.org/x</link><pubDate>` +
				tt.pubDate + `</pubDate></item></channel></rss>`
			f, err := feeds.Parse([]byte(doc), "", "https://e.org/feed", now)
			if err != nil {
				t.Fatal(err)
			}
			if got := f.Items[0].Published; !got.Equal(tt.want) {
				t.Errorf("Published: got %v, want %v", got, tt.want)
			}
			if got := f.Items[0].Published.Location(); !f.Items[0].Published.IsZero() && got != time.UTC {
				t.Errorf("Published location: got %v, want UTC", got)
			}
		})
	}
}
