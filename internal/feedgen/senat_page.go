package feedgen

import (
	"fmt"
	"strings"
)

// SenateQuestion is the text of a written question's page on senat.fr.
type SenateQuestion struct {
	Number, Title, Author, Ministry string
	Asked                           string   // dd/mm/yyyy
	Question                        []string // paragraphs
	Answered                        string   // dd/mm/yyyy; "" while the answer is awaited
	Answer                          []string // paragraphs
}

// SenateQuestionPage returns a written question's page as senat.fr serves
// it: navigation and search chrome, the question, then either the
// ministry's answer or "En attente de réponse" and an e-mail alert form.
func SenateQuestionPage(q SenateQuestion) string {
	var b strings.Builder
	b.WriteString(`<!DOCTYPE html><html lang="fr"><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-15">`)
	fmt.Fprintf(&b, `<title>%s - Sénat</title><meta name="keywords" content="vidéosurveillance, drones, reconnaissance faciale"></head><body>`, q.Title)
	b.WriteString(`<header id="header" role="banner"><a href="/">Sénat</a><nav class="nav-main"><ul>`)
	for _, s := range []string{"Travaux parlementaires", "Vos sénateurs", "Commissions", "Europe et international", "Questions au Gouvernement", "Drones et sécurité : le rapport"} {
		fmt.Fprintf(&b, `<li><a href="/%d.html">%s</a></li>`, len(s), s)
	}
	b.WriteString(`</ul></nav><form class="search" action="/recherche"><input name="q"><button>Rechercher</button></form></header>`)
	b.WriteString(`<main id="main" role="main"><div class="container"><ol class="breadcrumb"><li><a href="/">Accueil</a></li><li><a href="/questions/">Questions</a></li></ol>`)
	b.WriteString(`<div class="row"><div class="col-md-8"><div class="box-inner">`)
	b.WriteString(`<p class="doc-nav"><a href="prev.html">Document précédent</a> <a href="next.html">Document suivant</a> <a href="/rss/q.rss">S'abonner à cette recherche</a></p>`)
	fmt.Fprintf(&b, `<h1 class="title-dark">%s</h1>`, q.Title)
	fmt.Fprintf(&b, `<h2 class="subtitle-01">Question écrite n° %s de %s</h2>`, q.Number, q.Author)
	fmt.Fprintf(&b, `<p class="date">publiée dans le JO Sénat du %s - page 6527</p><div class="question">`, q.Asked)
	for _, p := range q.Question {
		fmt.Fprintf(&b, "<p>%s</p>\n", p)
	}
	fmt.Fprintf(&b, `</div><p class="transmission">Transmise au %s</p>`, q.Ministry)
	if q.Answered == "" {
		fmt.Fprintf(&b, `<p class="attente"><strong>En attente de réponse du %s</strong></p>`, q.Ministry)
		b.WriteString(`<form class="alerte" action="/alerte"><label>Recevoir une alerte par courriel lors de la publication de la réponse</label><input name="email" type="email"><button>Valider</button></form>`)
	} else {
		fmt.Fprintf(&b, `<h2 class="subtitle-01">Réponse du %s</h2><p class="date">publiée dans le JO Sénat du %s - page 2680</p><div class="reponse">`, q.Ministry, q.Answered)
		for _, p := range q.Answer {
			fmt.Fprintf(&b, "<p>%s</p>\n", p)
		}
		b.WriteString(`</div>`)
	}
	b.WriteString(`</div></div><aside class="col-md-4"><h3>Dans la même rubrique</h3><ul>`)
	for i := range 12 {
		fmt.Fprintf(&b, `<li><a href="/q%d.html">Usage des drones par les forces de l'ordre (%d)</a></li>`, i, i)
	}
	b.WriteString(`</ul></aside></div></div></main><footer role="contentinfo"><p>Sénat - 15 rue de Vaugirard - 75006 Paris</p><a href="/mentions">Mentions légales</a></footer>`)
	b.WriteString(strings.Repeat(`<script>var x=1;</script>`, 50) + `</body></html>`)
	return b.String()
}

// Question09077 is modelled on the Senate's written question n° 09077
// (facial recognition by the police), answered.
var Question09077 = SenateQuestion{
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
