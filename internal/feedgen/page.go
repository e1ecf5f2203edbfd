package feedgen

import (
	"fmt"
	"strings"
)

// Article is the text of an article page.
type Article struct {
	Title      string
	Chapo      string
	Paragraphs []string
}

// watchHeadlines are unrelated video headlines of franceinfo's "À regarder"
// block, as seen on a real page: a watch on drone* or "identité
// numérique" that read them would match every article.
var watchHeadlines = []string{
	"Drones : un spectacle vire au chaos en Chine",
	"Le Royaume-Uni veut créer une carte d'identité numérique",
	"Reconnaissance faciale : les images d'un test grandeur nature à Nice",
	"Des drones pour surveiller les plages cet été",
	"Vidéosurveillance algorithmique : ce que prévoit la loi JO",
	"Incendie : les pompiers mobilisent des drones thermiques",
	"Un chat coincé dans un arbre depuis trois jours",
	"La recette du gâteau au yaourt de Cyril Lignac",
	"Tempête : des rafales à 150 km/h attendues en Bretagne",
	"Football : le but incroyable d'un gardien de but",
}

// ArticlePage returns a page as heavy and as full of chrome as a real
// franceinfo article page (well over 200 KB): consent banner, menus, a
// trending-topics bar, the article, "À lire aussi", an "À regarder" block
// of 30 video headlines, comments, footer, meta keywords, JSON-LD and
// scripts. chromeWords is put in every piece of chrome: a watch on them
// must not match the page.
func ArticlePage(a Article, chromeWords string) string {
	var b strings.Builder
	b.WriteString(`<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">`)
	fmt.Fprintf(&b, `<title>%s</title>`, a.Title)
	fmt.Fprintf(&b, `<meta name="keywords" content="%s, drones, société, police">`, chromeWords)
	fmt.Fprintf(&b, `<meta name="description" content="%s %s">`, chromeWords, a.Chapo)
	fmt.Fprintf(&b, `<meta property="og:description" content="%s">`, chromeWords)
	fmt.Fprintf(&b, `<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":%q,"keywords":%q,"articleBody":%q}</script>`,
		a.Title, chromeWords, chromeWords+" "+strings.Join(a.Paragraphs, " "))
	for i := range 15 { // bundles and trackers: most of a real page's weight
		fmt.Fprintf(&b, `<script>window.__bundle%d=function(){var d=%q;return d.split("").reverse().join("")};</script>`, i, strings.Repeat("abcdefghij0123456789", 650))
	}
	b.WriteString(`<style>.c-body p{margin:0 0 1em}` + strings.Repeat(".x-a{color:#123}", 400) + `</style></head><body>`)

	fmt.Fprintf(&b, `<div id="didomi-host" class="didomi-popup" role="dialog" aria-modal="true"><div class="consent"><p>Avec votre accord, nous et nos 842 partenaires utilisons des cookies ou technologies similaires pour stocker et accéder à des informations personnelles comme votre visite sur ce site, y compris pour la %s et la mesure d'audience.</p><button>Accepter</button><button>Refuser</button><a href="/cookies">Paramétrer</a></div></div>`, chromeWords)

	b.WriteString(`<header class="l-header"><a href="/" class="logo">franceinfo</a><nav class="main-menu"><ul>`)
	for _, s := range []string{"France", "Monde", "Politique", "Société", "Faits divers", "Justice", "Internet", "Sécurité sur internet", "Drones", "Sport", "Culture", "Météo", "Vrai ou faux", chromeWords} {
		fmt.Fprintf(&b, `<li><a href="/%s/">%s</a><ul class="sub">`, menuSlug(s), s)
		for k := range 8 {
			fmt.Fprintf(&b, `<li><a href="/%s/%d/">%s %d</a></li>`, menuSlug(s), k, s, k)
		}
		b.WriteString(`</ul></li>`)
	}
	b.WriteString(`</ul></nav></header>`)

	fmt.Fprintf(&b, `<div class="c-trending-topics"><span class="c-trending-topics__label">Tendances</span><ul><li><a href="/t/1">Guerre en Ukraine</a></li><li><a href="/t/2">%s</a></li><li><a href="/t/3">Drones</a></li><li><a href="/t/4">Budget 2027</a></li></ul></div>`, chromeWords)

	b.WriteString(`<main id="main"><div class="l-content"><article class="c-article">`)
	fmt.Fprintf(&b, `<header class="c-article__header"><div class="c-breadcrumb"><a href="/">Accueil</a> &gt; <a href="/societe/">Société</a></div><h1 class="c-title">%s</h1><p class="c-chapo">%s</p>`, a.Title, a.Chapo)
	b.WriteString(`<div class="c-signature"><span class="c-signature__names">Camille Martin</span> - franceinfo<br><time datetime="2026-11-30T17:50:19+01:00">Publié le 30/11/2026 17:50</time></div></header>`)
	b.WriteString(`<div class="c-share"><a href="https://twitter.com/share">Partager sur X</a><a href="https://facebook.com/share">Facebook</a><a href="mailto:">Envoyer par mail</a></div>`)
	b.WriteString(`<figure class="c-cover"><img src="/image.jpg" alt=""><figcaption>Une caméra de surveillance à Paris. (AFP)</figcaption></figure>`)
	b.WriteString(`<div class="c-body">`)
	for i, p := range a.Paragraphs {
		if i == 2 {
			b.WriteString(`<h2>Une expérimentation contestée</h2>`)
		}
		fmt.Fprintf(&b, "<p>%s</p>\n", p)
	}
	b.WriteString(`</div></article>`)

	fmt.Fprintf(&b, `<aside class="c-related"><h2>À lire aussi</h2><ul><li><a href="/a/1">%s : ce que dit la loi</a></li><li><a href="/a/2">Des drones pour surveiller les manifestations</a></li><li><a href="/a/3">Le Conseil d'État saisi sur la vidéosurveillance</a></li></ul></aside>`, chromeWords)

	b.WriteString(`<section class="c-playlist"><h2 class="c-playlist__title">À regarder</h2><ul>`)
	for i := range 30 {
		fmt.Fprintf(&b, `<li class="c-playlist__item"><a href="/video/%d.html"><figure><img src="/v%d.jpg" alt=""><span class="duration">01:%02d</span></figure><p class="c-playlist__headline">%s</p></a></li>`,
			i, i, i, watchHeadlines[i%len(watchHeadlines)])
	}
	b.WriteString(`</ul></section>`)

	fmt.Fprintf(&b, `<section id="comments" class="c-comments"><h2>Commentaires</h2>`)
	for i := range 5 {
		fmt.Fprintf(&b, `<div class="c-comment"><span class="c-comment__author">lecteur%d</span><p>Encore un article sur la %s, on voit des drones partout maintenant, c'est insupportable et personne ne dit rien à ce sujet depuis des années.</p></div>`, i, chromeWords)
	}
	b.WriteString(`</section></div></main>`)

	fmt.Fprintf(&b, `<footer class="l-footer"><ul><li><a href="/mentions">Mentions légales</a></li><li><a href="/cookies">Gestion des cookies</a></li><li><a href="/t/rf">%s</a></li></ul><p>© France Télévisions 2026</p></footer>`, chromeWords)
	b.WriteString(`<script src="/app.js" async></script></body></html>`)
	return b.String()
}

func menuSlug(s string) string { return strings.ToLower(strings.ReplaceAll(s, " ", "-")) }
