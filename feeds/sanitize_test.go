package feeds_test

import (
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/net/html"

	"github.com/vigie-watch/vigie/feeds"
	"github.com/vigie-watch/vigie/internal/watch"
)

func TestSanitizeHTML(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
	}{
		{"plain French text", "L’État « œuvre » à Noël", "L’État « œuvre » à Noël"},
		{"entities kept escaped", "5 &lt; 6 &amp; 7 > 3", "5 &lt; 6 &amp; 7 &gt; 3"},
		{"script removed with its content", `a<script>alert("x")</script>b`, "ab"},
		{"style removed with its content", `<style>p{color:red}</style><p>x</p>`, "<p>x</p>"},
		{"iframe removed", `<iframe src="https://evil.example/"></iframe>ok`, "ok"},
		{"event handler removed", `<img src="https://example.org/a.png" onerror="alert(1)" alt="a">`, `<img src="https://example.org/a.png" alt="a">`},
		{"style attribute removed", `<p style="display:none" onclick="x()">t</p>`, "<p>t</p>"},
		{"javascript link dropped, text kept", `<a href="javascript:alert(1)">clic</a>`, "clic"},
		{"javascript link with entities", `<a href="jav&#x61;script:alert(1)">clic</a>`, "clic"},
		{"data image dropped", `<img src="data:text/html;base64,PHNjcmlwdD4=">`, ""},
		{"external link marked", `<a href="https://www.cnil.fr/">CNIL</a>`, `<a href="https://www.cnil.fr/" rel="nofollow noopener" target="_blank">CNIL</a>`},
		{"relative link kept, nofollow", `<a href="/a">a</a>`, `<a href="/a" rel="nofollow">a</a>`},
		{"image kept", `<img src="https://example.org/c.jpg" alt="Caméra">`, `<img src="https://example.org/c.jpg" alt="Caméra">`},
		{"form and object removed", `<form action="x"><input name="p"></form><object data="x"></object>ok`, "ok"},
		{"control characters dropped", "a\x00b\x0Bc\x1Fd\u0085e", "abcde"},
		{"blank", " \n\t ", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := feeds.SanitizeHTML(tc.in); got != tc.want {
				t.Errorf("SanitizeHTML(%q): got %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

// TestRenderResolvesRelativeURLs checks that relative href and src in a
// summary are made absolute against the entry's link.
func TestRenderResolvesRelativeURLs(t *testing.T) {
	e := watch.Entry{
		ID:      "tag:x,2025:1",
		Link:    "https://www.senat.fr/questions/base/2024/q1.html",
		Title:   "t",
		Summary: `<a href="../2023/q0.html">avant</a> <img src="//static.senat.fr/i.png"> <a href="mailto:a@senat.fr">écrire</a> <a href="#r">réponse</a>`,
	}
	out, err := feeds.RenderJSON(testMeta(feeds.FormatJSON), []watch.Entry{e})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`href=\"https://www.senat.fr/questions/base/2023/q0.html\"`,
		`src=\"https://static.senat.fr/i.png\"`,
		`href=\"mailto:a@senat.fr\"`,
		`href=\"https://www.senat.fr/questions/base/2024/q1.html#r\"`,
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("rendered JSON lacks %s:\n%s", want, out)
		}
	}
}

func FuzzSanitizeHTML(f *testing.F) {
	f.Add(`<p onclick="x">a<script>b</script></p>`)
	f.Add("<a href=\"java\x00script:alert(1)\">x</a>")
	f.Add("<svg><script>alert(1)</script></svg><math><style>x</style></math>")
	f.Fuzz(func(t *testing.T, in string) {
		out := feeds.SanitizeHTML(in)
		if !utf8.ValidString(out) {
			t.Fatalf("SanitizeHTML(%q) = %q: invalid UTF-8", in, out)
		}
		z := html.NewTokenizer(strings.NewReader(out))
		for tt := z.Next(); tt != html.ErrorToken; tt = z.Next() {
			if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
				continue
			}
			tok := z.Token()
			switch tok.Data {
			case "script", "style", "iframe", "object", "embed", "form", "svg", "math":
				t.Fatalf("SanitizeHTML(%q) = %q: element %s", in, out, tok.Data)
			}
			for _, a := range tok.Attr {
				if strings.HasPrefix(a.Key, "on") || a.Key == "style" {
					t.Fatalf("SanitizeHTML(%q) = %q: attribute %s", in, out, a.Key)
				}
				if a.Key != "href" && a.Key != "src" {
					continue
				}
				u, err := url.Parse(strings.TrimSpace(a.Val))
				if err != nil {
					t.Fatalf("SanitizeHTML(%q) = %q: unparseable %s=%q", in, out, a.Key, a.Val)
				}
				switch strings.ToLower(u.Scheme) {
				case "", "http", "https", "mailto":
				default:
					t.Fatalf("SanitizeHTML(%q) = %q: %s scheme %q", in, out, a.Key, u.Scheme)
				}
			}
		}
		for _, r := range out {
			if r < 0x20 && r != '\t' && r != '\n' && r != '\r' {
				t.Fatalf("SanitizeHTML(%q) = %q: control character %U", in, out, r)
			}
		}
	})
}
