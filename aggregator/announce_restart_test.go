package aggregator_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/vigie-watch/vigie/internal/vigietest"
)

const day = 24 * time.Hour

// announceSwitch is the config line of each setting of announce_failures,
// and whether it publishes announcements.
var announceSwitch = []struct {
	name, extra string
	on          bool
}{
	{"on", "", true},
	{"off", "announce_failures: false\n", false},
}

// wantAnnounced fails the test unless the merged feed has want entries
// whose title starts with prefix (none when announcements are off).
func wantAnnounced(t *testing.T, h *vigietest.Harness, when, prefix string, want int, on bool) {
	t.Helper()
	if !on {
		want = 0
	}
	f := h.Feed("/feed.atom")
	if got := announced(f, prefix); len(got) != want {
		t.Fatalf("%s: got %d entries %q, want %d; feed: %q", when, len(got), prefix, want, vigietest.Titles(f))
	}
}

// TestEmptyWeekSurvivesRestarts: a source whose feed is empty from day 1
// is announced on day 8, a week after its first empty fetch, although
// vigie restarted on day 4; once, although it restarted on day 8 too; and
// its items coming back are announced after a third restart.
func TestEmptyWeekSurvivesRestarts(t *testing.T) {
	for _, sw := range announceSwitch {
		t.Run(sw.name, func(t *testing.T) {
			h, u, now := announceHarness(t, sw.extra)
			start := *now
			at(t, h, now, start, 0)
			u.Set("/feed.rss", vigietest.RSS(), "application/rss+xml")
			for d := 1; d <= 10; d++ {
				if d == 4 || d == 8 {
					h = h.Reopen()
				}
				at(t, h, now, start, time.Duration(d)*day)
				wantAnnounced(t, h, fmt.Sprintf("day %d", d), "Source franceinfo sans article depuis 7 jours", min(1, max(0, d-7)), sw.on)
			}
			wantAnnounced(t, h, "day 10", "Source franceinfo", 1, sw.on)

			h = h.Reopen()
			u.Set("/feed.rss", articleFeed("la suite", "2"), "application/rss+xml")
			at(t, h, now, start, 11*day)
			at(t, h, now, start, 12*day)
			wantAnnounced(t, h, "items again", "Source franceinfo rétablie : de nouveau des articles après 10 jours sans", 1, sw.on)
			wantAnnounced(t, h, "items again", "Source franceinfo", 2, sw.on)
		})
	}
}

// TestNotModifiedKeepsTheEmptyWeek: a server that answers 304 while its
// feed stays empty does not start the week again, and its 304 a week after
// the first empty fetch is announced, once.
func TestNotModifiedKeepsTheEmptyWeek(t *testing.T) {
	h, u, now := announceHarness(t, "")
	v := &vigietest.Validating{}
	v.Set(articleFeed("un article", "1"), "application/rss+xml")
	u.Handle("/feed.rss", v)
	start := *now
	at(t, h, now, start, 0)
	v.Set(vigietest.RSS(), "application/rss+xml")
	for d := 1; d <= 9; d++ {
		if d == 5 { // a new version, as empty: fetched whole, in the same week
			v.Set(vigietest.RSS(), "application/rss+xml")
		}
		at(t, h, now, start, time.Duration(d)*day)
		_, status := v.Last()
		if want := map[bool]int{true: 200, false: 304}[d == 1 || d == 5]; status != want {
			t.Fatalf("day %d: upstream answered %d, want %d", d, status, want)
		}
		wantAnnounced(t, h, fmt.Sprintf("day %d", d), "Source franceinfo sans article depuis 7 jours", min(1, max(0, d-7)), true)
	}
}

// TestNeverReadSourceIsAnnounced: a source that fails from its very first
// fetch is announced after a day, as never read, once, across restarts;
// and so is its first success.
func TestNeverReadSourceIsAnnounced(t *testing.T) {
	for _, sw := range announceSwitch {
		t.Run(sw.name, func(t *testing.T) {
			h, u, now := announceHarness(t, sw.extra)
			u.Set("/feed.rss", []byte("<html><body>bientôt</body></html>"), "text/html")
			start := *now
			for _, hours := range []int{0, 8, 16, 23, 24, 32} {
				if hours == 16 || hours == 32 {
					h = h.Reopen()
				}
				at(t, h, now, start, time.Duration(hours)*time.Hour)
				wantAnnounced(t, h, fmt.Sprintf("hour %d", hours), "Source franceinfo en échec depuis 24 h (jamais lue) : not a feed", min(1, max(0, hours-23)), sw.on)
			}

			h = h.Reopen()
			u.Set("/feed.rss", articleFeed("un article", "1"), "application/rss+xml")
			at(t, h, now, start, 40*time.Hour)
			at(t, h, now, start, 48*time.Hour)
			wantAnnounced(t, h, "after recovery", "Source franceinfo rétablie après 40 h d’échec (première lecture)", 1, sw.on)
			wantAnnounced(t, h, "after recovery", "Source franceinfo", 2, sw.on)
		})
	}
}

// TestFailureFromBeforeFailingSince: a database written before vigie kept
// since when a source fails (its failure run has no start) counts the
// failure from the source's last success, as it then did.
func TestFailureFromBeforeFailingSince(t *testing.T) {
	h, u, now := announceHarness(t, "")
	start := *now
	at(t, h, now, start, 0)
	u.Set("/feed.rss", []byte("<html></html>"), "text/html")
	at(t, h, now, start, 8*time.Hour)
	at(t, h, now, start, 16*time.Hour)
	ctx := context.Background()
	st, err := h.Store.Source(ctx, "franceinfo")
	if err != nil {
		t.Fatal(err)
	}
	if st.ConsecutiveFailures != 2 || !st.FailingSince.Equal(start.Add(8*time.Hour)) {
		t.Fatalf("stored state: %d failures since %s, want 2 since hour 8", st.ConsecutiveFailures, st.FailingSince)
	}
	st.FailingSince = time.Time{}
	if err := h.Store.SaveSource(ctx, st); err != nil {
		t.Fatal(err)
	}
	h = h.Reopen()
	at(t, h, now, start, 25*time.Hour)
	at(t, h, now, start, 33*time.Hour)
	wantAnnounced(t, h, "hour 33", "Source franceinfo en échec depuis 25 h : ", 1, true)
	u.Set("/feed.rss", articleFeed("un article", "1"), "application/rss+xml")
	at(t, h, now, start, 41*time.Hour)
	wantAnnounced(t, h, "after recovery", "Source franceinfo rétablie après 41 h d’échec", 1, true)
	wantAnnounced(t, h, "after recovery", "Source franceinfo", 2, true)
}
