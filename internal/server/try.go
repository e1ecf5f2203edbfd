package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/vigie-watch/vigie/internal/config"
	"github.com/vigie-watch/vigie/internal/match"
	"github.com/vigie-watch/vigie/internal/plaintext"
	"github.com/vigie-watch/vigie/internal/watch"
)

// Bounds of /try, so that it cannot be used to load the server.
const (
	tryMaxRunes   = 100              // the longest keyword tried
	tryDays       = 30               // the stored items tried against
	tryMaxResults = 50               // the matches shown
	tryWait       = 5 * time.Second  // waiting for the evaluation in progress
	tryTimeout    = 10 * time.Second // one evaluation
	tryCacheSize  = 64               // answers kept for repeated queries
)

// TrialReader is what trying a keyword reads from the database.
type TrialReader interface {
	// ForEachSince calls fn for each story stored or published since a
	// date, newest first, until fn returns false.
	ForEachSince(ctx context.Context, since time.Time, fn func(watch.Text, watch.Summary) bool) error
}

// tryForm is the form on the page and at the top of /try.
type tryForm struct {
	Action, Token, Query string
}

// tryResult is the answer to one keyword.
type tryResult struct {
	Folded string // the keyword as matched
	Error  string // the keyword is invalid, or the trial failed
	Total  int    // stored items matched
	Items  []tryItem
	Since  time.Time
}

// tryItem is one stored item the keyword matches.
type tryItem struct {
	Title, Link, Source string
	Published           time.Time
	Field               string // where the passage is: titre, résumé...
	Written, Folded     passage
}

// trial evaluates one keyword at a time and remembers recent answers.
type trial struct {
	slot chan struct{}

	mu    sync.Mutex
	gen   int64 // store generation the cached answers hold for
	day   string
	cache map[string]*tryResult
	order []string // oldest first
}

func newTrial() *trial {
	return &trial{slot: make(chan struct{}, 1), cache: map[string]*tryResult{}}
}

type tryPage struct {
	Title  string
	Home   string // the page, with the token that let the reader in
	Form   tryForm
	Result *tryResult
}

// try serves /try?q=KEYWORD: the stored items of the last days that the
// keyword would match, read-only.
func (s *Server) try(w http.ResponseWriter, r *http.Request) {
	cfg := s.engine.Config()
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	base := PublicBase(cfg)
	page := tryPage{
		Title: cfg.Feed.Title, Home: base + "/" + tokenQuery(cfg, r),
		Form: tryForm{Action: base + "/try", Token: tokenValue(cfg, r), Query: q},
	}
	status := http.StatusOK
	switch {
	case q == "":
	case utf8.RuneCountInString(q) > tryMaxRunes || !utf8.ValidString(q):
		status = http.StatusBadRequest
		page.Result = &tryResult{Error: fmt.Sprintf("un mot-clé a au plus %d caractères", tryMaxRunes)}
	default:
		res, err := s.trial.answer(r.Context(), s.store, q)
		if err != nil {
			status = http.StatusServiceUnavailable
			s.log.Warn("try keyword", slog.String("keyword", q), slog.Any("error", err))
			res = &tryResult{Error: "essai impossible pour l’instant (un autre essai est en cours ?), réessayez dans un moment"}
		} else if res.Error != "" {
			status = http.StatusBadRequest
		}
		page.Result = res
	}
	var buf bytes.Buffer
	if err := pageTemplate.ExecuteTemplate(&buf, "try.html", page); err != nil {
		s.log.Error("render try", slog.Any("error", err))
		http.Error(w, "page unavailable, see the server log", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeHTML(w, status, buf.Bytes())
}

// writeHTML sends a page of vigie's: no script, no frame, no referrer, and
// forms only to vigie itself.
func writeHTML(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
	h.Set("Referrer-Policy", "no-referrer")
	w.WriteHeader(status)
	w.Write(body)
}

// answer returns the result for keyword, from the cache when the store has
// not changed since, else evaluated once no other evaluation runs.
func (t *trial) answer(ctx context.Context, st Store, keyword string) (*tryResult, error) {
	if err := config.CheckKeyword(keyword); err != nil {
		return &tryResult{Error: err.Error()}, nil
	}
	key := match.Fold(keyword) + "\x00" + keyword
	gen, day := st.Generation(), time.Now().Format(time.DateOnly)
	if res := t.cached(key, gen, day); res != nil {
		return res, nil
	}
	wait, cancel := context.WithTimeout(ctx, tryWait)
	defer cancel()
	select {
	case t.slot <- struct{}{}:
	case <-wait.Done():
		return nil, fmt.Errorf("wait for the trial in progress: %w", wait.Err())
	}
	defer func() { <-t.slot }()
	if res := t.cached(key, gen, day); res != nil { // evaluated while this one waited
		return res, nil
	}
	reader, ok := st.(TrialReader)
	if !ok {
		return nil, errors.New("the store cannot list recent items")
	}
	run, cancelRun := context.WithTimeout(ctx, tryTimeout)
	defer cancelRun()
	res, err := evaluate(run, reader, keyword, time.Now().AddDate(0, 0, -tryDays))
	if err != nil {
		return nil, err
	}
	t.remember(key, gen, day, res)
	return res, nil
}

func (t *trial) cached(key string, gen int64, day string) *tryResult {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.gen != gen || t.day != day {
		t.gen, t.day, t.order = gen, day, nil
		clear(t.cache)
	}
	return t.cache[key]
}

func (t *trial) remember(key string, gen int64, day string, res *tryResult) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.gen != gen || t.day != day {
		return
	}
	if len(t.order) >= tryCacheSize {
		delete(t.cache, t.order[0])
		t.order = t.order[1:]
	}
	t.cache[key] = res
	t.order = append(t.order, key)
}

// evaluate matches keyword against the stories of the store since since,
// with the matcher the feeds use; locate only shows where.
func evaluate(ctx context.Context, st TrialReader, keyword string, since time.Time) (*tryResult, error) {
	m, err := match.Compile([]string{keyword}, nil)
	if err != nil {
		return nil, fmt.Errorf("compile %q: %w", keyword, err)
	}
	res := &tryResult{Folded: match.Fold(keyword), Since: since}
	p := newPhrase(keyword)
	var fields []string // reused from story to story
	err = st.ForEachSince(ctx, since, func(t watch.Text, s watch.Summary) bool {
		fields = append(append(fields[:0], t.Title, t.Summary, t.Content, t.Page), t.Categories...)
		if len(m.Match(fields...).Keywords) == 0 {
			return ctx.Err() == nil
		}
		res.Total++
		if len(res.Items) < tryMaxResults {
			res.Items = append(res.Items, newTryItem(m, p, t, s))
		}
		return ctx.Err() == nil
	})
	if err == nil {
		err = ctx.Err()
	}
	if err != nil {
		return nil, fmt.Errorf("try %q: %w", keyword, err)
	}
	return res, nil
}

func newTryItem(m *match.Matcher, p phrase, t watch.Text, s watch.Summary) tryItem {
	it := tryItem{Title: t.Title, Link: s.Link, Source: s.Source, Published: s.Published}
	if it.Title == "" {
		it.Title = "(sans titre)"
	}
	named := []struct{ name, text string }{{"titre", t.Title}, {"résumé", t.Summary}, {"contenu", t.Content}}
	for _, c := range t.Categories {
		named = append(named, struct{ name, text string }{"catégorie", c})
	}
	if t.Page != "" { // the article's text, for a full-text source
		named = append(named, struct{ name, text string }{"texte de la page", t.Page})
	}
	for _, f := range named {
		if len(m.Match(f.text).Keywords) == 0 {
			continue
		}
		it.Field = f.name
		if w, fo, ok := p.locate(f.text); ok {
			it.Written, it.Folded = w, fo
		} else {
			plain := plaintext.FromHTML(f.text)
			it.Written = passage{After: plaintext.Truncate(plain, excerptRunes)}
			it.Folded = passage{After: plaintext.Truncate(match.Fold(plain), excerptRunes)}
		}
		break
	}
	return it
}
