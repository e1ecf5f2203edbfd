package pagetext_test

import (
	"github.com/vigie-watch/vigie/internal/feedgen"
	"strings"
	"testing"

	"github.com/vigie-watch/vigie/internal/pagetext"
)

func TestPassages(t *testing.T) {
	long := "Le texte commence ici. " + strings.Repeat("mot ", 60) + "puis la Reconnaissance-Faciale arrive " + strings.Repeat("encore ", 60) + "fin."
	cases := []struct {
		name     string
		text     string
		keywords []string
		want     []string
	}{
		{"the sentence around the keyword",
			"Premier paragraphe sans rien.\n\nLes documents le montrent. Une option de reconnaissance faciale pouvait être activée. La Cnil enquête.",
			[]string{"reconnaissance faciale"},
			[]string{"Une option de «reconnaissance faciale» pouvait être activée."}},
		{"accents, case and typography ignored; the page's spelling kept",
			"L’Intérieur teste la VIDÉOSURVEILLANCE algorithmique depuis 2024 !",
			[]string{"videosurveillance algorithmique"},
			[]string{"L’Intérieur teste la «VIDÉOSURVEILLANCE algorithmique» depuis 2024 !"}},
		{"a trailing star matches any ending",
			"Il y a des caméras partout. Des drones aussi.",
			[]string{"caméra*", "drone*"},
			[]string{"Il y a des «caméras» partout.", "Des «drones» aussi."}},
		{"a star inside a phrase, as the matcher reads it",
			"Des caméras intelligentes surveillent la gare.",
			[]string{"camé* intelligentes"},
			[]string{"Des «caméras intelligentes» surveillent la gare."}},
		{"whole words only", "Avsa et VSAT ne sont pas des sigles recherchés.", []string{"VSA"}, nil},
		{"a paragraph break ends a passage",
			"Titre sans point\nBriefCam est installé dans la commune\nautre ligne",
			[]string{"BriefCam"},
			[]string{"«BriefCam» est installé dans la commune"}},
		{"a long sentence is cut to about 40 words",
			long, []string{"reconnaissance faciale"},
			[]string{"…" + strings.Repeat("mot ", 18) + "puis la «Reconnaissance-Faciale» arrive" + strings.Repeat(" encore", 19) + "…"}},
		{"one passage for two keywords in one sentence",
			"La reconnaissance faciale de BriefCam est en cause.",
			[]string{"reconnaissance faciale", "BriefCam"},
			[]string{"La «reconnaissance faciale» de BriefCam est en cause."}},
		{"œ folded as oe", "Une œuvre d'art.", []string{"oeuvre"}, []string{"Une «œuvre» d'art."}},
		{"a soft hyphen joins, as in the matcher", "La vidéo\u00adsurveillance arrive.", []string{"vidéosurveillance"},
			[]string{"La «vidéo\u00adsurveillance» arrive."}},
		{"a modifier apostrophe separates, as in the matcher", "Le plan lʼIA avance.", []string{"l'IA"},
			[]string{"Le plan «lʼIA» avance."}},
		{"a combining accent joins", "La vide\u0301osurveillance.", []string{"vidéosurveillance"},
			[]string{"La «vide\u0301osurveillance»."}},
		{"a lone mark is no word", "reconnaissance \u0301 faciale.", []string{"reconnaissance faciale"},
			[]string{"«reconnaissance \u0301 faciale»."}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got []string
			for _, p := range pagetext.Passages(c.text, c.keywords) {
				got = append(got, p.String())
			}
			if strings.Join(got, "|") != strings.Join(c.want, "|") {
				t.Errorf("got  %q\nwant %q", got, c.want)
			}
		})
	}
}

func TestPassagesOfAnExtractedPage(t *testing.T) {
	text := extract(t, feedgen.ArticlePage(longArticle, "reconnaissance faciale"), nil)
	got := pagetext.Passages(text, []string{"reconnaissance faciale", "drone*"})
	if len(got) != 1 {
		t.Fatalf("got %d passages (%v), want 1", len(got), got)
	}
	want := "Une option de «reconnaissance faciale», désactivée par défaut, pouvait être activée par les administrateurs locaux, ce qu'interdit la loi en dehors de cas très encadrés."
	if got[0].String() != want {
		t.Errorf("got  %q\nwant %q", got[0].String(), want)
	}
}
