package server_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vigie-watch/vigie/internal/config"
	"github.com/vigie-watch/vigie/internal/server"
	"github.com/vigie-watch/vigie/internal/store"
	"github.com/vigie-watch/vigie/internal/vigietest"
	"github.com/vigie-watch/vigie/internal/watch"
)

// trialStore is the real store, counting the listings /try makes and how
// many run at once; a listing waits for gate when it is set.
type trialStore struct {
	*store.Store
	calls, inFlight, most atomic.Int64
	gate                  chan struct{}
}

func (s *trialStore) ForEachSince(ctx context.Context, since time.Time, fn func(watch.Text, watch.Summary) bool) error {
	s.calls.Add(1)
	n := s.inFlight.Add(1)
	defer s.inFlight.Add(-1)
	for m := s.most.Load(); n > m && !s.most.CompareAndSwap(m, n); m = s.most.Load() {
	}
	if s.gate != nil {
		<-s.gate
	}
	return s.Store.ForEachSince(ctx, since, fn)
}

func tryHarness(t *testing.T) (*activityRig, *trialStore) {
	ts := &trialStore{}
	h := activityHarness(t, 40, vigietest.Options{ServerStore: func(st *store.Store) server.Store {
		ts.Store = st
		return ts
	}})
	h.fetch()
	return h, ts
}

func serve(handler http.Handler, q string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/try?q="+url.QueryEscape(q), nil))
	return rec
}

func TestTry(t *testing.T) {
	h, ts := tryHarness(t)
	handler := h.Handler

	rec := serve(handler, "Caméra*")
	if rec.Code != http.StatusOK {
		t.Fatalf("got %d, want 200: %s", rec.Code, rec.Body)
	}
	doc := parseHTML(t, rec.Body.String())
	items := elements(byID(doc, "resultats"), "li")
	// Two stories of the fixtures (published in 2023, stored today) say
	// caméra: the CNIL's in its title, the JO's in its summary; none of
	// the recent feed does.
	if len(items) != 2 {
		t.Fatalf("got %d results, want 2:\n%s", len(items), rec.Body)
	}
	for i, want := range []struct{ title, where, written, folded string }{
		{`Caméras augmentées : la CNIL <script>alert("titre")</script> publie`, "dans le titre", "Caméras", "cameras"},
		{"JO de Paris", "dans le résumé", "caméras", "cameras"},
	} {
		it := items[i]
		if got := text(elements(it, "a")[0]); !strings.HasPrefix(got, want.title) {
			t.Errorf("result %d: got %q, want %q (newest first)", i, got, want.title)
			continue
		}
		marks := elements(it, "mark")
		if got := text(marks[0]); got != want.written {
			t.Errorf("%s: written passage: got mark %q, want %q", want.title, got, want.written)
		}
		if got := text(marks[1]); got != want.folded {
			t.Errorf("%s: folded passage: got mark %q, want %q", want.title, got, want.folded)
		}
		if !strings.Contains(text(it), want.where) {
			t.Errorf("%s: the result does not say %q: %q", want.title, want.where, text(it))
		}
	}
	if n := len(elements(doc, "script")); n != 0 || strings.Contains(rec.Body.String(), "<script>alert") {
		t.Errorf("the hostile title is not escaped")
	}

	rec = serve(handler, "reconnaissance faciale")
	// 16 of the recent feed (2 subjects in 5), BriefCam's, Disclose's, and
	// the iPhone's: a trial ignores the exclude entries.
	if !strings.Contains(rec.Body.String(), "19 articles") {
		t.Errorf("reconnaissance faciale: want 19 articles:\n%s", rec.Body)
	}

	t.Run("cache", func(t *testing.T) {
		// The store may notice its own last commit late, once: at most one
		// more listing per keyword than none.
		before := ts.calls.Load()
		for range 5 {
			serve(handler, "reconnaissance faciale")
			serve(handler, "Caméra*")
		}
		if got := ts.calls.Load() - before; got > 2 {
			t.Errorf("10 repeated queries listed the store %d times, want at most 2", got)
		}
		h.up.Set("/recent.rss", activityFeed(time.Now(), 45), fixtureType) // new items
		h.fetch()
		before = ts.calls.Load()
		if rec := serve(handler, "Caméra*"); rec.Code != http.StatusOK {
			t.Fatalf("got %d", rec.Code)
		}
		if got := ts.calls.Load() - before; got != 1 {
			t.Errorf("after new items: got %d listings, want 1 (not the cached answer)", got)
		}
	})

	t.Run("invalid keywords", func(t *testing.T) {
		for _, q := range []string{"cam*ra", "*", "--"} {
			rec := serve(handler, q)
			if rec.Code != http.StatusBadRequest {
				t.Errorf("%q: got %d, want 400", q, rec.Code)
			}
			// vigie check's message for the same keyword.
			_, err := config.Parse(strings.NewReader("sources: [{name: a, url: 'https://a.example/'}]\nkeywords: ['" + q + "']\n"))
			var cerr *config.Error
			if !errors.As(err, &cerr) || len(cerr.Problems) != 1 {
				t.Fatalf("%q: config.Parse: %v", q, err)
			}
			msg := cerr.Problems[0].Message
			if page := text(parseHTML(t, rec.Body.String())); !strings.Contains(page, msg) {
				t.Errorf("%q: the page does not say %q:\n%s", q, msg, page)
			}
		}
		if rec := serve(handler, strings.Repeat("é", 101)); rec.Code != http.StatusBadRequest {
			t.Errorf("101 characters: got %d, want 400", rec.Code)
		}
	})
}

// TestTryOneAtATime checks that two keywords tried together are evaluated
// one after the other, and both answered.
func TestTryOneAtATime(t *testing.T) {
	h, ts := tryHarness(t)
	handler := h.Handler
	ts.gate = make(chan struct{})
	var wg sync.WaitGroup
	codes := make([]int, 2)
	for i, q := range []string{"VSA", "BriefCam"} {
		wg.Go(func() { codes[i] = serve(handler, q).Code })
	}
	time.Sleep(50 * time.Millisecond) // let both reach the store or the queue
	ts.gate <- struct{}{}
	ts.gate <- struct{}{}
	wg.Wait()
	if codes[0] != http.StatusOK || codes[1] != http.StatusOK {
		t.Errorf("got %v, want both 200", codes)
	}
	if got := ts.most.Load(); got != 1 {
		t.Errorf("got %d evaluations at once, want 1", got)
	}
}

// TestTryFindsThePageText: a keyword that only the text of a story's page
// says (a full-text source's article) is found by a trial, as the engine
// matches it, and the result says where.
func TestTryFindsThePageText(t *testing.T) {
	h, ts := tryHarness(t)
	ctx := context.Background()
	var first watch.Summary
	err := ts.Store.ForEachSince(ctx, time.Now().AddDate(0, 0, -30), func(_ watch.Text, s watch.Summary) bool {
		first = s
		return false
	})
	if err != nil || first.EntryID == "" {
		t.Fatalf("no stored story to give a page: %v", err)
	}
	if rec := serve(h.Handler, "Hikvision"); !strings.Contains(rec.Body.String(), "Aucun article") {
		t.Fatalf("before the page: want no result:\n%s", rec.Body)
	}
	page := "Le ministère a retenu les caméras de Hikvision pour l’expérimentation."
	err = ts.Store.SavePages(ctx, first.Source, []watch.PageResult{{EntryID: first.EntryID, Text: page}}, watch.PageHealth{Fetched: 1}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	rec := serve(h.Handler, "Hikvision")
	doc := parseHTML(t, rec.Body.String())
	items := elements(byID(doc, "resultats"), "li")
	if len(items) != 1 {
		t.Fatalf("got %d results, want the story whose page says it:\n%s", len(items), rec.Body)
	}
	if got := text(items[0]); !strings.Contains(got, "dans le texte de la page") || !strings.Contains(got, "Hikvision") {
		t.Errorf("the result does not show the page's passage: %q", got)
	}
}
