package aggregator

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/vigie-watch/vigie/internal/watch"
)

// TestAnnouncementEscapesUpstreamText: an error message that quotes markup
// ("expected element type <rss>") reads as text in the announcement's
// HTML, not as tags a sanitiser would then cut out.
func TestAnnouncementEscapesUpstreamText(t *testing.T) {
	now := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	st := watch.SourceState{
		Name:                "R&D <lab>",
		URL:                 "https://example.org/feed?a=1&b=2",
		LastSuccess:         now.Add(-31 * time.Hour),
		FailingSince:        now.Add(-30 * time.Hour),
		LastAttempt:         now,
		ConsecutiveFailures: 40,
		LastError:           "parse: expected element type <rss> but have <html>",
	}
	item, ok := failureAnnouncement(st, now.Add(-25*time.Hour), now)
	if !ok {
		t.Fatal("no announcement for a source failing for 30 h")
	}
	for _, want := range []string{"&lt;rss&gt; but have &lt;html&gt;", "R&amp;D &lt;lab&gt;", "a=1&amp;b=2"} {
		if !strings.Contains(item.Summary, want) {
			t.Errorf("summary %q: want it to contain %q", item.Summary, want)
		}
	}
	if strings.Contains(item.Summary, "<rss>") || strings.Contains(item.Summary, "<lab>") {
		t.Errorf("summary %q: upstream text left as markup", item.Summary)
	}
}

// TestAnnouncementShortensALongError: an error that quotes a whole page
// is cut in the title (300 characters) and in the summary (2 000), whole
// words kept, an ellipsis saying so.
func TestAnnouncementShortensALongError(t *testing.T) {
	now := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	lastError := "unexpected body: " + strings.Repeat("Maintenance en cours, revenez plus tard. ", 200)
	st := watch.SourceState{
		Name:                "franceinfo",
		URL:                 "https://www.francetvinfo.fr/titres.rss",
		FailingSince:        now.Add(-30 * time.Hour),
		LastAttempt:         now,
		ConsecutiveFailures: 40,
		LastError:           lastError,
	}
	item, ok := failureAnnouncement(st, now.Add(-25*time.Hour), now)
	if !ok {
		t.Fatal("no announcement for a source failing for 30 h")
	}
	_, quoted, _ := strings.Cut(item.Title, " : ")
	if n := utf8.RuneCountInString(quoted); n > 300 || !strings.HasSuffix(quoted, "…") || !strings.HasPrefix(lastError, strings.TrimSuffix(quoted, "…")) {
		t.Errorf("title's error: got %d characters %q, want at most 300, the error's start and an ellipsis", n, quoted)
	}
	if kept := strings.TrimSuffix(quoted, "…"); len(kept) < len(lastError) && !strings.ContainsRune(" ,.", rune(lastError[len(kept)])) {
		t.Errorf("title's error %q: a word cut", quoted)
	}
	if n := utf8.RuneCountInString(item.Summary); n > 2000+400 || !strings.Contains(item.Summary, "…</p>") {
		t.Errorf("summary: got %d characters, want the error cut at 2 000 with an ellipsis", n)
	}
}
