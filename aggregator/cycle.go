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
// configured bound, and returns their reports in config order.
func (e *Engine) FetchAll(ctx context.Context) []watch.Report {
	sources := e.Config().Sources
	reports := make([]watch.Report, len(sources))
	var wg sync.WaitGroup
	for i, src := range sources {
		wg.Add(1)
		go func() {
			defer wg.Done()
			reports[i] = e.FetchSource(ctx, src)
		}()
	}
	wg.Wait()
	return reports
}

// FetchSource runs one cycle of src: fetch (conditionally), parse, match,
// store, and record the source's health. Its errors are in the report; a
// source in backoff, or gone, or whose previous cycle still runs, is
// skipped.
func (e *Engine) FetchSource(ctx context.Context, src config.Source) watch.Report {
	if !e.claim(src.Name) {
		return watch.Report{Source: src.Name, Skipped: "the previous fetch is still running"}
	}
	defer e.release(src.Name)
	start := time.Now()
	r := e.cycle(ctx, src)
	r.Duration = time.Since(start)
	e.logReport(r)
	if e.observer != nil {
		e.observer.Fetched(r)
	}
	return r
}

func (e *Engine) cycle(ctx context.Context, src config.Source) watch.Report {
	r := watch.Report{Source: src.Name}
	st, err := e.store.Source(ctx, src.Name)
	if err != nil {
		r.Err = err
		return r
	}
	now := e.now()
	if st.URL != src.URL { // a new or moved source starts afresh
		st = watch.SourceState{Name: src.Name, URL: src.URL}
	}
	switch {
	case st.Gone:
		r.Skipped = "gone (410): fix or remove its URL"
		return r
	case now.Before(st.NextAttempt):
		r.Skipped = "backing off until " + st.NextAttempt.Format(time.RFC3339)
		return r
	}
	st.LastAttempt = now
	st.LastStatus = 0

	resp, err := e.fetch(ctx, src, st)
	if err != nil {
		if ctx.Err() != nil { // stopping: not the source's fault
			r.Err = err
			return r
		}
		return e.fail(ctx, st, r, err)
	}
	if resp.MovedTo != "" {
		e.log.Warn("source moved permanently: update its url in the config",
			slog.String("source", src.Name), slog.String("url", src.URL), slog.String("new_url", resp.MovedTo))
	}
	r.Status = resp.Status
	st.LastStatus = resp.Status
	if resp.NotModified {
		r.NotModified = true
		st.ETag, st.LastModified = resp.Validators.ETag, resp.Validators.LastModified
		e.succeed(&st, now)
		r.Fetched = st.ItemsSeen
		if err := e.store.SaveSource(ctx, st); err != nil {
			r.Err = err
		}
		return r
	}

	parsing, _ := e.bounds()
	release, err := take(ctx, parsing)
	if err != nil {
		r.Err = err
		return r
	}
	defer release()
	items, siteURL, rowErrs, err := e.parse(src, resp, now)
	r.RowErrors = rowErrs
	if err != nil {
		return e.fail(ctx, st, r, err)
	}
	rules := e.Rules()
	in := make([]watch.Incoming, len(items))
	for i, it := range items {
		in[i] = watch.Incoming{Item: it, Matches: rules.Match(it.Title, it.Summary, it.Content, it.Categories)}
	}
	if siteURL != "" {
		st.SiteURL = siteURL
	}
	// Validators only once the body is read: a feed that fails to parse is
	// fetched whole again, not answered 304.
	st.ETag, st.LastModified = resp.Validators.ETag, resp.Validators.LastModified
	e.succeed(&st, now)
	// The store's transaction is not cut short by the fetch timeout: once
	// fetched, a feed is stored whole or not at all.
	res, err := e.store.Ingest(context.WithoutCancel(ctx), st, in, now)
	if err != nil {
		r.Err = err
		return r
	}
	r.Fetched, r.New, r.Updated, r.Published = res.Seen, res.New, res.Updated, res.Published
	return r
}

// fetch gets src within its timeout, conditionally on what st kept.
func (e *Engine) fetch(ctx context.Context, src config.Source, st watch.SourceState) (*fetch.Response, error) {
	_, fetching := e.bounds()
	release, err := take(ctx, fetching)
	if err != nil {
		return nil, err
	}
	defer release()
	fctx, cancel := context.WithTimeout(ctx, src.Timeout.D())
	defer cancel()
	resp, err := e.fetcher.Get(fctx, src.URL, fetch.Validators{ETag: st.ETag, LastModified: st.LastModified})
	if err != nil && ctx.Err() == nil && errors.Is(fctx.Err(), context.DeadlineExceeded) {
		return nil, fmt.Errorf("timed out after %s: %w", src.Timeout.D(), err)
	}
	return resp, err
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

// bounds returns the bounds in force: of cycles parsing and storing, and of
// requests in flight. Apply replaces them when concurrency changes.
func (e *Engine) bounds() (parsing, fetching chan struct{}) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.sem, e.fetching
}

// take waits for a slot of bound, or for ctx to end. The slot goes back to
// the bound it was taken from, even if Apply has replaced it since.
func take(ctx context.Context, bound chan struct{}) (release func(), err error) {
	select {
	case bound <- struct{}{}:
		return func() { <-bound }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// parse turns a response into items according to the source's type.
func (e *Engine) parse(src config.Source, resp *fetch.Response, now time.Time) (items []watch.Item, siteURL string, rowErrors int, err error) {
	switch src.Type {
	case config.TypeSenateQuestion:
		rowErrs, err := feeds.ParseSenateQuestions(bytes.NewReader(resp.Body), func(it watch.Item) error {
			items = append(items, it)
			return nil
		})
		for _, re := range rowErrs {
			e.log.Warn("skipped a row of the export", slog.String("source", src.Name), slog.String("error", re.Error()))
		}
		if err != nil {
			return nil, "", len(rowErrs), fmt.Errorf("read export: %w", err)
		}
		return items, "https://www.senat.fr/questions/", len(rowErrs), nil
	default:
		feed, err := feeds.Parse(resp.Body, resp.ContentType, resp.URL, now)
		if err != nil {
			return nil, "", 0, err
		}
		return feed.Items, feed.Link, 0, nil
	}
}

func (e *Engine) succeed(st *watch.SourceState, now time.Time) {
	st.LastSuccess = now
	st.LastError = ""
	st.ConsecutiveFailures = 0
	st.NextAttempt = time.Time{}
}

// fail records a failed cycle: the error, and when to try again. st
// carries the status of the answer, if one came before the failure.
func (e *Engine) fail(ctx context.Context, st watch.SourceState, r watch.Report, err error) watch.Report {
	r.Err = err
	now := e.now()
	st.LastError = err.Error()
	st.ConsecutiveFailures++
	delay := backoff(st.ConsecutiveFailures)
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
	if serr := e.store.SaveSource(context.WithoutCancel(ctx), st); serr != nil {
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
		e.log.Info("fetched", append(attrs, slog.Int("items", r.Fetched), slog.Int("new", r.New),
			slog.Int("updated", r.Updated), slog.Int("published", r.Published))...)
	}
}
