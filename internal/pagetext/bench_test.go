package pagetext_test

import (
	"strings"
	"testing"

	"github.com/vigie-watch/vigie/internal/feedgen"
	"github.com/vigie-watch/vigie/internal/pagetext"
)

// page300KB is a franceinfo-like article page padded to 300 KB with more
// scripts, as the heaviest real pages are.
func page300KB(tb testing.TB) []byte {
	page := feedgen.ArticlePage(longArticle, "reconnaissance faciale")
	const size = 300 << 10
	if pad := size - len(page); pad > 0 {
		script := "<script>var pad=\"" + strings.Repeat("x", pad-28) + "\";</script>"
		page = strings.Replace(page, "</head>", script+"</head>", 1)
	}
	if len(page) < 300<<10 || len(page) > 301<<10 {
		tb.Fatalf("page is %d bytes, want 300 KB", len(page))
	}
	return []byte(page)
}

// BenchmarkExtract extracts the article's text from a 300 KB page.
func BenchmarkExtract(b *testing.B) {
	page := page300KB(b)
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := pagetext.Extract(page, "text/html; charset=utf-8", pageURL, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkExtractSelector is the same with a full_text_selector.
func BenchmarkExtractSelector(b *testing.B) {
	page := page300KB(b)
	sel, err := pagetext.CompileSelector("article .c-body")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := pagetext.Extract(page, "text/html; charset=utf-8", pageURL, sel); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPassages finds the passages of two keywords in an extracted
// article, as rendering an entry does.
func BenchmarkPassages(b *testing.B) {
	text, err := pagetext.Extract(page300KB(b), "text/html", pageURL, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if len(pagetext.Passages(text, []string{"reconnaissance faciale", "inspection administrative"})) != 2 {
			b.Fatal("want 2 passages")
		}
	}
}
