package feeds_test

import (
	"strings"
	"testing"

	"github.com/mmcdole/gofeed"

	"github.com/vigie-watch/vigie/feeds"
	"github.com/vigie-watch/vigie/internal/watch"
)

// renderedContent renders e alone in Atom and returns its content as a
// feed reader reads it.
func renderedContent(t *testing.T, e watch.Entry) string {
	t.Helper()
	out, err := feeds.Render(feeds.FormatAtom, testMeta(feeds.FormatAtom), []watch.Entry{e})
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	f, err := gofeed.NewParser().ParseString(string(out))
	if err != nil || len(f.Items) != 1 {
		t.Fatalf("parse the rendered feed: %v (%d items)", err, len(f.Items))
	}
	return f.Items[0].Content
}

func TestRenderPageText(t *testing.T) {
	base := watch.Entry{
		ID:        "tag:vigie.example,2025:entry/p",
		Title:     "Question écrite n° 09077",
		Link:      "https://www.senat.fr/questions/base/2023/qSEQ231109077.html",
		Summary:   "<p>Le résumé</p>",
		Published: date("2025-03-14T08:30:00+01:00"),
		Updated:   date("2025-03-14T08:30:00+01:00"),
	}
	tests := []struct {
		name      string
		edit      func(*watch.Entry)
		want, not []string
	}{
		{
			name: "passages quoted, escaped, keyword marked, summary first",
			edit: func(e *watch.Entry) {
				e.Passages = []watch.Passage{{Keyword: "VSA", Before: "…la <b>", Match: "VSA", After: "</b> & la loi."}}
			},
			want: []string{"Le résumé", "Dans la page", "<blockquote><p>…la &lt;b&gt;<mark>VSA</mark>&lt;/b&gt; &amp; la loi.</p></blockquote>"},
		},
		{
			name: "a public record whole, in paragraphs, no passage heading",
			edit: func(e *watch.Entry) {
				e.Content = "<p>La question</p>"
				e.Record = "Question de M. Dupont\nsur la VSA\n\nRéponse du Ministère : 3 < 4"
				e.Passages = []watch.Passage{{Keyword: "VSA", Match: "VSA"}}
			},
			want: []string{"La question", "<p>Question de M. Dupont<br>sur la VSA</p><p>Réponse du Ministère : 3 &lt; 4</p>"},
			not:  []string{"Le résumé", "Dans la page", "<mark>"},
		},
		{
			name: "a re-asked question links the earlier one, no empty passage heading",
			edit: func(e *watch.Entry) {
				e.Recalls = &watch.Related{Title: "Question n° 01234 « VSA »", Link: "https://www.senat.fr/q1.html"}
				e.RecalledBy = []watch.Related{{Title: "Question n° 05678", Link: "https://www.senat.fr/q2.html"}}
			},
			want: []string{"Le résumé", "Rappel de la question", `href="https://www.senat.fr/q1.html"`, "Question rappelée par", `href="https://www.senat.fr/q2.html"`},
			not:  []string{"Dans la page"},
		},
		{
			name: "nothing read in the page: the content as it was",
			edit: func(e *watch.Entry) { e.Content = "<p>Le texte</p>" },
			want: []string{"Le texte"},
			not:  []string{"Le résumé", "Dans la page", "<hr"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := base
			tt.edit(&e)
			got := renderedContent(t, e)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("content lacks %q:\n%s", w, got)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(got, n) {
					t.Errorf("content has %q:\n%s", n, got)
				}
			}
		})
	}
}
