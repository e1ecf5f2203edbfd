package feeds_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/vigie-watch/vigie/feeds"
	"github.com/vigie-watch/vigie/internal/watch"
)

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
