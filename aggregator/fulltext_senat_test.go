package aggregator_test

import (
	"context"
	"fmt"
	"html"
	"maps"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"

	"github.com/vigie-watch/vigie/aggregator"
	"github.com/vigie-watch/vigie/internal/crawl"
	"github.com/vigie-watch/vigie/internal/feedgen"
	"github.com/vigie-watch/vigie/internal/fetch"
	"github.com/vigie-watch/vigie/internal/vigietest"
)

// senatExportOf is a Latin-1 export of the given rows (already joined by ;).
func senatExportOf(t *testing.T, rows ...string) []byte {
	t.Helper()
	b, err := charmap.ISO8859_1.NewEncoder().String("% Questions écrites et orales des sénateurs depuis un an\n" + senatHeader + "\n" + strings.Join(rows, "\n") + "\n")
	if err != nil {
		t.Fatal(err)
	}
	return []byte(b)
}

// senatQuestion is question n° 09077 while the answer is awaited.
var senatQuestion = func() feedgen.SenateQuestion {
	q := feedgen.Question09077
	q.Answered, q.Answer = "", nil
	return q
}()

func senatPage(t *testing.T, q feedgen.SenateQuestion) []byte {
	b, err := charmap.ISO8859_15.NewEncoder().String(feedgen.SenateQuestionPage(q))
	if err != nil {
		t.Fatal(err)
	}
	return []byte(b)
}

// TestSenateQuestionFollowedOnItsPage follows a question whose title says
// nothing of the keyword, found by its page, re-read daily while pending,
// after it left the export, until the answer is published: then the entry
// carries the answer (same id, newer updated), and an entry of its own
// announces it.
func TestSenateQuestionFollowedOnItsPage(t *testing.T) {
	up := vigietest.NewUpstream(t)
	row := "En attente de réponse;QE;09077;SEQ23110907;" + senatQuestion.Title + ";Durain;Jérôme;M.;Saône-et-Loire;SER;;" +
		"23/11/2023;Ministère de l'intérieur et des outre-mer;23/11/2023;Ministère de l'intérieur et des outre-mer;;;;Police;;" +
		up.URL("/questions/base/2023/qSEQ231109077.html")
	up.Handle("/questions.csv", vigietest.Body("text/csv", senatExportOf(t, row)))
	const page = "/questions/base/2023/qSEQ231109077.html"
	up.Handle(page, vigietest.Body("text/html", senatPage(t, senatQuestion)))

	cfg := vigietest.ParseConfig(t, fmt.Sprintf(`database: unused.db
feed: {title: Test, url: "http://vigie.example/feed.atom"}
keywords: [reconnaissance faciale]
sources:
  - {name: senat, type: senat-questions, url: %q, full_text: true}
`, up.URL("/questions.csv")))
	clk := newClock()
	client := fetch.NewClient(fetch.ClientOptions{UserAgent: "vigie-test"})
	h := vigietest.New(t, cfg, vigietest.Options{Engine: aggregator.Options{Now: clk.Now, Pages: crawl.New(client, crawl.Options{Spacing: time.Millisecond})}})
	ctx := context.Background()
	src := h.Config.Sources[0]
	cycle := func() {
		t.Helper()
		if r := h.Engine.FetchSource(ctx, src); r.Err != nil {
			t.Fatal(r.Err)
		}
	}

	cycle()
	feed := h.Feed("/feed.atom")
	if len(feed.Items) != 1 || !strings.Contains(html.UnescapeString(feed.Items[0].Content), senatQuestion.Question[1]) {
		t.Fatalf("the question found by its page should be published with its text; got %q", vigietest.Titles(feed))
	}
	first := feed.Items[0]
	cycle() // the same export: the page is not read again
	if n := up.Hits(page); n != 1 {
		t.Errorf("page read %d times within a day, want 1", n)
	}

	// A day later the question has left the export; still pending.
	up.Handle("/questions.csv", vigietest.Body("text/csv", senatExportOf(t)))
	clk.Set(clk.Now().Add(25 * time.Hour))
	cycle()
	if n := up.Hits(page); n != 2 {
		t.Errorf("page read %d times after a day, want 2 (pending questions are re-read daily)", n)
	}

	// The answer is published: the next daily reading finds it.
	answered := feedgen.Question09077
	up.Handle(page, vigietest.Body("text/html", senatPage(t, answered)))
	clk.Set(clk.Now().Add(25 * time.Hour))
	cycle()
	feed = h.Feed("/feed.atom")
	var question, announcement bool
	for _, it := range feed.Items {
		switch {
		case it.GUID == first.GUID:
			question = true
			if !strings.Contains(html.UnescapeString(it.Content), answered.Answer[0]) || !it.UpdatedParsed.After(*first.UpdatedParsed) {
				t.Errorf("the question's entry: want the answer and a newer updated (%v, was %v); content %s", it.UpdatedParsed, first.UpdatedParsed, it.Content)
			}
		case strings.HasPrefix(it.Title, "Réponse du ministère à la QE n° 09077 : "):
			announcement = true
			if it.Link != up.URL(page) || !strings.Contains(html.UnescapeString(it.Content), answered.Answer[0]) {
				t.Errorf("the announcement: want a link to the question and the answer; got %s, %s", it.Link, it.Content)
			}
		}
	}
	if !question || !announcement {
		t.Fatalf("want the question's entry and the answer's announcement; got %q", vigietest.Titles(feed))
	}
	before := ids(feed)

	// Answered: no more readings; the announcement is not repeated.
	clk.Set(clk.Now().Add(49 * time.Hour))
	cycle()
	cycle()
	if n := up.Hits(page); n != 3 {
		t.Errorf("page read %d times in all, want 3 (no reading once answered)", n)
	}
	if got := ids(h.Feed("/feed.atom")); !maps.Equal(got, before) {
		t.Errorf("entries changed after the answer: got %v, want %v", got, before)
	}
}

// TestReaskedQuestionsLinkedBothWays reads the export fixture, where
// question n° 09455 re-asks n° 06543: each entry links the other.
func TestReaskedQuestionsLinkedBothWays(t *testing.T) {
	up := vigietest.NewUpstream(t)
	up.Set("/questions.csv", vigietest.Fixture(t, "senat-questions.csv"), "text/csv")
	cfg := vigietest.ParseConfig(t, fmt.Sprintf(`database: unused.db
feed: {title: Test, url: "http://vigie.example/feed.atom"}
keywords: [reconnaissance biométrique, vidéoprotection]
sources:
  - {name: senat, type: senat-questions, url: %q}
`, up.URL("/questions.csv")))
	h := vigietest.New(t, cfg, vigietest.Options{})
	h.FetchAll()
	contents := map[string]string{}
	for _, it := range h.Feed("/feed.atom").Items {
		contents[strings.SplitN(it.Title, " :", 2)[0]] = html.UnescapeString(it.Content)
	}
	later, earlier := contents["QE n° 09455"], contents["QE n° 06543"]
	if !strings.Contains(later, "Rappel de la question : <a href=\"https://www.senat.fr/questions/base/2023/qSEQ230906543.html\"") ||
		!strings.Contains(later, "QE n° 06543 : Encadrement de la reconnaissance biométrique dans les stades</a>") {
		t.Errorf("the re-asking question does not link the earlier one:\n%s", later)
	}
	if !strings.Contains(earlier, "Question rappelée par : <a href=\"https://www.senat.fr/questions/base/2024/qSEQ240109455.html\"") {
		t.Errorf("the earlier question does not say it was re-asked:\n%s", earlier)
	}
}
