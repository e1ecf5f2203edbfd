package feeds

import (
	"html"
	"strings"

	"github.com/vigie-watch/vigie/internal/watch"
)

// withPage returns an entry's content with what vigie read in its page:
// the passages where its keywords occur (the article itself belongs to
// its outlet), or the whole text of a public record (a Senate question
// and the ministry's answer); and links to the questions it re-asks or
// that re-ask it. An entry without content gets its summary first, so
// that readers that show the content lose nothing.
func withPage(e watch.Entry) string {
	if len(e.Passages) == 0 && e.Record == "" && e.Recalls == nil && len(e.RecalledBy) == 0 {
		return e.Content
	}
	var b strings.Builder
	b.WriteString(e.Content)
	if e.Content == "" {
		b.WriteString(e.Summary)
	}
	if e.Recalls != nil {
		related(&b, "Rappel de la question", *e.Recalls)
	}
	for _, r := range e.RecalledBy {
		related(&b, "Question rappelée par", r)
	}
	if e.Record != "" {
		b.WriteString("<hr>")
		for _, p := range strings.Split(e.Record, "\n\n") {
			b.WriteString("<p>")
			b.WriteString(strings.ReplaceAll(html.EscapeString(p), "\n", "<br>"))
			b.WriteString("</p>")
		}
		return b.String()
	}
	if len(e.Passages) > 0 {
		b.WriteString("<p><em>Dans la page :</em></p>")
	}
	for _, p := range e.Passages {
		b.WriteString("<blockquote><p>")
		b.WriteString(html.EscapeString(p.Before))
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(p.Match))
		b.WriteString("</mark>")
		b.WriteString(html.EscapeString(p.After))
		b.WriteString("</p></blockquote>")
	}
	return b.String()
}

// related writes a paragraph linking another story.
func related(b *strings.Builder, label string, r watch.Related) {
	b.WriteString("<p>")
	b.WriteString(html.EscapeString(label))
	b.WriteString(" : <a href=\"")
	b.WriteString(html.EscapeString(r.Link))
	b.WriteString("\">")
	b.WriteString(html.EscapeString(r.Title))
	b.WriteString("</a></p>")
}
