package main

import (
	"bytes"
	"context"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestExportOPML(t *testing.T) {
	dir := t.TempDir()
	configPath := filepath.Join(dir, "config.yaml")
	yaml := `database: ` + filepath.Join(dir, "never-created.db") + `
feed:
  title: "Veille : reconnaissance faciale"
sources:
  - name: franceinfo
    url: https://www.francetvinfo.fr/titres.rss
  - name: "Sénat & questions"
    type: senat-questions
    url: https://data.senat.fr/data/questions/questions-depuis-un-an.csv
keywords: [VSA]
`
	if err := os.WriteFile(configPath, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if err := Run(context.Background(), []string{"export", "--config", configPath, "--format", "opml"}, &out, &errb); err != nil {
		t.Fatalf("vigie export --format opml: %v\n%s", err, errb.String())
	}
	var doc struct {
		Title    string `xml:"head>title"`
		Outlines []struct {
			Text   string `xml:"text,attr"`
			Type   string `xml:"type,attr"`
			XMLURL string `xml:"xmlUrl,attr"`
			URL    string `xml:"url,attr"`
			HTML   string `xml:"htmlUrl,attr"`
		} `xml:"body>outline>outline"`
	}
	if err := xml.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatalf("parse the OPML: %v\n%s", err, out.String())
	}
	if !strings.Contains(doc.Title, "reconnaissance faciale") {
		t.Errorf("title: got %q", doc.Title)
	}
	if len(doc.Outlines) != 2 {
		t.Fatalf("got %d outlines, want 2:\n%s", len(doc.Outlines), out.String())
	}
	if o := doc.Outlines[0]; o.Text != "franceinfo" || o.Type != "rss" || o.XMLURL != "https://www.francetvinfo.fr/titres.rss" {
		t.Errorf("feed outline: got %+v", o)
	}
	if o := doc.Outlines[1]; o.Text != "Sénat & questions" || o.XMLURL != "" || o.URL != "" || !strings.HasSuffix(o.HTML, "questions-depuis-un-an.csv") {
		t.Errorf("senat-questions outline: got %+v, want a page link (htmlUrl) without xmlUrl", o)
	}
	if _, err := os.Stat(filepath.Join(dir, "never-created.db")); err == nil {
		t.Errorf("exporting the sources created a database")
	}
	err := Run(context.Background(), []string{"export", "--config", configPath, "--format", "opml", "--topic", "x"}, &out, &errb)
	if exitCode(err) != 2 {
		t.Errorf("--topic with opml: got %v, want a usage error", err)
	}
}
