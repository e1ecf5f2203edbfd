package aggregator

import (
	"context"
	"fmt"
	"html"
	"log/slog"
	"slices"
	"time"

	"github.com/vigie-watch/vigie/internal/watch"
)

// A source that fails for a day, or gives no item for a week, is announced
// by an entry of the merged feed, and so is its recovery: readers never
// see the status page. Announcements are stories of the source, with ids
// of their own (the source, the event and when the trouble began), so
// each is published once; config's announce_failures turns them off.
const (
	failingAnnounceAfter = 24 * time.Hour
	emptyAnnounceAfter   = 7 * 24 * time.Hour

	// announceCategory marks announcements among stored items, so that
	// applying edited keywords keeps them published. Fetched items never
	// carry it (see stripAnnounceCategory).
	announceCategory = "vigie:annonce"
	// announceKeyword is the category the announcements are published with.
	announceKeyword = "santé des sources"
)

// dateTimeFR is how announcements write a date and time (in UTC).
const dateTimeFR = "02/01/2006 à 15:04"

// announcement is the item announcing an event of a source.
func announcement(src, event string, since, now time.Time, title, summary string) watch.Item {
	return watch.Item{
		GUID:       fmt.Sprintf("urn:vigie:announce:%s:%s:%s", src, event, since.UTC().Format(time.RFC3339)),
		Title:      title,
		Summary:    summary,
		Categories: []string{announceCategory},
		Published:  now,
		Updated:    now,
	}
}

// failureAnnouncement returns the announcement due after a failed cycle:
// when the failure, begun at the source's last success, has just passed a
// day (the previous attempt was earlier). A source that never succeeded
// is shown by its status only.
func failureAnnouncement(st watch.SourceState, prevAttempt, now time.Time) (watch.Item, bool) {
	since := st.LastSuccess
	if since.IsZero() || now.Sub(since) < failingAnnounceAfter || prevAttempt.Sub(since) >= failingAnnounceAfter {
		return watch.Item{}, false
	}
	title := fmt.Sprintf("Source %s en échec depuis %s : %s", st.Name, durationFR(now.Sub(since)), shorten(st.LastError, 300))
	summary := fmt.Sprintf("<p>vigie n’arrive plus à lire la source %s (%s) depuis le %s UTC, après %d tentatives. "+
		"Ses nouveaux articles ne sont pas suivis tant qu’elle est en échec.</p><p>Dernière erreur : %s</p>",
		html.EscapeString(st.Name), html.EscapeString(st.URL), since.UTC().Format(dateTimeFR), st.ConsecutiveFailures,
		html.EscapeString(shorten(st.LastError, 2000)))
	return announcement(st.Name, "failing", since, now, title, summary), true
}

// recoveryAnnouncement returns the announcement due after a successful
// cycle of a source whose failure was announced (prev is its state before
// this cycle).
func recoveryAnnouncement(prev watch.SourceState, now time.Time) (watch.Item, bool) {
	since := prev.LastSuccess
	if since.IsZero() || prev.ConsecutiveFailures == 0 || prev.LastAttempt.Sub(since) < failingAnnounceAfter {
		return watch.Item{}, false
	}
	title := fmt.Sprintf("Source %s rétablie après %s d’échec", prev.Name, durationFR(now.Sub(since)))
	summary := fmt.Sprintf("<p>La source %s (%s) répond de nouveau : ses articles sont suivis depuis le %s UTC.</p>",
		html.EscapeString(prev.Name), html.EscapeString(prev.URL), now.UTC().Format(dateTimeFR))
	return announcement(prev.Name, "recovered", since, now, title, summary), true
}

// emptyTracker remembers, per source, since when its feed has been empty,
// and whether that was announced. It lives as long as the engine: a
// restart starts the week again.
type emptyTracker struct {
	since     map[string]time.Time
	announced map[string]bool
}

// emptyAnnouncement records a successful cycle that gave n items and
// returns the announcement due: a week without items, or items again
// after one. The caller holds e.mu.
func (t *emptyTracker) emptyAnnouncement(st watch.SourceState, n int, now time.Time) (watch.Item, bool) {
	since, empty := t.since[st.Name]
	switch {
	case n > 0:
		delete(t.since, st.Name)
		if !t.announced[st.Name] {
			return watch.Item{}, false
		}
		delete(t.announced, st.Name)
		title := fmt.Sprintf("Source %s rétablie : de nouveau des articles après %s sans", st.Name, durationFR(now.Sub(since)))
		summary := fmt.Sprintf("<p>La source %s (%s) donne de nouveau des articles.</p>",
			html.EscapeString(st.Name), html.EscapeString(st.URL))
		return announcement(st.Name, "items-again", since, now, title, summary), true
	case !empty:
		t.since[st.Name] = now
	case !t.announced[st.Name] && now.Sub(since) >= emptyAnnounceAfter:
		t.announced[st.Name] = true
		title := fmt.Sprintf("Source %s sans article depuis %s", st.Name, durationFR(now.Sub(since)))
		summary := fmt.Sprintf("<p>La source %s (%s) répond, mais sans aucun article depuis le %s UTC : "+
			"son adresse a peut-être changé.</p>", html.EscapeString(st.Name), html.EscapeString(st.URL), since.UTC().Format(dateTimeFR))
		return announcement(st.Name, "empty", since, now, title, summary), true
	}
	return watch.Item{}, false
}

// announceSuccess publishes what a successful cycle of the source calls
// for: its recovery from a failure announced, a week without items, or
// items again. n is the number of items fetched, -1 for a 304.
func (e *Engine) announceSuccess(ctx context.Context, prev, st watch.SourceState, n int, now time.Time) {
	if item, ok := recoveryAnnouncement(prev, now); ok {
		e.announce(ctx, st, item, now)
	}
	if n < 0 {
		return
	}
	e.mu.Lock()
	item, ok := e.empty.emptyAnnouncement(st, n, now)
	e.mu.Unlock()
	if ok {
		e.announce(ctx, st, item, now)
	}
}

// announce publishes item as a story of the source st in the merged feed,
// unless the config turned announcements off. The source's state is
// written again after, since storing the story counts it as the feed's
// only item. Failures are logged: an announcement is never worth failing
// a cycle.
func (e *Engine) announce(ctx context.Context, st watch.SourceState, item watch.Item, now time.Time) {
	if !e.Config().AnnounceFailures {
		return
	}
	ctx = context.WithoutCancel(ctx)
	in := []watch.Incoming{{Item: item, Matches: announceMatches()}}
	if _, err := e.store.Ingest(ctx, st, in, now); err != nil {
		e.log.Error("announce source health", slog.String("source", st.Name), slog.Any("error", err))
		return
	}
	if err := e.store.SaveSource(ctx, st); err != nil {
		e.log.Error("announce source health", slog.String("source", st.Name), slog.Any("error", err))
		return
	}
	e.log.Warn("announced in the feed", slog.String("source", st.Name), slog.String("title", item.Title))
}

// announceMatches publishes an announcement in the main feed only.
func announceMatches() map[string][]string {
	return map[string][]string{MainTopic: {announceKeyword}}
}

// isAnnouncement reports whether a stored item is an announcement.
func isAnnouncement(t watch.Text) bool { return slices.Contains(t.Categories, announceCategory) }

// stripAnnounceCategory removes the announcement mark from fetched items,
// so that no feed can publish an item by carrying it.
func stripAnnounceCategory(items []watch.Item) {
	for i := range items {
		if slices.Contains(items[i].Categories, announceCategory) {
			items[i].Categories = slices.DeleteFunc(slices.Clone(items[i].Categories), func(c string) bool { return c == announceCategory })
		}
	}
}

// durationFR writes a duration in hours under two days, else in days.
func durationFR(d time.Duration) string {
	if h := int(d.Hours()); h < 48 {
		return fmt.Sprintf("%d h", h)
	}
	return fmt.Sprintf("%d jours", int(d.Hours()/24))
}

// shorten cuts s to at most n runes.
func shorten(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
