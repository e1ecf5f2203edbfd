package aggregator

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/vigie-watch/vigie/feeds"
	"github.com/vigie-watch/vigie/internal/config"
	"github.com/vigie-watch/vigie/internal/fetch"
	"github.com/vigie-watch/vigie/internal/watch"
)

// Backoff bounds.
const (
	minBackoff = time.Minute
	maxBackoff = 6 * time.Hour
)

// FetchAll runs one cycle of every source now, concurrently within the
// configured bounds, and returns their reports in config order. A cycle is
// started only once it has a slot of the shared bound of requests in
// flight: thousands of sources cost a few dozen goroutines at a time, not
// thousands of parked ones.
func (e *Engine) FetchAll(ctx context.Context) []watch.Report {
	sources := e.Config().Sources
	reports := make([]watch.Report, len(sources))
	var wg sync.WaitGroup
	for i, src := range sources {
		slot, err := e.takeFetchSlot(ctx)
		if err != nil {
			reports[i] = watch.Report{Source: src.Name, Err: err}
			continue
		}
		wg.Go(func() { reports[i] = e.fetchSource(ctx, src, slot) })
	}
	wg.Wait()
	return reports
}

// FetchSource runs one cycle of src: fetch (conditionally), parse, match,
// store, and record the source's health. Its errors are in the report; a
// source in backoff, or gone, or whose previous cycle still runs, is
// skipped.
func (e *Engine) FetchSource(ctx context.Context, src config.Source) watch.Report {
	return e.fetchSource(ctx, src, nil)
}

// fetchSource is FetchSource with, when slot is not nil, the slot of the
// shared bound already taken (and its release).
func (e *Engine) fetchSource(ctx context.Context, src config.Source, slot func()) watch.Report {
	if !e.claim(src.Name) {
		if slot != nil {
			slot()
		}
		return watch.Report{Source: src.Name, Skipped: "the previous fetch is still running"}
	}
	defer e.release(src.Name)
	start := time.Now()
	r := e.cycle(ctx, src, slot)
	if r.Skipped == "" { // the cycle has given its shared slots back
		e.fetchPages(ctx, src, &r)
	}
	r.Duration = time.Since(start)
	e.logReport(r)
	if e.observer != nil {
		e.observer.Fetched(r)
	}
	return r
}

func (e *Engine) cycle(ctx context.Context, src config.Source, fetched func()) watch.Report {
	r := watch.Report{Source: src.Name}
	// The shared slot comes first, before any work: the cycles waiting for
	// one are parked goroutines with small stacks.
	if fetched == nil {
		var err error
		if fetched, err = e.takeFetchSlot(ctx); err != nil {
			r.Err = err
			return r
		}
	}
	defer fetched()
	st, err := e.store.Source(ctx, src.Name)
	if err != nil {
		r.Err = err
		return r
	}
	now := e.now()
	if st.URL != src.URL { // a new or moved source starts afresh
		st = watch.SourceState{Name: src.Name, URL: src.URL}
	}
	if r.Skipped = skipReason(st, now); r.Skipped != "" {
		return r
	}
	prev := st
	st.LastAttempt = now
	st.LastStatus = 0

	resp, err := e.fetch(ctx, src, st, fetched)
	if err != nil {
		if ctx.Err() != nil { // stopping: not the source's fault
			r.Err = err
			return r
		}
		return e.fail(ctx, prev, st, r, err)
	}
	if resp.MovedTo != "" {
		e.log.Warn("source moved permanently: update its url in the config",
			slog.String("source", src.Name), slog.String("url", src.URL), slog.String("new_url", resp.MovedTo))
	}
	r.Status = resp.Status
	st.LastStatus = resp.Status
	if resp.NotModified {
		fetched()
		r.NotModified = true
		return e.unchanged(ctx, prev, st, resp, r, now)
	}
	// A server that ignores conditional requests: the same bytes as the
	// body last parsed and stored are not parsed again (see bodyDigest).
	digest := bodyDigest(e.salt, src, resp)
	if digest == prev.BodyDigest {
		fetched()
		r.SameBody = true
		return e.unchanged(ctx, prev, st, resp, r, now)
	}

	parsing, _ := e.bounds()
	release, err := take(ctx, parsing)
	if err != nil {
		r.Err = err
		return r
	}
	defer release()
	fetched()
	return e.parseAndStore(ctx, src, prev, st, fetchedBody{resp: resp, digest: digest, parsed: release}, r, now)
}

// skipReason says why a cycle of the source in state st does not run at
// now, or "" when it runs.
func skipReason(st watch.SourceState, now time.Time) string {
	switch {
	case st.Gone:
		return "gone (410): fix or remove its URL"
	case now.Before(st.NextAttempt):
		return "backing off until " + st.NextAttempt.Format(time.RFC3339)
	}
	return ""
}

// unchanged records a fetch answered 304 Not Modified, or 200 with the
// body last parsed and stored: the source is healthy, its validators are
// those of the answer (an ETag may change while the bytes do not), and it
// has no new items (an empty feed stays empty: EmptySince is kept).
func (e *Engine) unchanged(ctx context.Context, prev, st watch.SourceState, resp *fetch.Response, r watch.Report, now time.Time) watch.Report {
	st.ETag, st.LastModified = resp.Validators.ETag, resp.Validators.LastModified
	e.succeed(&st, now)
	r.Fetched = st.ItemsSeen
	if err := e.states.save(ctx, st); err != nil {
		r.Err = err
	}
	e.announceSuccess(ctx, prev, st, now)
	return r
}

// parseAndStore parses a fetched body, matches its items against the
// keywords and stores them with the source's new state (prev is its state
// before this cycle), the body's digest included. It gives its parsing
// slot back once its items wait for the writer, or once the body failed
// to parse.
func (e *Engine) parseAndStore(ctx context.Context, src config.Source, prev, st watch.SourceState, body fetchedBody, r watch.Report, now time.Time) watch.Report {
	resp, digest := body.resp, body.digest
	items, siteURL, err := e.parse(src, resp, now, &r)
	if err != nil {
		body.parsed() // recording the failure is no work for a parsing slot
		st.BodyDigest = ""
		return e.fail(ctx, prev, st, r, err)
	}
	st.BodyDigest = digest
	stripAnnounceCategory(items)
	rules := e.Rules()
	in := make([]watch.Incoming, len(items))
	for i, it := range items {
		in[i] = watch.Incoming{Item: it, Matches: rules.Match(it.Title, it.Summary, it.Content, it.Categories),
			WantPage: src.FullText, MatchText: rules.MatchText}
	}
	if siteURL != "" {
		st.SiteURL = siteURL
	}
	// Validators only once the body is read: a feed that fails to parse is
	// fetched whole again, not answered 304.
	st.ETag, st.LastModified = resp.Validators.ETag, resp.Validators.LastModified
	e.succeed(&st, now)
	trackEmpty(&st, len(items), now)
	storing, weight := e.storeSlot(len(resp.Body))
	if err := storing.Acquire(ctx, weight); err != nil {
		r.Err = err
		return r
	}
	defer storing.Release(weight)
	resp.Body = nil // parsed: the items are all that is kept
	body.parsed()
	// The store's transaction is not cut short by the fetch timeout: once
	// fetched, a feed is stored whole or not at all.
	res, err := e.store.Ingest(context.WithoutCancel(ctx), st, in, now)
	if err != nil {
		r.Err = err
		return r
	}
	r.Fetched, r.New, r.Updated, r.Published = res.Seen, res.New, res.Updated, res.Published
	e.announceSuccess(ctx, prev, st, now)
	return r
}

// fetch gets src within its timeout, conditionally on what st kept. It
// waits for a slot of the source's host first; that wait does not count
// against the timeout (a host's sources queue behind each other, and
// behind its stalled ones, without failing). Once the request has waited
// stallGrace, it gives back the shared slot with stall.
func (e *Engine) fetch(ctx context.Context, src config.Source, st watch.SourceState, stall func()) (*fetch.Response, error) {
	timer := time.AfterFunc(stallGrace, stall)
	defer timer.Stop()
	hctx := ctx
	if r, ok := e.fetcher.(hostReserver); ok {
		slot, err := r.Reserve(ctx, src.URL)
		if err != nil {
			return nil, err
		}
		defer slot.Release()
		hctx = slot.Context(ctx)
	}
	timeout := src.Timeout.D()
	fctx, cancel := context.WithTimeout(hctx, timeout)
	defer cancel()
	resp, err := e.fetcher.Get(fctx, src.URL, fetch.Validators{ETag: st.ETag, LastModified: st.LastModified})
	if err != nil {
		return nil, e.timedOut(ctx, fctx, timeout, err)
	}
	return resp, nil
}

// timedOut says so when err came from the source's timeout.
func (e *Engine) timedOut(ctx, fctx context.Context, timeout time.Duration, err error) error {
	if ctx.Err() == nil && errors.Is(fctx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("timed out after %s: %w", timeout, err)
	}
	return err
}

// claim marks a cycle of the source named name as running; false when one
// already runs. Two cycles of one source would race on its state.
func (e *Engine) claim(name string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.busy[name] {
		return false
	}
	e.busy[name] = true
	return true
}

func (e *Engine) release(name string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	delete(e.busy, name)
}

// parse turns a response into items according to the source's type, and
// counts in r what it had to skip or repair.
func (e *Engine) parse(src config.Source, resp *fetch.Response, now time.Time, r *watch.Report) (items []watch.Item, siteURL string, err error) {
	switch src.Type {
	case config.TypeSenateQuestion:
		rowErrs, err := feeds.ParseSenateQuestions(bytes.NewReader(resp.Body), func(it watch.Item) error {
			items = append(items, it)
			return nil
		})
		for _, re := range rowErrs {
			e.log.Warn("skipped a row of the export", slog.String("source", src.Name), slog.String("error", re.Error()))
		}
		r.RowErrors = len(rowErrs)
		if err != nil {
			return nil, "", fmt.Errorf("read export: %w", err)
		}
		return items, "https://www.senat.fr/questions/", nil
	default:
		feed, err := feeds.Parse(resp.Body, resp.ContentType, resp.URL, now)
		if err != nil {
			return nil, "", err
		}
		if feed.BadCharRefs > 0 {
			r.BadCharRefs = feed.BadCharRefs
			e.log.Warn("dropped character references to characters XML forbids", slog.String("source", src.Name), slog.Int("count", feed.BadCharRefs))
		}
		return feed.Items, feed.Link, nil
	}
}

func (e *Engine) succeed(st *watch.SourceState, now time.Time) {
	st.LastSuccess = now
	st.LastError = ""
	st.ConsecutiveFailures = 0
	st.NextAttempt = time.Time{}
	st.FailingSince = time.Time{}
}

// fail records a failed cycle: the error, and when to try again. st
// carries the status of the answer, if one came before the failure; prev
// is the state before the cycle.
func (e *Engine) fail(ctx context.Context, prev, st watch.SourceState, r watch.Report, err error) watch.Report {
	r.Err = err
	now := e.now()
	st.LastError = err.Error()
	if st.FailingSince = failingSince(prev); st.FailingSince.IsZero() {
		st.FailingSince = now // the first failure of a run
	}
	st.ConsecutiveFailures++
	delay := backoff(st.ConsecutiveFailures)
	var be *fetch.BodyError
	if errors.As(err, &be) {
		st.LastStatus, r.Status = be.Status, be.Status
	}
	var se *fetch.StatusError
	if errors.As(err, &se) {
		st.LastStatus = se.Code
		r.Status = se.Code
		if se.RetryAfter > delay {
			delay = min(se.RetryAfter, 24*time.Hour)
		}
	}
	if errors.Is(err, fetch.ErrGone) {
		st.Gone = true
	}
	if delay > 0 {
		st.NextAttempt = now.Add(delay)
	}
	if item, ok := failureAnnouncement(st, prev.LastAttempt, now); ok {
		e.announce(ctx, st, item, now)
	}
	if serr := e.states.save(ctx, st); serr != nil {
		r.Err = errors.Join(err, serr)
	}
	return r
}

// backoff is the wait after n consecutive failures: none after the first
// (the schedule retries), then exponential from a minute, capped at six
// hours, with ±20 % jitter so that sources do not retry in step.
func backoff(n int) time.Duration {
	if n <= 1 {
		return 0
	}
	d := minBackoff << min(n-2, 20)
	d = min(d, maxBackoff)
	jitter := time.Duration(rand.Int64N(int64(d)/5*2+1)) - d/5
	return d + jitter
}

func (e *Engine) logReport(r watch.Report) {
	attrs := []any{
		slog.String("source", r.Source),
		slog.String("outcome", string(r.Outcome())),
		slog.Duration("took", r.Duration.Round(time.Millisecond)),
	}
	switch r.Outcome() {
	case watch.OutcomeError:
		e.log.Warn("fetch failed", append(attrs, slog.Int("status", r.Status), slog.String("error", r.Err.Error()))...)
	case watch.OutcomeSkipped:
		e.log.Info("fetch skipped", append(attrs, slog.String("reason", r.Skipped))...)
	default:
		attrs = append(attrs, slog.Int("items", r.Fetched), slog.Int("new", r.New),
			slog.Int("updated", r.Updated), slog.Int("published", r.Published))
		if r.Pages != (watch.PageHealth{}) {
			attrs = append(attrs, slog.Int("pages", r.Pages.Fetched), slog.Int("pages_failed", r.Pages.Failed))
		}
		e.log.Info("fetched", attrs...)
	}
}
