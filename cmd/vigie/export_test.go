package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/mmcdole/gofeed"

	"github.com/vigie-watch/vigie/internal/config"
	"github.com/vigie-watch/vigie/internal/vigietest"
)

// exportFixture writes a config whose database holds the fixtures of
// internal/server fetched once, and returns its path and a handler serving
// that database as the daemon does.
func exportFixture(t *testing.T) (configPath string, daemon http.Handler) {
	t.Helper()
	up := vigietest.NewUpstream(t)
	for path, file := range map[string]string{"/titres.rss": "franceinfo.rss", "/disclose": "disclose.atom"} {
		body, err := os.ReadFile(filepath.Join("..", "..", "internal", "server", "testdata", file))
		if err != nil {
			t.Fatal(err)
		}
		up.Set(path, body, "application/xml; charset=utf-8")
	}

	dir := t.TempDir()
	configPath = filepath.Join(dir, "config.yaml")
	yaml := fmt.Sprintf(`database: %s
feed:
  title: "Veille : reconnaissance faciale"
  url: https://veille.example.org/vigie/feed.atom
sources:
  - name: franceinfo
    url: %s
  - name: Disclose
    url: %s
keywords: [reconnaissance faciale, BriefCam, VSA]
exclude: [Face ID]
topics:
  - name: drones
    keywords: [drones]
  - name: vsa
    keywords: [VSA]
    exclude: [JO]
`, filepath.Join(dir, "vigie.db"), up.URL("/titres.rss"), up.URL("/disclose"))
	if err := os.WriteFile(configPath, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(configPath)
	if err != nil {
		t.Fatal(err)
	}
	h := vigietest.New(t, cfg, vigietest.Options{Database: cfg.Database})
	h.FetchAll()
	return configPath, h.Handler
}

func TestExport(t *testing.T) {
	configPath, daemon := exportFixture(t)
	tests := []struct {
		args   []string
		path   string // where the daemon serves the same bytes
		self   string
		titles int
	}{
		{[]string{"--format", "rss"}, "/feed.rss", "https://veille.example.org/vigie/feed.rss", 4},
		{nil, "/feed.atom", "https://veille.example.org/vigie/feed.atom", 4},
		{[]string{"--format", "JSON"}, "/feed.json", "https://veille.example.org/vigie/feed.json", 4},
		{[]string{"--topic", "vsa"}, "/topics/vsa.atom", "https://veille.example.org/vigie/topics/vsa.atom", 1},
		{[]string{"--topic", "drones", "--format", "rss"}, "/topics/drones.rss", "https://veille.example.org/vigie/topics/drones.rss", 1},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var out, errb bytes.Buffer
			args := append([]string{"export", "--config", configPath}, tt.args...)
			if err := Run(context.Background(), args, &out, &errb); err != nil {
				t.Fatalf("vigie %s: %v\n%s", strings.Join(args, " "), err, errb.String())
			}
			f, err := gofeed.NewParser().ParseString(out.String())
			if err != nil {
				t.Fatalf("parse the export: %v\n%s", err, out.String())
			}
			if len(f.Items) != tt.titles {
				t.Errorf("got %d entries, want %d", len(f.Items), tt.titles)
			}
			if f.FeedLink != tt.self {
				t.Errorf("self link: got %q, want %q", f.FeedLink, tt.self)
			}
			rec := httptest.NewRecorder()
			daemon.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, tt.path, nil))
			if !bytes.Equal(out.Bytes(), rec.Body.Bytes()) {
				t.Errorf("the export differs from what the daemon serves at %s:\n got %s\nwant %s", tt.path, out.String(), rec.Body.String())
			}
		})
	}
	var out, errb bytes.Buffer
	if err := Run(context.Background(), []string{"export", "--config", configPath, "--format", "rss"}, &out, &errb); err != nil {
		t.Fatal(err)
	}
	f, _ := gofeed.NewParser().ParseString(out.String())
	var got []string
	for _, it := range f.Items {
		got = append(got, it.Title)
	}
	want := []string{
		"Reconnaissance faciale : la police nationale a utilisé le logiciel israélien BriefCam « en dehors de tout cadre légal »",
		"La police nationale utilise illégalement un logiciel israélien de\u00a0vidéosurveillance",
		`Caméras augmentées : la CNIL <script>alert("titre")</script> publie son avis sur la VSA`,
		"JO de Paris : le Conseil constitutionnel valide l'expérimentation de la VSA",
	}
	if !slices.Equal(got, want) {
		t.Errorf("rss titles:\n got %q\nwant %q", got, want)
	}
}

func TestExportErrors(t *testing.T) {
	configPath, _ := exportFixture(t)
	noDB := filepath.Join(t.TempDir(), "nodb.yaml")
	b, _ := os.ReadFile(configPath)
	cfgText := strings.Replace(string(b), "vigie.db", "absent.db", 1)
	if err := os.WriteFile(noDB, []byte(cfgText), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--config", configPath, "--format", "xml"}, 2, "want atom, rss, json or opml"},
		{[]string{"--config", configPath, "--topic", "nope"}, 2, `"nope": the config defines drones, vsa`},
		{[]string{"--config", configPath, "--topic"}, 2, "flag needs an argument"},
		{[]string{"--config", configPath, "extra"}, 2, "unexpected argument"},
		{[]string{"--config", filepath.Join(t.TempDir(), "missing.yaml")}, 1, "missing.yaml"},
		{[]string{"--config", noDB}, 1, "absent.db"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args[2:], " "), func(t *testing.T) {
			var out, errb bytes.Buffer
			err := Run(context.Background(), append([]string{"export"}, tt.args...), &out, &errb)
			if got := exitCode(err); got != tt.code {
				t.Errorf("exit code: got %d (%v), want %d", got, err, tt.code)
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error: got %v, want one that says %q", err, tt.want)
			}
			if out.Len() != 0 {
				t.Errorf("stdout: got %q, want nothing", out.String())
			}
		})
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(configPath), "absent.db")); err == nil {
		t.Errorf("export created the missing database")
	}
}
