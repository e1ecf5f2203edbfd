package feeds_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

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

func TestParseSenateQuestionsFixtureIsLatin1(t *testing.T) {
	raw, err := os.ReadFile(sqLatin1)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(raw, []byte("J\xe9r\xf4me")) || bytes.Contains(raw, []byte("J\xc3\xa9r\xc3\xb4me")) {
		t.Fatal("fixture is not Latin-1: want the bytes J\\xe9r\\xf4me")
	}
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

func TestParseSenateQuestionsRowErrors(t *testing.T) {
	items, rowErrs := sqParseFile(t, sqLatin1)
	want := []string{
		"line 12: 5 fields, want at least 21",
		`line 16: date de publication JO: invalid date "31/02/2024"`,
	}
	var got []string
	for _, e := range rowErrs {
		got = append(got, e.Error())
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got row errors %q, want %q", got, want)
	}
	if len(items) != 10 {
		t.Errorf("got %d items, want 10 (12 rows, 2 malformed)", len(items))
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

// The UTF-8 export ('|', reordered columns, capital headers without
// accents, ISO dates, BOM) must give the very items the Latin-1 one gives.
func TestParseSenateQuestionsUTF8(t *testing.T) {
	latin, _ := sqParseFile(t, sqLatin1)
	utf, rowErrs := sqParseFile(t, sqUTF8)
	if len(rowErrs) != 0 {
		t.Errorf("got row errors %v, want none", rowErrs)
	}
	if len(utf) != 7 {
		t.Fatalf("got %d items, want 7", len(utf))
	}
	want := sqByGUID(latin)
	for _, got := range utf[:6] {
		if !reflect.DeepEqual(got, want[got.GUID]) {
			t.Errorf("question %s:\ngot  %#v\nwant %#v", got.GUID, got, want[got.GUID])
		}
	}
	last := utf[6]
	if want := `QE n° 09700 : Caméras « intelligentes » | usage municipal; cadre légal`; last.Title != want {
		t.Errorf("got Title %q, want %q", last.Title, want)
	}
	if want := "Mme Anaïs Çelik (Île-de-France, ÉCOLO)"; last.Author != want {
		t.Errorf("got Author %q, want %q", last.Author, want)
	}
	if want := []string{"Police et sécurité", "Collectivités territoriales"}; !reflect.DeepEqual(last.Categories, want) {
		t.Errorf("got Categories %q, want %q", last.Categories, want)
	}
}

// One line in windows-1252, the next in UTF-8: each is decoded on its own.
func TestParseSenateQuestionsMixedEncodings(t *testing.T) {
	in := "R\xe9f\xe9rence;Titre;Nom;Pr\xe9nom\r\n" +
		"A1;Vid\xe9osurveillance \x93algorithmique\x94;Durain;J\xe9r\xf4me\r\n" +
		"A2;Vidéosurveillance « algorithmique »;Çelik;Anaïs\n"
	items, rowErrs := sqParse(t, strings.NewReader(in))
	if len(rowErrs) != 0 {
		t.Fatalf("got row errors %v, want none", rowErrs)
	}
	want := []string{
		"Question : Vidéosurveillance “algorithmique”|Jérôme Durain",
		"Question : Vidéosurveillance « algorithmique »|Anaïs Çelik",
	}
	var got []string
	for _, it := range items {
		got = append(got, it.Title+"|"+it.Author)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestParseSenateQuestionsNoHeader(t *testing.T) {
	tests := map[string]string{
		"empty":          "",
		"only comments":  "% export\n%\n\n",
		"data first":     "En attente de réponse;QE;09077;SEQ231109077;Titre\n",
		"html error":     "<!DOCTYPE html>\n<html><body>Service indisponible</body></html>\n",
		"no id column":   "Sort;Nature;Titre\nEn attente;QE;Titre\n",
		"no title field": "Référence;URL Question\nA1;https://www.senat.fr/q.html\n",
	}
	for name, in := range tests {
		t.Run(name, func(t *testing.T) {
			called := false
			_, err := feeds.ParseSenateQuestions(strings.NewReader(in), func(watch.Item) error {
				called = true
				return nil
			})
			if !errors.Is(err, feeds.ErrSenateNoHeader) {
				t.Errorf("got error %v, want ErrSenateNoHeader", err)
			}
			if called {
				t.Error("got fn called, want no item")
			}
		})
	}
}

func TestParseSenateQuestionsCallbackError(t *testing.T) {
	stop := errors.New("stop")
	calls := 0
	f, err := os.Open(sqLatin1)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	_, err = feeds.ParseSenateQuestions(f, func(watch.Item) error {
		calls++
		if calls == 2 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) {
		t.Errorf("got error %v, want one wrapping %v", err, stop)
	}
	if calls != 2 {
		t.Errorf("got %d calls, want 2", calls)
	}
}

func TestParseSenateQuestionsReadError(t *testing.T) {
	broken := errors.New("connection reset")
	r := io.MultiReader(
		strings.NewReader("Référence;Titre\nA1;Un titre\nA2;Un autre"),
		iotest.ErrReader(broken),
	)
	_, err := feeds.ParseSenateQuestions(r, func(watch.Item) error { return nil })
	if !errors.Is(err, broken) {
		t.Errorf("got error %v, want one wrapping %v", err, broken)
	}
}

// sqParseOne parses a header and one row, and returns its item or row error.
func sqParseOne(t *testing.T, header, row string) (watch.Item, []feeds.RowError) {
	t.Helper()
	items, rowErrs := sqParse(t, strings.NewReader(header+"\n"+row+"\n"))
	if len(items) > 1 {
		t.Fatalf("got %d items, want at most 1", len(items))
	}
	if len(items) == 0 {
		return watch.Item{}, rowErrs
	}
	return items[0], rowErrs
}

func TestParseSenateQuestionsDates(t *testing.T) {
	const header = "Référence;Titre;Date de publication JO;Date de réponse JO"
	tests := []struct {
		published, answered string
		wantPub, wantUpd    time.Time
		wantErr             string
	}{
		{published: "23/11/2023", wantPub: sqDay(t, 2023, 11, 23), wantUpd: sqDay(t, 2023, 11, 23)},
		{published: "2023-11-23", wantPub: sqDay(t, 2023, 11, 23), wantUpd: sqDay(t, 2023, 11, 23)},
		{published: "23/11/2023 00:00:00", wantPub: sqDay(t, 2023, 11, 23), wantUpd: sqDay(t, 2023, 11, 23)},
		{published: "1/2/2024", answered: "14/07/2024", wantPub: sqDay(t, 2024, 2, 1), wantUpd: sqDay(t, 2024, 7, 14)},
		{published: "", answered: "", wantPub: time.Time{}, wantUpd: time.Time{}},
		{published: "31/02/2024", wantErr: `line 2: date de publication JO: invalid date "31/02/2024"`},
		{published: "23/11/23", wantErr: `line 2: date de publication JO: invalid date "23/11/23"`},
		{published: "23/11/2023", answered: "bientôt", wantErr: `line 2: date de réponse JO: invalid date "bientôt"`},
	}
	for _, tt := range tests {
		t.Run(tt.published+"_"+tt.answered, func(t *testing.T) {
			it, rowErrs := sqParseOne(t, header, "A1;Titre;"+tt.published+";"+tt.answered)
			if tt.wantErr != "" {
				if len(rowErrs) != 1 || rowErrs[0].Error() != tt.wantErr {
					t.Errorf("got row errors %v, want [%s]", rowErrs, tt.wantErr)
				}
				return
			}
			if len(rowErrs) != 0 {
				t.Fatalf("got row errors %v, want none", rowErrs)
			}
			if !it.Published.Equal(tt.wantPub) || !it.Updated.Equal(tt.wantUpd) {
				t.Errorf("got Published %v Updated %v, want %v %v", it.Published, it.Updated, tt.wantPub, tt.wantUpd)
			}
		})
	}
	summer, _ := sqParseOne(t, header, "A1;Titre;14/07/2024;")
	if want := time.Date(2024, 7, 13, 22, 0, 0, 0, time.UTC); !summer.Published.Equal(want) {
		t.Errorf("got %v, want %v (midnight in Paris in summer)", summer.Published, want)
	}
}

func TestParseSenateQuestionsFields(t *testing.T) {
	const header = "Référence;Nature;Numéro;Titre;Civilité;Prénom;Nom;Circonscription;Groupe;Thème(s);Thème QC;URL Question"
	tests := []struct {
		name, row                 string
		guid, link, title, author string
		categories                []string
	}{
		{
			name: "all parts", row: "R1;QE;00001;Un titre;Mme;Anne;Martin;Paris;RDPI;A / B;;https://www.senat.fr/q1.html",
			guid: "R1", link: "https://www.senat.fr/q1.html", title: "QE n° 00001 : Un titre",
			author: "Mme Anne Martin (Paris, RDPI)", categories: []string{"A", "B"},
		},
		{
			name: "no reference: url is the guid", row: ";QE;00002;Titre;;;Martin;;;;;https://www.senat.fr/q2.html",
			guid: "https://www.senat.fr/q2.html", link: "https://www.senat.fr/q2.html",
			title: "QE n° 00002 : Titre", author: "Martin",
		},
		{
			name: "relative url", row: "R3;QE;3;T;;;;;;;;/questions/base/2024/q3.html",
			guid: "R3", link: "https://www.senat.fr/questions/base/2024/q3.html", title: "QE n° 3 : T",
		},
		{
			name: "no nature no number", row: "R4;;;Titre seul;M.;;;Gers;;;;",
			guid: "R4", title: "Question : Titre seul",
		},
		{
			name: "group only", row: "R5;QE;5;T;;;Dupont;;SER;;;",
			guid: "R5", title: "QE n° 5 : T", author: "Dupont (SER)",
		},
		{
			name: "theme separators and dedupe", row: `R6;QE;6;T;;;;;;"Police et sécurité ; Justice - police et securite | Société";Justice, droits;`,
			guid: "R6", title: "QE n° 6 : T", categories: []string{"Police et sécurité", "Justice", "Société", "Justice, droits"},
		},
		{
			name: "hyphenated theme kept whole", row: "R7;QE;7;T;;;;;;Outre-mer;;",
			guid: "R7", title: "QE n° 7 : T", categories: []string{"Outre-mer"},
		},
		{
			name: "white space collapsed", row: "R8;  QE ;\t0008 ;\"Titre\r\n  sur  deux lignes \";;;;;;;;",
			guid: "R8", title: "QE n° 0008 : Titre sur deux lignes",
		},
		{
			name: "trailing empty fields tolerated", row: "R9;QE;9;T;;;;;;;;;;;",
			guid: "R9", title: "QE n° 9 : T",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			it, rowErrs := sqParseOne(t, header, tt.row)
			if len(rowErrs) != 0 {
				t.Fatalf("got row errors %v, want none", rowErrs)
			}
			got := []string{it.GUID, it.Link, it.Title, it.Author}
			want := []string{tt.guid, tt.link, tt.title, tt.author}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got GUID, Link, Title, Author %q, want %q", got, want)
			}
			if !reflect.DeepEqual(it.Categories, tt.categories) {
				t.Errorf("got Categories %q, want %q", it.Categories, tt.categories)
			}
		})
	}
}

func TestParseSenateQuestionsBadRows(t *testing.T) {
	const header = "Référence;Titre;Ministère de dépôt;URL Question"
	tests := []struct{ name, row, want string }{
		{"too few fields", "R1;Titre", "line 2: 2 fields, want at least 4"},
		{"extra non-empty fields", "R1;Titre;Justice;https://www.senat.fr/q.html;de trop", "line 2: 5 fields, header has 4"},
		{"no identifier", ";Titre;Justice;", "line 2: no reference and no url"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, rowErrs := sqParseOne(t, header, tt.row)
			if len(rowErrs) != 1 || rowErrs[0].Error() != tt.want {
				t.Errorf("got row errors %v, want [%s]", rowErrs, tt.want)
			}
		})
	}
	if _, rowErrs := sqParseOne(t, header, ";;;"); len(rowErrs) != 0 {
		t.Errorf("got row errors %v for a row of bare separators, want it skipped silently", rowErrs)
	}
}

func TestParseSenateQuestionsEscapesSummary(t *testing.T) {
	it, _ := sqParseOne(t, "Référence;Titre;Nom;Ministère de dépôt;Sort",
		`R1;T;<b>Martin</b>;Justice & "libertés";<script>alert(1)</script>`)
	for _, s := range []string{
		"de &lt;b&gt;Martin&lt;/b&gt;",
		"<p>Ministère de dépôt : Justice &amp; &#34;libertés&#34;</p>",
		"<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>",
	} {
		if !strings.Contains(it.Summary, s) {
			t.Errorf("got Summary %q, want it to contain %q", it.Summary, s)
		}
	}
	if strings.Contains(it.Summary, "<script>") || strings.Contains(it.Summary, "<b>") {
		t.Errorf("got Summary %q, want no raw markup from the data", it.Summary)
	}
}

func TestRowErrorUnwrap(t *testing.T) {
	reason := errors.New("reason")
	e := feeds.RowError{Line: 12, Err: reason}
	if got, want := e.Error(), "line 12: reason"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if !errors.Is(e, reason) {
		t.Error("got errors.Is false, want RowError to unwrap to its reason")
	}
}

// sqGenerate builds a realistic Latin-1 export of n questions.
func sqGenerate(tb testing.TB, n int) []byte {
	tb.Helper()
	titles := []string{
		"Utilisation par la police nationale du logiciel de reconnaissance faciale BriefCam",
		"Déploiement de la vidéosurveillance algorithmique dans les gares",
		`Avenir des espaces « France services » ; l'"accompagnement numérique" des usagers`,
		"Fermeture de classes en milieu rural et maintien des écoles",
		"Conservation des images de vidéoprotection\nfilmées sur la voie publique",
		"Mise en œuvre de l’expérimentation des caméras augmentées",
	}
	people := []string{
		"Durain;Jérôme;M.;Saône-et-Loire;SER",
		"Vogel;Mélanie;Mme;Français établis hors de France;GEST",
		"Gremillet;Daniel;M.;Vosges;Les Républicains",
		"Montaugé;Franck;M.;Gers;SER",
	}
	themes := []string{"Police et sécurité", "Justice / Police et sécurité", "PME, commerce et artisanat", "Éducation - Collectivités territoriales"}
	var b strings.Builder
	b.WriteString("% Questions écrites et orales depuis un an\r\n% Source : data.senat.fr\r\n\r\n")
	b.WriteString("Sort;Nature;Numéro;Référence;Titre;Nom;Prénom;Civilité;Circonscription;Groupe;Type Appartenance;" +
		"Date de publication JO;Ministère de dépôt;Date de transmission;Ministère de transmission;Ministère de réponse;" +
		"Date de réponse JO;Référence de la question rappelée;Thème(s);Thème QC;URL Question\r\n")
	for i := range n {
		num := fmt.Sprintf("%05d", i)
		ref := "SEQ2311" + num
		title := titles[i%len(titles)]
		if strings.ContainsAny(title, "\";\n") {
			title = `"` + strings.ReplaceAll(title, `"`, `""`) + `"`
		}
		sort, answerMinistry, answered := "En attente de réponse", "", ""
		if i%3 == 0 {
			sort, answerMinistry, answered = "Répondu", "Intérieur et outre-mer", fmt.Sprintf("%02d/03/2024", 1+i%28)
		}
		fmt.Fprintf(&b, "%s;QE;%s;%s;%s;%s;Membre du groupe;%02d/11/2023;Intérieur et outre-mer;;;%s;%s;;%s;;https://www.senat.fr/questions/base/2023/q%s.html\r\n",
			sort, num, ref, title, people[i%len(people)], 1+i%28, answerMinistry, answered, themes[i%len(themes)], ref)
	}
	out, err := charmap.Windows1252.NewEncoder().String(b.String())
	if err != nil {
		tb.Fatal(err)
	}
	return []byte(out)
}

func TestParseSenateQuestionsGenerated(t *testing.T) {
	items, rowErrs := sqParse(t, bytes.NewReader(sqGenerate(t, 500)))
	if len(items) != 500 || len(rowErrs) != 0 {
		t.Fatalf("got %d items and row errors %v, want 500 and none", len(items), rowErrs)
	}
	if want := "QE n° 00004 : Conservation des images de vidéoprotection filmées sur la voie publique"; items[4].Title != want {
		t.Errorf("got Title %q, want %q", items[4].Title, want)
	}
}

func BenchmarkParseSenateQuestions(b *testing.B) {
	data := sqGenerate(b, 20000)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		rowErrs, err := feeds.ParseSenateQuestions(bytes.NewReader(data), func(watch.Item) error {
			n++
			return nil
		})
		if err != nil || len(rowErrs) != 0 || n != 20000 {
			b.Fatalf("got %d items, row errors %v, error %v; want 20000, none, nil", n, rowErrs, err)
		}
	}
}

func FuzzParseSenateQuestions(f *testing.F) {
	for _, name := range []string{sqLatin1, sqAnswered, sqUTF8} {
		raw, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(raw)
	}
	f.Add([]byte("Référence;Titre;Date de publication JO\nA;\"B;\nC\";31/12/2023\n"))
	f.Add([]byte("\xef\xbb\xbf% x\n\nR\xe9f\xe9rence|Titre\n\"A|B\"\"|C\n"))
	f.Add([]byte("Référence;Titre\n\"unterminated;x\nA;B\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rowErrs, err := feeds.ParseSenateQuestions(bytes.NewReader(data), func(it watch.Item) error {
			if it.GUID == "" {
				t.Errorf("got an item without GUID: %#v", it)
			}
			for _, s := range append([]string{it.GUID, it.Link, it.Title, it.Summary, it.Author}, it.Categories...) {
				if !utf8.ValidString(s) {
					t.Errorf("got invalid UTF-8 %q", s)
				}
			}
			return nil
		})
		if err != nil && len(rowErrs) != 0 && errors.Is(err, feeds.ErrSenateNoHeader) {
			t.Errorf("got row errors %v with a missing header", rowErrs)
		}
		for _, e := range rowErrs {
			if e.Line < 1 || e.Err == nil {
				t.Errorf("got row error %#v, want a line from 1 and a reason", e)
			}
		}
	})
}
