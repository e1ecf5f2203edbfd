package pagetext_test

import (
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"github.com/vigie-watch/vigie/internal/feedgen"
	"github.com/vigie-watch/vigie/internal/pagetext"
)

// question09077 is modelled on the Senate's question n° 09077.
var question09077 = feedgen.SenateQuestion{
	Number: "09077", Title: "Utilisation par la police nationale d'un logiciel d'analyse d'images",
	Author: "M. Jérôme Durain (Saône-et-Loire - SER)", Ministry: "Ministère de l'intérieur et des outre-mer",
	Asked: "23/11/2023",
	Question: []string{
		"M. Jérôme Durain attire l'attention de M. le ministre de l'intérieur et des outre-mer sur l'utilisation par la police nationale d'un logiciel d'analyse d'images vidéo acquis en 2015.",
		"Selon une enquête publiée le 14 novembre 2023, ce logiciel dispose d'une fonction de reconnaissance faciale qui aurait pu être activée par certains services, en dehors de tout cadre légal.",
		"Il lui demande de préciser les conditions d'utilisation de cet outil et les garanties apportées au respect de la vie privée.",
	},
	Answered: "13/06/2024",
	Answer: []string{
		"L'inspection générale de l'administration a été saisie le 20 novembre 2023 afin d'établir un état des lieux précis de l'usage de ce logiciel.",
		"Ses conclusions ont établi que la fonctionnalité en cause n'a été utilisée que de manière marginale, et aucune utilisation n'a été faite en dehors de procédures judiciaires.",
	},
}

func senatePage(t *testing.T, q feedgen.SenateQuestion) []byte {
	t.Helper()
	b, err := charmap.ISO8859_15.NewEncoder().String(feedgen.SenateQuestionPage(q))
	if err != nil {
		t.Fatal(err)
	}
	return []byte(b)
}

func TestSenateQuestionPage(t *testing.T) {
	pending := question09077
	pending.Answered, pending.Answer = "", nil
	for _, c := range []struct {
		name     string
		q        feedgen.SenateQuestion
		answered bool
	}{{"awaiting the answer", pending, false}, {"answered", question09077, true}} {
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
