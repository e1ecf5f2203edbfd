package pagetext_test

import (
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"github.com/vigie-watch/vigie/internal/feedgen"
	"github.com/vigie-watch/vigie/internal/pagetext"
)

func senatePage(t *testing.T, q feedgen.SenateQuestion) []byte {
	t.Helper()
	b, err := charmap.ISO8859_15.NewEncoder().String(feedgen.SenateQuestionPage(q))
	if err != nil {
		t.Fatal(err)
	}
	return []byte(b)
}

func TestSenateQuestionPage(t *testing.T) {
	pending := feedgen.Question09077
	pending.Answered, pending.Answer = "", nil
	for _, c := range []struct {
		name     string
		q        feedgen.SenateQuestion
		answered bool
	}{{"awaiting the answer", pending, false}, {"answered", feedgen.Question09077, true}} {
		t.Run(c.name, func(t *testing.T) {
			text, err := pagetext.Extract(senatePage(t, c.q), "text/html", "https://www.senat.fr/questions/base/2023/qSEQ231109077.html", nil)
			if err != nil {
				t.Fatal(err)
			}
			text = pagetext.SenateQuestion(text)
			if !strings.HasPrefix(text, "Question écrite n° 09077 de M. Jérôme Durain") {
				t.Errorf("the record does not start with the question: %.200q", text)
			}
			for _, p := range append(c.q.Question, c.q.Answer...) {
				if !strings.Contains(text, p) {
					t.Errorf("missing from the text: %q\ntext:\n%s", p, text)
				}
			}
			for _, chrome := range []string{"Document précédent", "S'abonner", "courriel", "Rechercher", "Vaugirard", "Usage des drones"} {
				if strings.Contains(text, chrome) {
					t.Errorf("chrome %q in the text:\n%s", chrome, text)
				}
			}
			if got := pagetext.Answered(text); got != c.answered {
				t.Errorf("Answered: got %v, want %v; text:\n%s", got, c.answered, text)
			}
		})
	}
}
