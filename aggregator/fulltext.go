package aggregator

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/vigie-watch/vigie/internal/config"
	"github.com/vigie-watch/vigie/internal/crawl"
	"github.com/vigie-watch/vigie/internal/fetch"
	"github.com/vigie-watch/vigie/internal/pagetext"
	"github.com/vigie-watch/vigie/internal/watch"
)

// PageFetcher fetches the page an item links to, politely (robots.txt,
// per-host bounds): crawl.Crawler.
type PageFetcher interface {
	Get(ctx context.Context, url string) (*fetch.Response, error)
}

const (
	// pageWorkers bounds the pages of one source fetched at once; the
	// crawler's per-host bound holds across sources.
	pageWorkers = 4
	// pagesPerCycle bounds the pages a source's cycle looks at; the rest
	// stay due for the next cycle.
	pagesPerCycle = 1000
	// pageMaxTries is how many times a page that keeps failing is tried
	// for one version of its item.
	pageMaxTries = 4
	// answerRecheck is how often the page of a matched Senate question
	// still awaiting its answer is read again.
	answerRecheck = 24 * time.Hour
)

// fetchPages reads the pages due for a full-text source: new and changed
// items, pages to retry, questions awaiting their answer. The items are
// already stored and matched on their feed's text, so a page that fails
// loses nothing. The pages get the source's timeout between them, not one
// each: a slow page delays the source's other pages at most that long,
// and other sources not at all (no shared slot is held while waiting).
func (e *Engine) fetchPages(ctx context.Context, src config.Source, r *watch.Report) {
	if !src.FullText || e.pages == nil || ctx.Err() != nil {
		return
	}
	tasks, err := e.store.PagesDue(ctx, src.Name, e.now(), pagesPerCycle)
	if err != nil || len(tasks) == 0 {
		if err != nil {
			e.log.Error("pages due", slog.String("source", src.Name), slog.Any("error", err))
		}
		return
	}
	var sel *pagetext.Selector
	if src.FullTextSelector != "" {
		if sel, err = pagetext.CompileSelector(src.FullTextSelector); err != nil {
			e.log.Error("full_text_selector", slog.String("source", src.Name), slog.Any("error", err))
			return
		}
	}
	pctx, cancel := context.WithTimeout(ctx, src.Timeout.D())
	defer cancel()
	rules := e.Rules()

	var mu sync.Mutex
	var results []watch.PageResult
	jobs := make(chan watch.PageTask)
	var wg sync.WaitGroup
	for range min(pageWorkers, len(tasks)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for t := range jobs {
				res := e.readPage(pctx, src, sel, rules, t)
				if ctx.Err() != nil {
					continue // stopping: not the page's fault
				}
				mu.Lock()
				results = append(results, res)
				mu.Unlock()
			}
		}()
	}
send:
	for _, t := range tasks {
		select {
		case jobs <- t:
		case <-pctx.Done():
			break send // the others stay due
		}
	}
	close(jobs)
	wg.Wait()

	for _, res := range results {
		if res.Err != "" {
			r.Pages.Failed++
			r.Pages.LastError = res.Err
			e.log.Info("page not read", slog.String("source", src.Name), slog.String("entry_id", res.EntryID),
				slog.Int("tries", res.Tries), slog.String("error", res.Err))
		} else {
			r.Pages.Fetched++
			if len(res.Matches[MainTopic]) > 0 {
				r.Published++
			}
		}
	}
	if err := e.store.SavePages(context.WithoutCancel(ctx), src.Name, results, r.Pages, e.now()); err != nil {
		e.log.Error("save pages", slog.String("source", src.Name), slog.Any("error", err))
	}
}

// readPage fetches and extracts one page, and matches the story with it.
func (e *Engine) readPage(ctx context.Context, src config.Source, sel *pagetext.Selector, rules *Rules, t watch.PageTask) watch.PageResult {
	res := watch.PageResult{EntryID: t.EntryID}
	text, err := e.pageText(ctx, t.Link, sel)
	now := e.now()
	if err != nil {
		res.Err, res.Tries = err.Error(), t.Tries+1
		if res.Tries < pageMaxTries && !permanent(err) {
			res.NextDue = now.Add(pageRetry(res.Tries))
		}
		return res
	}
	if src.Type == config.TypeSenateQuestion {
		text = pagetext.SenateQuestion(text)
	}
	res.Text = text
	t.Text.Page = text
	res.Matches = rules.MatchText(t.Text)
	if src.Type == config.TypeSenateQuestion {
		res.Record = true
		switch {
		case pagetext.Answered(text):
			res.Announce = "Réponse du ministère à la " + t.Text.Title
		case len(res.Matches) > 0:
			res.NextDue = now.Add(answerRecheck) // followed until answered
		}
	}
	return res
}

func (e *Engine) pageText(ctx context.Context, link string, sel *pagetext.Selector) (string, error) {
	resp, err := e.pages.Get(ctx, link)
	if err != nil {
		return "", err
	}
	// Extraction is work for the CPU: it takes a parsing slot, once the
	// page is in.
	parsing, _ := e.bounds()
	release, err := take(ctx, parsing)
	if err != nil {
		return "", err
	}
	defer release()
	return pagetext.Extract(resp.Body, resp.ContentType, resp.URL, sel)
}

// permanent reports whether a page error will not go away by retrying.
func permanent(err error) bool {
	var se *fetch.StatusError
	if errors.As(err, &se) && (se.Code == 410 || se.Code == 451) {
		return true
	}
	return errors.Is(err, crawl.ErrDisallowed) || errors.Is(err, pagetext.ErrNotHTML) || errors.Is(err, fetch.ErrTooLarge)
}

// pageRetry is the wait before trying a failed page again: 15 minutes,
// then an hour, then six.
func pageRetry(tries int) time.Duration {
	switch tries {
	case 1:
		return 15 * time.Minute
	case 2:
		return time.Hour
	default:
		return 6 * time.Hour
	}
}
