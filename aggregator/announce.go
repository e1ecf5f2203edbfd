package aggregator

import (
	"context"
	"fmt"
	"html"
	"log/slog"
	"slices"
	"time"

	"github.com/vigie-watch/vigie/internal/plaintext"
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

// failingSince returns since when the source in state prev has been
// failing, zero when its last attempt succeeded. A database from before
// FailingSince was stored has only LastSuccess to go by.
func failingSince(prev watch.SourceState) time.Time {
	if prev.ConsecutiveFailures == 0 || !prev.FailingSince.IsZero() {
		return prev.FailingSince
	}
	return prev.LastSuccess
}

// failureAnnouncement returns the announcement due after a failed attempt
// (st is the source's state after it): when the run of failures, begun
// at st.FailingSince, has just passed a day (the previous attempt was
// earlier). A source that never answered is announced as such.
func failureAnnouncement(st watch.SourceState, prevAttempt, now time.Time) (watch.Item, bool) {
	since := st.FailingSince
	if since.IsZero() || now.Sub(since) < failingAnnounceAfter || prevAttempt.Sub(since) >= failingAnnounceAfter {
		return watch.Item{}, false
	}
	never, lead := "", "vigie n’arrive plus à lire"
	if st.LastSuccess.IsZero() {
		never, lead = " (jamais lue)", "vigie n’a encore jamais pu lire"
	}
	title := fmt.Sprintf("Source %s en échec depuis %s%s : %s", st.Name, durationFR(now.Sub(since)), never, plaintext.Truncate(st.LastError, 300))
	summary := fmt.Sprintf("<p>%s la source %s (%s) depuis le %s UTC, après %d tentatives. "+
		"Ses nouveaux articles ne sont pas suivis tant qu’elle est en échec.</p><p>Dernière erreur : %s</p>",
		lead, html.EscapeString(st.Name), html.EscapeString(st.URL), since.UTC().Format(dateTimeFR), st.ConsecutiveFailures,
		html.EscapeString(plaintext.Truncate(st.LastError, 2000)))
	return announcement(st.Name, "failing", since, now, title, summary), true
}

// recoveryAnnouncement returns the announcement due after a successful
// cycle of a source whose failure was announced (prev is its state before
// this cycle).
func recoveryAnnouncement(prev watch.SourceState, now time.Time) (watch.Item, bool) {
	since := failingSince(prev)
	if since.IsZero() || prev.LastAttempt.Sub(since) < failingAnnounceAfter {
		return watch.Item{}, false
	}
	first := ""
	if prev.LastSuccess.IsZero() {
		first = " (première lecture)"
	}
	title := fmt.Sprintf("Source %s rétablie après %s d’échec%s", prev.Name, durationFR(now.Sub(since)), first)
	summary := fmt.Sprintf("<p>La source %s (%s) répond de nouveau : ses articles sont suivis depuis le %s UTC.</p>",
		html.EscapeString(prev.Name), html.EscapeString(prev.URL), now.UTC().Format(dateTimeFR))
	return announcement(prev.Name, "recovered", since, now, title, summary), true
}

// trackEmpty records in st, the state after a successful fetch that
// parsed n items, since when its feed has been empty.
func trackEmpty(st *watch.SourceState, n int, now time.Time) {
	switch {
	case n > 0:
		st.EmptySince = time.Time{}
	case st.EmptySince.IsZero():
		st.EmptySince = now
	}
}

// emptyAnnouncement returns the announcement due after a successful cycle
// (prev and st are the source's states before and after it): the first
// success a week into a run of empty feeds, or items again after such a
// week. A 304 keeps the run going. Both are decided from the stored
// state, so a restart neither starts the week again nor forgets it.
func emptyAnnouncement(prev, st watch.SourceState, now time.Time) (watch.Item, bool) {
	switch since := st.EmptySince; {
	case !since.IsZero():
		// Announced at the first success past the week: the one before
		// it was within the week.
		if now.Sub(since) < emptyAnnounceAfter || prev.LastSuccess.Sub(since) >= emptyAnnounceAfter {
			return watch.Item{}, false
		}
		title := fmt.Sprintf("Source %s sans article depuis %s", st.Name, durationFR(now.Sub(since)))
		summary := fmt.Sprintf("<p>La source %s (%s) répond, mais sans aucun article depuis le %s UTC : "+
			"son adresse a peut-être changé.</p>", html.EscapeString(st.Name), html.EscapeString(st.URL), since.UTC().Format(dateTimeFR))
		return announcement(st.Name, "empty", since, now, title, summary), true
	case !prev.EmptySince.IsZero() && prev.LastSuccess.Sub(prev.EmptySince) >= emptyAnnounceAfter:
		since := prev.EmptySince
		title := fmt.Sprintf("Source %s rétablie : de nouveau des articles après %s sans", st.Name, durationFR(now.Sub(since)))
		summary := fmt.Sprintf("<p>La source %s (%s) donne de nouveau des articles.</p>",
			html.EscapeString(st.Name), html.EscapeString(st.URL))
		return announcement(st.Name, "items-again", since, now, title, summary), true
	}
	return watch.Item{}, false
}

// announceSuccess publishes what a successful cycle of the source calls
// for (prev and st are its states before and after it): its recovery from
// a failure announced, a week without items, or items again.
func (e *Engine) announceSuccess(ctx context.Context, prev, st watch.SourceState, now time.Time) {
	if item, ok := recoveryAnnouncement(prev, now); ok {
		e.announce(ctx, st, item, now)
	}
	if item, ok := emptyAnnouncement(prev, st, now); ok {
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
