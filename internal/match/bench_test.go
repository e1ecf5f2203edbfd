package match_test

import (
	"bytes"
	"fmt"
	"html"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/mmcdole/gofeed"

	"github.com/vigie-watch/vigie/internal/match"
)

const benchItems = 10000

// French newsroom vocabulary, weighted by repetition: function words are
// listed several times so that generated text reads roughly like French.
var (
	stopWords = strings.Fields(`le la les de des du un une et à en au aux pour par sur dans avec
		qui que ne pas plus est sont a ont été être cette ce ces son sa ses leur leurs il elle ils
		on nous selon mais ou donc comme après avant depuis entre contre sans sous lors où dont`)
	contentWords = strings.Fields(`police gendarmerie préfet préfecture ministère intérieur
		sénateur sénatrice député gouvernement Assemblée Sénat Conseil d’État CNIL tribunal
		administratif juge justice enquête parquet procès avocat association Quadrature Net
		Ligue droits l’homme libertés publiques caméra caméras vidéoprotection vidéosurveillance
		drone drones image images données personnelles fichier fichiers traitement algorithme
		algorithmes intelligence artificielle logiciel logiciels société entreprise israélienne
		start-up marché public appel d’offres ville mairie maire commune communes métropole
		Marseille Nice Paris Lyon Toulouse Bordeaux Lille Nantes Strasbourg Montpellier
		expérimentation décret loi article amendement texte rapport mission commission
		sécurité globale Jeux olympiques JO 2024 2025 2026 manifestation manifestants
		foule gare gares métro RATP SNCF aéroport frontière contrôle contrôles identité visage
		visages biométrie biométriques empreintes reconnaissance identification détection
		comportement comportements suspects anormaux alerte opérateur opérateurs agents
		municipale nationale municipaux policiers gendarmes syndicat ministre Darmanin Retailleau
		Nuñez Beauvau réquisition autorisation recours référé liberté vie privée atteinte
		disproportionnée illégale légale cadre juridique européen règlement RGPD directive
		police-justice «&nbsp;sécurité&nbsp;» l’usage d’un l’outil qu’il s’est n’est jusqu’à
		aujourd’hui déjà très également notamment toutefois cependant néanmoins ainsi encore
		premier première nouvelle nouveau grand grande plusieurs certains certaines tous toutes
		année années mois semaine jour vendredi lundi mardi mercredi jeudi samedi dimanche
		janvier février mars avril mai juin juillet août septembre octobre novembre décembre
		élus élu citoyens habitants collectif militants observatoire chercheurs chercheuse
		journaliste révélé révèle affirme indique précise explique estime dénonce souligne
		rappelle annoncé adopté publié saisi condamné interdit autorisé déployé installé testé
		coût euros millions milliers centaines dizaines 12 150 3 000 45 % 1er n° «&nbsp;`)
	topicPhrases = []string{"reconnaissance faciale", "Reconnaissance-Faciale", "reconnaissance biométrique",
		"identification biométrique", "vidéosurveillance algorithmique", "VSA", "(VSA)",
		"caméras augmentées", "BriefCam", "Briefcam", "Technopolice"}
	categories = []string{"Société", "Justice", "Police", "Internet", "Sécurité sur internet",
		"Politique", "Faits divers", "Libertés", "Surveillance", "Sénat", "Europe", "Tech"}
	adjectives = strings.Fields(`municipale nationale biométrique* algorithmique augmentée*
		automatisé* intelligente* piéton* mobile* embarquée* publique* personnelles sensibles
		prédictive comportementale* administrative* judiciaire* européen* massive* clandestine*`)
	nouns = strings.Fields(`police caméra* fichier* données surveillance drone* logiciel*
		algorithme* contrôle* identification détection* reconnaissance vidéoprotection
		traitement* analyse* système* dispositif* outil* technologie* police-prédictive`)
	extraKeywords = []string{"Clearview", "PimEyes", "Idemia", "Thales", "Parafe", "fichier TAJ",
		"TAJ", "Face ID", "loi sécurité globale", "loi JO", "Jeux olympiques", "Quadrature du Net",
		"CNIL", "Défenseur des droits", "Conseil d’État", "article 10", "Safe City", "smart city",
		"Two-i", "Wintics", "Videtics", "XXII", "Cityvision", "Hikvision", "Dahua", "AI Act",
		"règlement IA", "IA Act", "empreinte* digitale*", "ADN", "Pôle emploi", "drones policiers",
		"police prédictive", "PredPol", "Palantir", "Pegasus", "logiciel espion", "cybersurveillance",
		"vidéo-verbalisation", "LAPI", "lecture automatique des plaques", "captation d’images",
		"caméras-piétons", "caméra piéton", "Marseille safe city", "Nice safe city",
		"vidéosurveillance", "vidéoprotection"}
)

// corpus is a deterministic set of realistic French items.
type corpus struct {
	title, summary, content []string
	cats                    [][]string
}

func newCorpus(n int) *corpus {
	rng := rand.New(rand.NewPCG(2026, 9077))
	c := &corpus{}
	word := func() string {
		if rng.IntN(5) < 2 {
			return stopWords[rng.IntN(len(stopWords))]
		}
		return contentWords[rng.IntN(len(contentWords))]
	}
	sentence := func(words int, topical bool) string {
		w := make([]string, words)
		for i := range w {
			w[i] = word()
		}
		if topical {
			w[rng.IntN(words)] = topicPhrases[rng.IntN(len(topicPhrases))]
		}
		s := strings.Join(w, " ")
		_, n := utf8.DecodeRuneInString(s)
		return strings.ToUpper(s[:n]) + s[n:]
	}
	for range n {
		topical := rng.IntN(20) == 0
		c.title = append(c.title, sentence(12, topical && rng.IntN(2) == 0))
		c.summary = append(c.summary, sentence(30, false)+". "+sentence(30, topical)+".")
		var b strings.Builder
		for p := range 8 {
			b.WriteString("<p>")
			b.WriteString(sentence(25, topical && p == 5))
			fmt.Fprintf(&b, `, <a href="https://www.francetvinfo.fr/societe/article_%d.html">%s</a> `, rng.IntN(1e7), sentence(4, false))
			b.WriteString("<strong>" + sentence(6, false) + "</strong>&nbsp;: ")
			b.WriteString(sentence(15, false) + ".</p>\n")
		}
		c.content = append(c.content, b.String())
		c.cats = append(c.cats, []string{categories[rng.IntN(len(categories))], categories[rng.IntN(len(categories))]})
	}
	return c
}

// benchKeywords returns 200 keywords: the topic's, a hand-written list and
// generated noun-adjective phrases, some with wildcards.
func benchKeywords() []string {
	kws := append(append([]string{}, topic...), extraKeywords...)
	seen := make(map[string]bool)
	for _, k := range kws {
		seen[k] = true
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for len(kws) < 200 {
		k := nouns[rng.IntN(len(nouns))] + " " + adjectives[rng.IntN(len(adjectives))]
		if !seen[k] {
			seen[k] = true
			kws = append(kws, k)
		}
	}
	return kws
}

// rss renders the corpus as an RSS 2.0 feed like franceinfo's.
func (c *corpus) rss() []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:media="http://search.yahoo.com/mrss/">
<channel><title>Franceinfo - Les Titres</title><link>https://www.francetvinfo.fr/</link><description>Les titres</description>
`)
	for i := range c.title {
		link := fmt.Sprintf("https://www.francetvinfo.fr/societe/article_%d.html", 6159871+i)
		fmt.Fprintf(&b, "<item><title>%s</title><link>%s</link><guid isPermaLink=\"true\">%s#xtor=RSS-3-[lestitres]</guid>\n", html.EscapeString(c.title[i]), link, link)
		fmt.Fprintf(&b, "<description><![CDATA[%s]]></description>\n<content:encoded><![CDATA[%s]]></content:encoded>\n", c.summary[i], c.content[i])
		for _, cat := range c.cats[i] {
			fmt.Fprintf(&b, "<category>%s</category>", html.EscapeString(cat))
		}
		fmt.Fprintf(&b, "\n<pubDate>Mon, 04 May 2020 17:50:%02d +0200</pubDate><enclosure url=\"https://www.francetvinfo.fr/image/%d.jpg\" type=\"image/jpeg\" length=\"0\"/></item>\n", i%60, i)
	}
	b.WriteString("</channel></rss>\n")
	return b.Bytes()
}

func newFeedParser() *gofeed.Parser {
	p := gofeed.NewParser()
	p.RSSTranslator = &gofeed.DefaultRSSTranslator{DisableContentImageScan: true}
	return p
}

// BenchmarkMatch matches 200 keywords against 10 000 items as gofeed
// returns them; one op is all the items.
func BenchmarkMatch(b *testing.B) {
	feed, err := newFeedParser().Parse(bytes.NewReader(newCorpus(benchItems).rss()))
	if err != nil {
		b.Fatal(err)
	}
	if len(feed.Items) != benchItems {
		b.Fatalf("parsed %d items, want %d", len(feed.Items), benchItems)
	}
	m, err := match.Compile(benchKeywords(), []string{"Face ID", "horoscope*"})
	if err != nil {
		b.Fatal(err)
	}
	fields := make([][]string, len(feed.Items))
	size := 0
	for i, it := range feed.Items {
		fields[i] = append([]string{it.Title, it.Description, it.Content}, it.Categories...)
		for _, f := range fields[i] {
			size += len(f)
		}
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	published := 0
	for b.Loop() {
		published = 0
		for _, f := range fields {
			if m.Match(f...).Published() {
				published++
			}
		}
	}
	b.ReportMetric(float64(published), "published")
}

// BenchmarkGofeedParse parses the same 10 000 items as one RSS document;
// one op is all the items. It is the yardstick for BenchmarkMatch.
func BenchmarkGofeedParse(b *testing.B) {
	doc := newCorpus(benchItems).rss()
	p := newFeedParser()
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	for b.Loop() {
		feed, err := p.Parse(bytes.NewReader(doc))
		if err != nil {
			b.Fatal(err)
		}
		if len(feed.Items) != benchItems {
			b.Fatalf("parsed %d items, want %d", len(feed.Items), benchItems)
		}
	}
}

// BenchmarkMatchShare alternates parsing the 10 000 items with gofeed and
// matching them, and reports matching time as a percentage of parsing
// time: on a shared machine both suffer the same load.
func BenchmarkMatchShare(b *testing.B) {
	doc := newCorpus(benchItems).rss()
	p := newFeedParser()
	m, err := match.Compile(benchKeywords(), []string{"Face ID", "horoscope*"})
	if err != nil {
		b.Fatal(err)
	}
	var parse, matching time.Duration
	for b.Loop() {
		runtime.GC()
		t0 := time.Now()
		feed, err := p.Parse(bytes.NewReader(doc))
		if err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		t1 := time.Now()
		for _, it := range feed.Items {
			m.Match(append([]string{it.Title, it.Description, it.Content}, it.Categories...)...)
		}
		parse += t1.Sub(t0)
		matching += time.Since(t1)
	}
	b.ReportMetric(100*float64(matching)/float64(parse), "match/parse-%")
}

// BenchmarkFold folds the content of one item.
func BenchmarkFold(b *testing.B) {
	c := newCorpus(1)
	b.SetBytes(int64(len(c.content[0])))
	for b.Loop() {
		match.Fold(c.content[0])
	}
}
