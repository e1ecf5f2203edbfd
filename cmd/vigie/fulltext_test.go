package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigie-watch/vigie/internal/feedgen"
)

var fullTextArticle = feedgen.Article{
	Title: "Des logiciels d'analyse d'images testés par la police",
	Chapo: "Une enquête révèle l'usage d'un logiciel par plusieurs services.",
	Paragraphs: []string{
		"Depuis 2015, plusieurs services de la police nationale utilisent un logiciel d'analyse d'images vidéo.",
		"Le ministère assure que l'outil sert uniquement à retrouver des véhicules dans des heures d'enregistrements.",
		"Une option de reconnaissance faciale, désactivée par défaut, pouvait être activée par les administrateurs locaux.",
	},
}

// fullTextSite serves a feed whose items say nothing of the keywords, the
// pages they link to (one says it in its article, one is missing), and a
// robots.txt.
func fullTextSite(t *testing.T) (configPath, pageURL string) {
	t.Helper()
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "User-agent: *\nDisallow: /admin/\n")
	})
	mux.HandleFunc("/article.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, feedgen.ArticlePage(fullTextArticle, "BriefCam"))
	})
	mux.HandleFunc("/feed.rss", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>T</title><link>%[1]s/</link>
<item><title>Des logiciels testés par la police</title><link>%[1]s/article.html</link><guid>a</guid><description>Une enquête.</description></item>
<item><title>Un article disparu</title><link>%[1]s/missing.html</link><guid>b</guid><description>Rien.</description></item>
</channel></rss>`, srv.URL)
	})
	dir := t.TempDir()
	cfg := fmt.Sprintf(`database: %s
feed: {title: Test, url: "http://vigie.example/feed.atom"}
keywords: [reconnaissance faciale, BriefCam]
sources:
  - name: site
    url: %s/feed.rss
    full_text: true
`, filepath.Join(dir, "vigie.db"), srv.URL)
	configPath = filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(configPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	return configPath, srv.URL + "/article.html"
}

func TestFullTextCommands(t *testing.T) {
	path, pageURL := fullTextSite(t)
	ctx := context.Background()
	run := func(args ...string) string {
		t.Helper()
		var out, errb bytes.Buffer
		if err := Run(ctx, args, &out, &errb); err != nil {
			t.Fatalf("vigie %s: %v\n%s%s", strings.Join(args, " "), err, &out, &errb)
		}
		return out.String()
	}

	if out := run("fetch", "--config", path); !strings.Contains(lineOf(out, "site"), "(pages: 1 read, 1 not)") {
		t.Errorf("vigie fetch does not count the pages:\n%s", out)
	}

	status := run("status", "--config", path)
	if f := strings.Fields(lineOf(status, "site")); len(f) < 2 || f[1] != "ok" {
		t.Errorf("vigie status: the source should be ok despite a missing page:\n%s", status)
	}
	if !strings.Contains(status, "site: 1, last: ") || !strings.Contains(status, "404 Not Found") {
		t.Errorf("vigie status does not report the page that could not be read:\n%s", status)
	}

	stored := run("match", "--config", path)
	if !strings.Contains(stored, "reconnaissance faciale: page") || !strings.Contains(stored, "1 stored items would be published") {
		t.Errorf("vigie match: want the item found by its page, and the field named:\n%s", stored)
	}

	page := run("match", "--config", path, "--url", pageURL)
	for _, want := range []string{
		"keywords: reconnaissance faciale\n",
		"passage:   Une option de «reconnaissance faciale», désactivée",
		fullTextArticle.Paragraphs[0],
	} {
		if !strings.Contains(page, want) {
			t.Errorf("vigie match --url lacks %q:\n%.2000s", want, page)
		}
	}
	if strings.Contains(page, "BriefCam") {
		t.Errorf("vigie match --url prints the page's chrome (BriefCam is only there):\n%.2000s", page)
	}
}
