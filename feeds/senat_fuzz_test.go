package feeds_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"github.com/vigie-watch/vigie/feeds"
	"github.com/vigie-watch/vigie/internal/watch"
)

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
