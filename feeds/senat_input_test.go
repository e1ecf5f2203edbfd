package feeds_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/vigie-watch/vigie/feeds"
	"github.com/vigie-watch/vigie/internal/watch"
)

func TestParseSenateQuestionsFixtureIsLatin1(t *testing.T) {
	raw, err := os.ReadFile(sqLatin1)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(raw, []byte("J\xe9r\xf4me")) || bytes.Contains(raw, []byte("J\xc3\xa9r\xc3\xb4me")) {
		t.Fatal("fixture is not Latin-1: want the bytes J\\xe9r\\xf4me")
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
