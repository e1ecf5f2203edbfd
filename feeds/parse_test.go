package feeds_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vigie-watch/vigie/feeds"
	"github.com/vigie-watch/vigie/internal/watch"
)

// inNow is the clock of the parse tests: after every fixture's dates,
// before the "future" entry of in-xmlbase.atom.
var inNow = time.Date(2026, 10, 8, 12, 0, 0, 0, time.UTC)

func inFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func inDate(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

// inWant lists the fields a case checks; empty strings and zero times
// are checked too, except Summary and Content, checked by substring.
type inWant struct {
	GUID, Link, Title, Author string
	SummaryHas, ContentHas    string
	Categories                []string
	Published, Updated        time.Time
}

func TestParseFixtures(t *testing.T) {
	tests := []struct {
		file, contentType, url string
		title, link            string
		items                  []inWant
	}{
		{
			file: "in-franceinfo.rss", contentType: "application/rss+xml; charset=UTF-8",
			url:   "https://www.francetvinfo.fr/titres.rss",
			title: "Franceinfo - Les Titres", link: "https://www.francetvinfo.fr/titres.rss",
			items: []inWant{
				{
					GUID:       "https://www.francetvinfo.fr/internet/securite-sur-internet/reconnaissance-faciale-la-cnil-met-en-demeure-une-commune_6159871.html#xtor=RSS-3-[lestitres]",
					Link:       "https://www.francetvinfo.fr/internet/securite-sur-internet/reconnaissance-faciale-la-cnil-met-en-demeure-une-commune_6159871.html#xtor=RSS-3-[lestitres]",
					Title:      "Reconnaissance faciale\u00a0: la Cnil met en demeure une commune",
					SummaryHas: "<b>BriefCam</b>&nbsp;sans autorisation",
					Categories: []string{"Internet", "Sécurité sur internet"},
					Published:  inDate("2026-10-06T15:50:19Z"),
				},
				{
					GUID:       "https://www.francetvinfo.fr/societe/justice/videosurveillance-algorithmique-le-conseil-d-etat-saisi_6160002.html#xtor=RSS-3-[lestitres]",
					Link:       "https://www.francetvinfo.fr/societe/justice/videosurveillance-algorithmique-le-conseil-d-etat-saisi_6160002.html#xtor=RSS-3-[lestitres]",
					Title:      "Vidéosurveillance algorithmique : le Conseil d'État saisi",
					SummaryHas: "<p>Les associations contestent l'expérimentation de la VSA&nbsp;prolongée",
					Published:  inDate("2026-10-06T07:05:00Z"),
				},
				{
					GUID:       "https://www.francetvinfo.fr/meteo/episode-cevenol_6160010.html#xtor=RSS-3-[lestitres]",
					Link:       "https://www.francetvinfo.fr/meteo/episode-cevenol_6160010.html#xtor=RSS-3-[lestitres]",
					Title:      "Météo : un épisode cévenol attendu dans le Gard",
					SummaryHas: "300&nbsp;mm",
					Published:  inDate("2026-10-05T05:00:00Z"),
				},
			},
		},
		{
			file: "in-disclose.rss", contentType: "application/rss+xml; charset=UTF-8",
			url:   "https://disclose.ngo/fr/feed",
			title: "Disclose", link: "https://disclose.ngo/fr",
			items: []inWant{
				{
					GUID:       "https://disclose.ngo/?p=8812",
					Link:       "https://disclose.ngo/fr/article/police-nationale-le-logiciel-que-le-ministere-voulait-cacher",
					Title:      "Police nationale : le logiciel que le ministère voulait cacher",
					Author:     "Disclose",
					SummaryHas: "logiciel d&#8217;analyse vidéo",
					ContentHas: "le module de <strong>reconnaissance faciale</strong> du logiciel",
					Categories: []string{"Surveillance", "Police"},
					Published:  inDate("2026-10-05T06:00:00Z"),
				},
				{
					GUID:       "https://disclose.ngo/?p=8790",
					Link:       "https://disclose.ngo/fr/article/ventes-d-armes",
					Title:      "Ventes d’armes : les exportations en hausse",
					Author:     "Geoffrey Livolsi",
					SummaryHas: "confidentiel&#8230;",
					ContentHas: "révèle…",
					Categories: []string{"Armement"},
					Published:  inDate("2026-10-01T05:30:00Z"),
				},
			},
		},
		{
			file: "in-senat-latin9.rss", contentType: "application/rss+xml; charset=iso-8859-15",
			url:   "https://www.senat.fr/rss/textes.rss",
			title: "Sénat - Textes", link: "http://www.senat.fr",
			items: inSenatItems,
		},
		{
			file: "in-senat-latin9.rss", contentType: "text/xml",
			url:   "https://www.senat.fr/rss/textes.rss",
			title: "Sénat - Textes", link: "http://www.senat.fr",
			items: inSenatItems,
		},
		{
			file: "in-senat-utf8.rss", contentType: "application/rss+xml; charset=iso-8859-15",
			url:   "https://www.senat.fr/rss/textes.rss",
			title: "Sénat - Textes", link: "http://www.senat.fr",
			items: inSenatItems,
		},
		{
			file: "in-senat-atom03-latin9.xml", contentType: "application/xml",
			url:   "https://www.senat.fr/rss/rapports.xml",
			title: "Sénat - Rapports", link: "http://www.senat.fr",
			items: []inWant{{
				GUID:       "http://www.senat.fr/rap/r25-099/r25-099.html",
				Link:       "http://www.senat.fr/rap/r25-099/r25-099.html",
				Title:      "Rapport d'information sur la reconnaissance faciale",
				SummaryHas: "l'œuvre des caméras : 5 M€.",
				Published:  inDate("2026-10-07T10:00:00Z"),
				Updated:    inDate("2026-10-07T10:00:00Z"),
			}},
		},
		{
			file: "in-windows1252.rss", url: "https://technopolice.example/feed",
			title: "Le Blog “Technopolice”", link: "https://technopolice.example/",
			items: []inWant{{
				GUID:       "https://technopolice.example/2026/10/oeil",
				Link:       "https://technopolice.example/2026/10/oeil",
				Title:      "L’œil de la ville : “caméras augmentées” à Marseille…",
				SummaryHas: "Le maire l’a dit : « c’est légal ». Coût : 2 M€.",
				Published:  inDate("2026-10-02T12:05:00Z"),
			}},
		},
		{
			file: "in-windows1252.rss", contentType: "text/xml; charset=windows-1252",
			url:   "https://technopolice.example/feed",
			title: "Le Blog “Technopolice”", link: "https://technopolice.example/",
			items: []inWant{{
				GUID:       "https://technopolice.example/2026/10/oeil",
				Link:       "https://technopolice.example/2026/10/oeil",
				Title:      "L’œil de la ville : “caméras augmentées” à Marseille…",
				SummaryHas: "« c’est légal »",
				Published:  inDate("2026-10-02T12:05:00Z"),
			}},
		},
		{
			file: "in-bom-utf8.rss", contentType: "text/xml; charset=iso-8859-1",
			url:   "https://bom.example/feed",
			title: "Flux avec BOM", link: "https://bom.example/",
			items: []inWant{{
				GUID: "https://bom.example/a", Link: "https://bom.example/a",
				Title:     "Identification biométrique : l’État recule",
				Published: inDate("2026-10-03T06:00:00Z"),
			}},
		},
		{
			file: "in-utf16le.rss", url: "https://u16.example/feed",
			title: "Flux UTF-16", link: "https://u16.example/",
			items: inUTF16Items,
		},
		{
			file: "in-utf16be.rss", contentType: "text/xml; charset=utf-16",
			url:   "https://u16.example/feed",
			title: "Flux UTF-16", link: "https://u16.example/",
			items: inUTF16Items,
		},
		{
			file: "in-xmlbase.atom", contentType: "application/atom+xml",
			url:   "https://feeds.example/quadrature.atom",
			title: "La Quadrature — Technopolice", link: "https://quadrature.example/technopolice/",
			items: []inWant{
				{
					GUID:       "tag:quadrature.example,2026:vsa-jo",
					Link:       "https://quadrature.example/articles/vsa-jo",
					Title:      "La VSA & les JO : bilan",
					Author:     "Noémie, Bastien",
					SummaryHas: "<p>Un <em>bilan</em> critique.</p>",
					ContentHas: `<a href="https://quadrature.example/doc.pdf">complet</a>`,
					Categories: []string{"Vidéosurveillance algorithmique", "jo"},
					Published:  inDate("2026-10-06T08:00:00Z"),
					Updated:    inDate("2026-10-06T09:30:00Z"),
				},
				{
					GUID:      "tag:quadrature.example,2026:briefcam",
					Link:      "https://autre.example/blog/2026/briefcam",
					Title:     "BriefCam dans les commissariats",
					Published: inDate("2026-10-05T09:00:00Z"),
					Updated:   inDate("2026-10-05T09:00:00Z"),
				},
				{
					GUID:      "tag:quadrature.example,2026:futur",
					Link:      "https://quadrature.example/futur",
					Title:     "Un billet venu du futur",
					Published: inNow,
					Updated:   inNow,
				},
			},
		},
		{
			file: "in-relative.rss", url: "https://feeds.example/relative.rss",
			title: "Relative", link: "https://site.example/actu/",
			items: []inWant{
				{
					GUID: "https://site.example/a.html", Link: "https://site.example/a.html", Title: "A",
					Published: inDate("2026-10-01T08:05:00Z"),
				},
				{
					GUID: "https://site.example/actu/b.html", Link: "https://site.example/actu/b.html", Title: "B",
					Published: inDate("2026-10-01T10:30:00Z"),
				},
			},
		},
		{
			file: "in-feed.json", contentType: "application/feed+json",
			url:   "https://observatoire.example/feed.json",
			title: "Observatoire des libertés", link: "https://observatoire.example/",
			items: []inWant{
				{
					GUID:       "https://observatoire.example/2026/10/reconnaissance-faciale",
					Link:       "https://observatoire.example/2026/10/reconnaissance-faciale",
					Title:      "Reconnaissance faciale : un décret contesté",
					Author:     "Camille",
					SummaryHas: "Le décret autorise le rapprochement.",
					ContentHas: "<b>rapprochement</b>",
					Categories: []string{"biométrie", "TAJ"},
					Published:  inDate("2026-10-04T06:00:00Z"),
					Updated:    inDate("2026-10-04T07:00:00Z"),
				},
				{
					GUID:       "note-42",
					ContentHas: "Une note sans titre ni URL.",
					Published:  inDate("2026-10-03T08:00:00Z"),
				},
			},
		},
		{
			file: "in-rdf.rdf", url: "https://rdf.example/rss",
			title: "Flux RDF", link: "https://rdf.example/",
			items: []inWant{{
				GUID: "https://rdf.example/1", Link: "https://rdf.example/1",
				Title: "Caméras augmentées à Nice", Author: "Rédaction",
				Published: inDate("2026-10-02T05:00:00Z"),
				Updated:   inDate("2026-10-02T05:00:00Z"),
			}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file+" "+tt.contentType, func(t *testing.T) {
			f, err := feeds.Parse(inFixture(t, tt.file), tt.contentType, tt.url, inNow)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if f.Title != tt.title {
				t.Errorf("feed title: got %q, want %q", f.Title, tt.title)
			}
			if f.Link != tt.link {
				t.Errorf("feed link: got %q, want %q", f.Link, tt.link)
			}
			if len(f.Items) != len(tt.items) {
				t.Fatalf("got %d items, want %d: %+v", len(f.Items), len(tt.items), f.Items)
			}
			for i, want := range tt.items {
				inCheckItem(t, i, f.Items[i], want)
			}
		})
	}
}

var inSenatItems = []inWant{
	{
		GUID:       "http://www.senat.fr/dossier-legislatif/ppl25-123.html",
		Link:       "http://www.senat.fr/dossier-legislatif/ppl25-123.html",
		Title:      "Proposition de loi relative à la reconnaissance biométrique dans l'espace public",
		SummaryHas: "le cœur du dispositif coûte 3 € par habitant ; œuvre collective.",
		Published:  inDate("2026-10-07T10:00:00Z"),
	},
	{
		GUID:       "http://www.senat.fr/rap/r25-045/r25-045.html",
		Link:       "http://www.senat.fr/rap/r25-045/r25-045.html",
		Title:      "Rapport sur la vidéoprotection : bilan de l'expérimentation",
		SummaryHas: "l'Œuvre des caméras augmentées.",
		Published:  inDate("2026-10-05T16:30:00Z"),
	},
	{
		GUID:       "http://www.senat.fr/questions/base/2026/qSEQ26100001.html",
		Link:       "http://www.senat.fr/questions/base/2026/qSEQ26100001.html",
		Title:      "Question d'actualité : sécurité des Jeux",
		SummaryHas: "Sans date.",
	},
}

var inUTF16Items = []inWant{{
	GUID: "https://u16.example/a", Link: "https://u16.example/a",
	Title:     "Caméras « intelligentes » : l’œil du Sénat",
	Published: inDate("2026-10-03T06:00:00Z"),
}}

func inCheckItem(t *testing.T, i int, got watch.Item, want inWant) {
	t.Helper()
	check := func(field, got, want string) {
		t.Helper()
		if got != want {
			t.Errorf("item %d %s: got %q, want %q", i, field, got, want)
		}
	}
	check("GUID", got.GUID, want.GUID)
	check("Link", got.Link, want.Link)
	check("Title", got.Title, want.Title)
	check("Author", got.Author, want.Author)
	if !strings.Contains(got.Summary, want.SummaryHas) {
		t.Errorf("item %d Summary: got %q, want it to contain %q", i, got.Summary, want.SummaryHas)
	}
	if !strings.Contains(got.Content, want.ContentHas) {
		t.Errorf("item %d Content: got %q, want it to contain %q", i, got.Content, want.ContentHas)
	}
	if !slices.Equal(got.Categories, want.Categories) {
		t.Errorf("item %d Categories: got %q, want %q", i, got.Categories, want.Categories)
	}
	if !got.Published.Equal(want.Published) {
		t.Errorf("item %d Published: got %v, want %v", i, got.Published, want.Published)
	}
	if !got.Updated.Equal(want.Updated) {
		t.Errorf("item %d Updated: got %v, want %v", i, got.Updated, want.Updated)
	}
	for _, s := range []string{got.Title, got.Summary, got.Content} {
		for _, bad := range []string{"Ã", "Â", "\uFFFD", "â€"} {
			if strings.Contains(s, bad) {
				t.Errorf("item %d: mojibake %q in %q", i, bad, s)
			}
		}
	}
}
