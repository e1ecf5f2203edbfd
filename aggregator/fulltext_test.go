package aggregator_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vigie-watch/vigie/aggregator"
	"github.com/vigie-watch/vigie/internal/config"
	"github.com/vigie-watch/vigie/internal/crawl"
	"github.com/vigie-watch/vigie/internal/feedgen"
	"github.com/vigie-watch/vigie/internal/fetch"
	"github.com/vigie-watch/vigie/internal/vigietest"
	"github.com/vigie-watch/vigie/internal/watch"
)

// The article pages of the full-text tests, as heavy as franceinfo's, with
// "reconnaissance faciale" and "drones" in every piece of chrome.
var (
	pageWithKeyword = feedgen.Article{
		Title: "Des logiciels d'analyse d'images testés par la police",
		Chapo: "Une enquête révèle l'usage d'un logiciel par plusieurs services depuis 2015.",
		Paragraphs: []string{
			"Depuis 2015, plusieurs services de la police nationale utilisent un logiciel d'analyse d'images vidéo acquis sans publicité.",
			"Le ministère assure que l'outil sert uniquement à retrouver des véhicules et des silhouettes dans des heures d'enregistrements.",
			"Les documents montrent pourtant que des formations ont été organisées dans une dizaine de départements.",
			"Une option de reconnaissance faciale, désactivée par défaut, pouvait être activée par les administrateurs locaux.",
			"Le ministre a demandé une inspection administrative dont les conclusions sont attendues dans trois mois.",
		},
	}
	pageWithoutKeyword = feedgen.Article{
		Title: "Le prix du gazole repart à la hausse",
		Chapo: "Les prix à la pompe ont augmenté de quatre centimes en une semaine.",
		Paragraphs: []string{
			"Le prix moyen du litre de gazole a atteint 1,82 euro cette semaine, selon les chiffres publiés lundi.",
			"Les distributeurs expliquent cette hausse par la remontée des cours du pétrole brut depuis le début du mois.",
			"Les automobilistes qui parcourent de longues distances pour aller travailler sont les premiers touchés.",
		},
	}
)

const fullTextKeywords = "[reconnaissance faciale, BriefCam, drone*]"

func fullTextConfig(t *testing.T, feedURL, keywords string) *config.Config {
	return vigietest.ParseConfig(t, fmt.Sprintf(`database: unused.db
max_body_bytes: 1048576
feed: {title: Test, url: "http://vigie.example/feed.atom"}
keywords: %s
sources:
  - name: franceinfo
    url: %q
    timeout: 2s
    full_text: true
`, keywords, feedURL))
}

func TestFullText(t *testing.T) {
	up := vigietest.NewUpstream(t)
	date := "Mon, 30 Nov 2026 08:00:00 +0000"
	items := []vigietest.RSSItem{
		{Title: "Des logiciels d'analyse d'images testés par la police", Link: up.URL("/a.html"), Date: date},
		{Title: "Le prix du gazole repart à la hausse", Link: up.URL("/b.html"), Date: date},
		{Title: "BriefCam : la mairie répond", Link: up.URL("/prive/c.html"), Date: date},
		{Title: "BriefCam : une page introuvable", Link: up.URL("/missing.html"), Date: date},
		{Title: "Une page qui ne répond pas", Link: up.URL("/stall.html"), Date: date},
		{Title: "Une page sans fin", Link: up.URL("/endless.html"), Date: date},
		{Title: "Une photo", Link: up.URL("/photo.jpg"), Date: date},
	}
	up.Handle("/feed", vigietest.Body("application/rss+xml", vigietest.RSS(items...))) // served whole, no validators
	up.Handle("/robots.txt", vigietest.Body("text/plain", []byte("User-agent: *\nDisallow: /prive/\n")))
	up.Handle("/a.html", vigietest.Body("text/html; charset=utf-8", []byte(feedgen.ArticlePage(pageWithKeyword, "reconnaissance faciale"))))
	up.Handle("/b.html", vigietest.Body("text/html; charset=utf-8", []byte(feedgen.ArticlePage(pageWithoutKeyword, "reconnaissance faciale"))))
	up.Handle("/prive/c.html", vigietest.Body("text/html", []byte(feedgen.ArticlePage(pageWithKeyword, "x"))))
	var stalls atomic.Int32
	up.HandleFunc("/stall.html", func(w http.ResponseWriter, r *http.Request) {
		if stalls.Add(1) == 1 { // the first time only: the retry gets the page
			<-r.Context().Done()
			return
		}
		vigietest.Body("text/html", []byte(feedgen.ArticlePage(pageWithoutKeyword, "drones")))(w, r)
	})
	up.HandleFunc("/endless.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		chunk := []byte(strings.Repeat("<p>sans fin</p>", 4096))
		for r.Context().Err() == nil {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	})
	up.Handle("/photo.jpg", vigietest.Body("image/jpeg", []byte("\xff\xd8\xff\xe0 not a page")))

	clk := newClock()
	client := fetch.NewClient(fetch.ClientOptions{UserAgent: "vigie-test", MaxBodyBytes: 1 << 20})
	pages := crawl.New(client, crawl.Options{Spacing: time.Millisecond})
	h := vigietest.New(t, fullTextConfig(t, up.URL("/feed"), fullTextKeywords), vigietest.Options{Engine: aggregator.Options{Now: clk.Now, Pages: pages}})
	ctx := context.Background()
	src := h.Config.Sources[0]

	r := h.Engine.FetchSource(ctx, src)
	if r.Err != nil {
		t.Fatalf("first cycle: %v", r.Err)
	}
	if r.Pages.Fetched != 2 || r.Pages.Failed != 5 {
		t.Errorf("first cycle: %d pages read, %d failed; want 2 and 5 (disallowed, 404, stalled, endless, not HTML)", r.Pages.Fetched, r.Pages.Failed)
	}
	wantHits := map[string]int{"/feed": 1, "/robots.txt": 1, "/a.html": 1, "/b.html": 1, "/prive/c.html": 0,
		"/missing.html": 1, "/stall.html": 1, "/endless.html": 1, "/photo.jpg": 1}
	checkHits := func(when string) {
		t.Helper()
		for path, want := range wantHits {
			if got := up.Hits(path); got != want && path != "/feed" {
				t.Errorf("%s: %s requested %d times, want %d", when, path, got, want)
			}
		}
	}
	checkHits("first cycle")

	// Published: the page whose article says it, and the items whose
	// feed text says it even though their pages failed; not the page
	// whose chrome only says it.
	feed := h.Feed("/feed.atom")
	got := strings.Join(vigietest.Titles(feed), "\n")
	for _, want := range []string{items[0].Title, items[2].Title, items[3].Title} {
		if !strings.Contains(got, want) {
			t.Errorf("%q not published; feed:\n%s", want, got)
		}
	}
	if strings.Contains(got, items[1].Title) {
		t.Errorf("%q published: its page says the keywords in its chrome only", items[1].Title)
	}
	for _, it := range feed.Items {
		if it.Title != items[0].Title {
			continue
		}
		if !strings.Contains(it.Content, "Une option de <mark>reconnaissance faciale</mark>, désactivée par défaut") {
			t.Errorf("the entry does not show the passage that matched: %s", it.Content)
		}
		if strings.Contains(it.Content, pageWithKeyword.Paragraphs[0]) {
			t.Errorf("the entry carries the article, not only its passages: %s", it.Content)
		}
	}

	// The HTML page shows the passage, and the pages' failures beside the
	// source's health.
	home := html.UnescapeString(string(h.GetBody("/")))
	if !strings.Contains(home, "Une option de <mark>reconnaissance faciale</mark>, désactivée par défaut") {
		t.Errorf("the page does not show the passage that matched:\n%.3000s", home)
	}
	if !strings.Contains(home, "5 page(s) d'articles illisible(s)") {
		t.Errorf("the page does not show the pages that could not be read")
	}

	// The feed is healthy; the pages' failures are reported beside it.
	st := sourceState(t, h, "franceinfo")
	if st.LastError != "" || st.ConsecutiveFailures != 0 {
		t.Errorf("the feed is marked failing (%d, %q) because of its pages", st.ConsecutiveFailures, st.LastError)
	}
	if st.PagesFailed != 5 || st.LastPageError == "" {
		t.Errorf("page health: got %d failed, last error %q; want 5 and an error", st.PagesFailed, st.LastPageError)
	}

	// The feed served whole again, twice: no page is fetched again.
	for range 2 {
		if r := h.Engine.FetchSource(ctx, src); r.Err != nil || r.Pages != (watch.PageHealth{}) {
			t.Fatalf("cycle of an unchanged feed: error %v, pages %+v; want no page fetched", r.Err, r.Pages)
		}
	}
	checkHits("unchanged feed, three cycles")

	// Later, the pages that may come back are tried again, once; the
	// stalled one now answers. The feed's bytes are the same (not parsed
	// again): its pages are read all the same.
	clk.Set(clk.Now().Add(16 * time.Minute))
	r = h.Engine.FetchSource(ctx, src)
	wantHits["/missing.html"], wantHits["/stall.html"] = 2, 2
	checkHits("after the first retry delay")
	if r.Outcome() != watch.OutcomeSameBody || r.Pages.Fetched != 1 || r.Pages.Failed != 1 {
		t.Errorf("retry cycle: got %s, %d pages read, %d failed; want same_body, 1 and 1", r.Outcome(), r.Pages.Fetched, r.Pages.Failed)
	}

	// A new version of an item: its page is read again.
	items[0].Title = "Logiciels d'analyse d'images : le ministre ordonne une inspection"
	up.Handle("/feed", vigietest.Body("application/rss+xml", vigietest.RSS(items...)))
	h.Engine.FetchSource(ctx, src)
	wantHits["/a.html"] = 2
	checkHits("after an item changed")

	// A keyword edit applies to the stored page text, without a request.
	cfg := fullTextConfig(t, up.URL("/feed"), "[reconnaissance faciale, automobilistes]")
	if err := h.Engine.Apply(ctx, cfg); err != nil {
		t.Fatal(err)
	}
	if !hasTitle(h.Feed("/feed.atom"), items[1].Title) {
		t.Errorf("a keyword found only in a stored page did not publish its item: %q", vigietest.Titles(h.Feed("/feed.atom")))
	}
	checkHits("after a keyword edit")
}

// TestFullTextSlowPagesDoNotHoldOtherSources holds a full-text source's
// pages unanswered: its items are stored before their pages, the other
// source's cycle completes meanwhile (even with one parsing slot), and the
// held pages are cut at the source's timeout.
func TestFullTextSlowPagesDoNotHoldOtherSources(t *testing.T) {
	up := vigietest.NewUpstream(t)
	started := make(chan struct{}, 16)
	var links []vigietest.RSSItem
	for i := range 6 {
		path := fmt.Sprintf("/slow/%d.html", i)
		links = append(links, vigietest.RSSItem{Title: fmt.Sprintf("Article %d", i), Link: up.URL(path)})
		up.Handle(path, vigietest.Blocking(started, nil, nil)) // never answers
	}
	up.Handle("/slow.rss", vigietest.Body("application/rss+xml", vigietest.RSS(links...)))
	up.Handle("/other.rss", vigietest.Body("application/rss+xml", okFeed))
	cfg := vigietest.ParseConfig(t, fmt.Sprintf(`database: unused.db
concurrency: 1
feed: {title: Test, url: "http://vigie.example/feed.atom"}
keywords: [reconnaissance faciale]
sources:
  - {name: slow, url: %q, timeout: 8s, full_text: true}
  - {name: other, url: %q}
`, up.URL("/slow.rss"), up.URL("/other.rss")))
	client := fetch.NewClient(fetch.ClientOptions{UserAgent: "vigie-test"})
	h := vigietest.New(t, cfg, vigietest.Options{Engine: aggregator.Options{Pages: crawl.New(client, crawl.Options{Spacing: time.Millisecond})}})
	ctx := context.Background()

	done := make(chan watch.Report, 1)
	go func() { done <- h.Engine.FetchSource(ctx, h.Config.Sources[0]) }()
	<-started // the slow source's items are stored, its pages requested

	// A generous deadline: the other cycle must not wait for the pages.
	octx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if other := h.Engine.FetchSource(octx, h.Config.Sources[1]); other.Err != nil || other.New != 1 {
		t.Fatalf("the other source while the pages hang: error %v, %d new; want its item", other.Err, other.New)
	}
	select {
	case <-done:
		t.Fatal("the slow source's cycle ended before its pages' timeout: the test proves nothing")
	default:
	}
	if !hasTitle(h.Feed("/feed.atom"), "Reconnaissance faciale : un article") {
		t.Error("the other source's item is not published while the pages hang")
	}

	select {
	case slow := <-done:
		if slow.Err != nil || slow.New != 6 || slow.Pages.Failed == 0 {
			t.Errorf("slow source: error %v, %d new, %d pages failed; want its 6 items stored and its pages timed out", slow.Err, slow.New, slow.Pages.Failed)
		}
	case <-time.After(60 * time.Second): // the source's timeout is 8 s
		t.Fatal("the slow source's pages were not cut at its timeout")
	}
}
