package feeds_test

import (
	"bytes"
	"io"
	"os"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/vigie-watch/vigie/feeds"
	"github.com/vigie-watch/vigie/internal/watch"
)

const (
	sqLatin1   = "testdata/senat-questions-latin1.csv"
	sqAnswered = "testdata/senat-questions-latin1-answered.csv"
	sqUTF8     = "testdata/senat-questions-utf8.csv"
)

func sqParis(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func sqDay(t testing.TB, y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, sqParis(t))
}

// sqParse parses r and fails the test on a fatal error.
func sqParse(t *testing.T, r io.Reader) ([]watch.Item, []feeds.RowError) {
	t.Helper()
	var items []watch.Item
	rowErrs, err := feeds.ParseSenateQuestions(r, func(it watch.Item) error {
		items = append(items, it)
		return nil
	})
	if err != nil {
		t.Fatalf("ParseSenateQuestions: %v", err)
	}
	return items, rowErrs
}

func sqParseFile(t *testing.T, name string) ([]watch.Item, []feeds.RowError) {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return sqParse(t, f)
}

func sqByGUID(items []watch.Item) map[string]watch.Item {
	m := make(map[string]watch.Item, len(items))
	for _, it := range items {
		m[it.GUID] = it
	}
	return m
}

func TestParseSenateQuestions09077(t *testing.T) {
	items, _ := sqParseFile(t, sqLatin1)
	got, ok := sqByGUID(items)["SEQ231109077"]
	if !ok {
		t.Fatal("question SEQ231109077 not found")
	}
	want := watch.Item{
		GUID:  "SEQ231109077",
		Link:  "https://www.senat.fr/questions/base/2023/qSEQ231109077.html",
		Title: "QE n° 09077 : Utilisation par la police nationale du logiciel de reconnaissance faciale BriefCam",
		Summary: "<p>Question écrite n° 09077 de M. Jérôme Durain (Saône-et-Loire, SER), publiée au JO le 23/11/2023.</p>" +
			"<p>Ministère de dépôt : Intérieur et outre-mer</p>" +
			"<p>En attente de réponse</p>" +
			"<p>Thèmes : Police et sécurité</p>",
		Author:     "M. Jérôme Durain (Saône-et-Loire, SER)",
		Categories: []string{"Police et sécurité"},
		Published:  sqDay(t, 2023, time.November, 23),
		Updated:    sqDay(t, 2023, time.November, 23),
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %#v\nwant %#v", got, want)
	}
	if !got.Published.Equal(time.Date(2023, 11, 22, 23, 0, 0, 0, time.UTC)) {
		t.Errorf("got Published %v, want midnight in Paris (23:00 UTC the day before)", got.Published)
	}
}

func TestParseSenateQuestionsFixture(t *testing.T) {
	items, _ := sqParseFile(t, sqLatin1)
	wantOrder := []string{"SEQ231109077", "SEQ231008512", "SEQ231209203", "SEQ231209310", "SEQ24011024S",
		"SEQ230907788", "SEQ240109455", "SEQ230906543", "SEQ24020123G", "SEQ240209600"}
	var gotOrder []string
	for _, it := range items {
		gotOrder = append(gotOrder, it.GUID)
	}
	if !reflect.DeepEqual(gotOrder, wantOrder) {
		t.Fatalf("got GUIDs %q, want %q", gotOrder, wantOrder)
	}
	m := sqByGUID(items)

	tests := []struct {
		guid, title, author, link string
		categories                []string
		published, updated        time.Time
		summaryHas                []string
	}{
		{
			guid:       "SEQ231008512",
			title:      "QE n° 08512 : Bilan de la vidéosurveillance algorithmique pendant les jeux Olympiques et Paralympiques",
			author:     "Mme Mélanie Vogel (Français établis hors de France, GEST)",
			link:       "https://www.senat.fr/questions/base/2023/qSEQ231008512.html",
			categories: []string{"Police et sécurité", "Sports"},
			published:  sqDay(t, 2023, time.October, 12),
			updated:    sqDay(t, 2024, time.February, 1),
			summaryHas: []string{"<p>Réponse publiée au JO le 01/02/2024</p>", "<p>Ministère de réponse : Intérieur et outre-mer</p>"},
		},
		{
			guid:       "SEQ231209203",
			title:      "QE n° 09203 : Mise en œuvre de l’expérimentation des caméras augmentées dans les transports",
			author:     "M. Thomas Dossus (Rhône, GEST)",
			link:       "https://www.senat.fr/questions/base/2023/qSEQ231209203.html",
			categories: []string{"Police et sécurité", "Transports"},
			published:  sqDay(t, 2023, time.December, 7),
			updated:    sqDay(t, 2023, time.December, 7),
			summaryHas: []string{"<p>Ministère de dépôt : Transports</p>", "<p>Transmise au ministère : Intérieur et outre-mer, le 18/01/2024</p>", "<p>En attente de réponse</p>"},
		},
		{
			guid:       "SEQ231209310",
			title:      `QE n° 09310 : Avenir des espaces « France services » ; l'"accompagnement numérique" des usagers`,
			author:     "Mme Nathalie Delattre (Hauts-de-Seine, Les Républicains)",
			link:       "https://www.senat.fr/questions/base/2023/qSEQ231209310.html",
			categories: []string{"Collectivités territoriales", "Société"},
			published:  sqDay(t, 2023, time.December, 14),
			updated:    sqDay(t, 2023, time.December, 14),
			summaryHas: []string{"<p>Ministère de dépôt : Cohésion des territoires</p>"},
		},
		{
			guid:       "SEQ24011024S",
			title:      "QOSD n° 1024S : Fermeture de classes en milieu rural",
			author:     "M. Franck Montaugé (Gers, SER)",
			link:       "https://www.senat.fr/questions/base/2024/qSEQ24011024S.html",
			categories: []string{"Éducation"},
			published:  sqDay(t, 2024, time.January, 25),
			updated:    sqDay(t, 2024, time.January, 25),
			summaryHas: []string{"<p>Question orale sans débat n° 1024S de M. Franck Montaugé"},
		},
		{
			guid:       "SEQ230907788",
			title:      "QE n° 07788 : Soutien aux commerces de proximité en zone rurale",
			author:     "M. Daniel Gremillet (Vosges, Les Républicains)",
			link:       "https://www.senat.fr/questions/base/2023/qSEQ230907788.html",
			categories: []string{"PME, commerce et artisanat", "Aménagement du territoire"},
			published:  sqDay(t, 2023, time.September, 7),
			updated:    sqDay(t, 2023, time.November, 30),
			summaryHas: []string{"<p>Ministère de réponse : Économie, finances, souveraineté industrielle et numérique</p>"},
		},
		{
			guid:       "SEQ240109455",
			title:      "QE n° 09455 : Conservation des images de vidéoprotection filmées sur la voie publique",
			author:     "M. Guy Benarroche (Bouches-du-Rhône, GEST)",
			link:       "https://www.senat.fr/questions/base/2024/qSEQ240109455.html",
			categories: []string{"Justice", "Police et sécurité"},
			published:  sqDay(t, 2024, time.January, 11),
			updated:    sqDay(t, 2024, time.January, 11),
			summaryHas: []string{"<p>Question rappelée : SEQ230906543</p>"},
		},
		{
			guid:       "SEQ230906543",
			title:      "QE n° 06543 : Encadrement de la reconnaissance biométrique dans les stades",
			author:     "M. Guy Benarroche (Bouches-du-Rhône, GEST)",
			link:       "https://www.senat.fr/questions/base/2023/qSEQ230906543.html",
			categories: []string{"Sports"},
			published:  sqDay(t, 2023, time.September, 7),
			updated:    sqDay(t, 2023, time.September, 7),
			summaryHas: []string{"<p>Caduque</p>"},
		},
		{
			guid:       "SEQ24020123G",
			title:      "QG n° 0123G : Sécurité des agents pénitentiaires",
			author:     "M. Philippe Bonnecarrère (Tarn, UC)",
			link:       "",
			categories: []string{"Justice"},
			published:  sqDay(t, 2024, time.February, 8),
			updated:    sqDay(t, 2024, time.February, 9),
			summaryHas: []string{"<p>Question d&#39;actualité au Gouvernement n° 0123G"},
		},
		{
			guid:       "SEQ240209600",
			title:      "QE n° 09600 : Protection des données de santé hébergées par des prestataires étrangers",
			author:     "M. Pierre Ouzoulias (Hauts-de-Seine, CRCE-K)",
			link:       "https://www.senat.fr/questions/base/2024/qSEQ240209600.html",
			categories: []string{"Questions sociales et santé", "Recherche, sciences et techniques"},
			published:  sqDay(t, 2024, time.February, 15),
			updated:    sqDay(t, 2024, time.February, 15),
		},
	}
	for _, tt := range tests {
		t.Run(tt.guid, func(t *testing.T) {
			got, ok := m[tt.guid]
			if !ok {
				t.Fatalf("question %s not found", tt.guid)
			}
			if got.Title != tt.title {
				t.Errorf("got Title %q, want %q", got.Title, tt.title)
			}
			if got.Author != tt.author {
				t.Errorf("got Author %q, want %q", got.Author, tt.author)
			}
			if got.Link != tt.link {
				t.Errorf("got Link %q, want %q", got.Link, tt.link)
			}
			if !reflect.DeepEqual(got.Categories, tt.categories) {
				t.Errorf("got Categories %q, want %q", got.Categories, tt.categories)
			}
			if !got.Published.Equal(tt.published) {
				t.Errorf("got Published %v, want %v", got.Published, tt.published)
			}
			if !got.Updated.Equal(tt.updated) {
				t.Errorf("got Updated %v, want %v", got.Updated, tt.updated)
			}
			for _, s := range tt.summaryHas {
				if !strings.Contains(got.Summary, s) {
					t.Errorf("got Summary %q, want it to contain %q", got.Summary, s)
				}
			}
		})
	}
}

func TestParseSenateQuestionsAnswerArrives(t *testing.T) {
	before, _ := sqParseFile(t, sqLatin1)
	after, _ := sqParseFile(t, sqAnswered)
	if len(before) != len(after) {
		t.Fatalf("got %d then %d items, want the same count", len(before), len(after))
	}
	for i := range before {
		b, a := before[i], after[i]
		if b.GUID != "SEQ231109077" {
			if !reflect.DeepEqual(a, b) {
				t.Errorf("question %s changed though its row did not:\ngot  %#v\nwant %#v", b.GUID, a, b)
			}
			continue
		}
		if a.GUID != b.GUID || a.Title != b.Title || a.Link != b.Link || !a.Published.Equal(b.Published) {
			t.Errorf("got GUID/Title/Link/Published %q %q %q %v, want %q %q %q %v",
				a.GUID, a.Title, a.Link, a.Published, b.GUID, b.Title, b.Link, b.Published)
		}
		if a.Summary == b.Summary {
			t.Errorf("got the same Summary after the answer, want a change: %q", a.Summary)
		}
		if want := sqDay(t, 2024, time.March, 14); !a.Updated.Equal(want) {
			t.Errorf("got Updated %v, want %v", a.Updated, want)
		}
		for _, s := range []string{"<p>Réponse publiée au JO le 14/03/2024</p>", "<p>Ministère de réponse : Intérieur et outre-mer</p>"} {
			if !strings.Contains(a.Summary, s) {
				t.Errorf("got Summary %q, want it to contain %q", a.Summary, s)
			}
		}
		if strings.Contains(a.Summary, "En attente") {
			t.Errorf("got Summary %q, want no \"En attente\" once answered", a.Summary)
		}
	}
}

func TestParseSenateQuestionsDeterministic(t *testing.T) {
	raw, err := os.ReadFile(sqLatin1)
	if err != nil {
		t.Fatal(err)
	}
	first, firstErrs := sqParse(t, bytes.NewReader(raw))
	readers := map[string]io.Reader{
		"again":    bytes.NewReader(raw),
		"one byte": iotest.OneByteReader(bytes.NewReader(raw)),
		"half":     iotest.HalfReader(bytes.NewReader(raw)),
	}
	for name, r := range readers {
		t.Run(name, func(t *testing.T) {
			got, gotErrs := sqParse(t, r)
			if !reflect.DeepEqual(got, first) {
				t.Errorf("got items %#v\nwant %#v", got, first)
			}
			if !reflect.DeepEqual(gotErrs, firstErrs) {
				t.Errorf("got row errors %v, want %v", gotErrs, firstErrs)
			}
		})
	}
}
