package config_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vigie-watch/vigie/internal/config"
)

const valid = `listen: 127.0.0.1:8080
database: vigie.db
schedule: "@every 15m"
timeout: 20s
feed:
  title: "Veille : reconnaissance faciale"
  url: http://127.0.0.1:8080/feed.atom
sources:
  - name: franceinfo
    url: https://www.francetvinfo.fr/titres.rss
    schedule: "*/10 * * * *"
  - name: Sénat questions écrites
    type: senat-questions
    url: https://data.senat.fr/data/questions/questions-depuis-un-an.csv
keywords:
  - reconnaissance faciale
  - BriefCam
exclude:
  - Face ID
`

func TestParseValid(t *testing.T) {
	cfg, err := config.Parse(strings.NewReader(valid))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if got, want := len(cfg.Sources), 2; got != want {
		t.Fatalf("sources: got %d, want %d", got, want)
	}
	fi, senat := cfg.Sources[0], cfg.Sources[1]
	if fi.Type != config.TypeFeed || fi.Schedule != "*/10 * * * *" || fi.Timeout.D() != 20*time.Second {
		t.Errorf("franceinfo: got %+v", fi)
	}
	if senat.Type != config.TypeSenateQuestion || senat.Schedule != "@every 15m" {
		t.Errorf("senat: got %+v", senat)
	}
	if cfg.Retention.D() != 30*24*time.Hour || cfg.Feed.MaxEntries != 100 || cfg.MaxBodyBytes != 10<<20 {
		t.Errorf("defaults not applied: %+v", cfg)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want []string // substrings of the error, all required
	}{
		{"unknown top-level key", strings.Replace(valid, "keywords:", "keyword:", 1),
			[]string{"line 15", "field keyword not found"}},
		{"unknown source key", strings.Replace(valid, "    schedule: \"*/10", "    shedule: \"*/10", 1),
			[]string{"line 11", "field shedule not found"}},
		{"bad global schedule", strings.Replace(valid, `"@every 15m"`, `"every 15 minutes"`, 1),
			[]string{"line 3: schedule: invalid schedule"}},
		{"TZ alone does not panic", strings.Replace(valid, `"*/10 * * * *"`, `"TZ=UTC"`, 1),
			[]string{"line 11: sources[0].schedule: invalid schedule \"TZ=UTC\""}},
		{"bad duration", strings.Replace(valid, "timeout: 20s", "timeout: 20 seconds", 1),
			[]string{"line 4", "invalid duration \"20 seconds\""}},
		{"bad url", strings.Replace(valid, "https://www.francetvinfo.fr/titres.rss", "www.francetvinfo.fr/titres.rss", 1),
			[]string{"line 10: sources[0].url", "want an http:// or https:// URL"}},
		{"duplicate source", strings.Replace(valid, "name: Sénat questions écrites", "name: FranceInfo", 1),
			[]string{"line 12: sources[1].name", "already the name of sources[0]"}},
		{"unknown type", strings.Replace(valid, "type: senat-questions", "type: csv", 1),
			[]string{"line 13: sources[1].type: unknown type \"csv\""}},
		{"bad listen", strings.Replace(valid, "listen: 127.0.0.1:8080", "listen: 8080", 1),
			[]string{"line 1: listen"}},
		{"empty keyword", strings.Replace(valid, "  - BriefCam", "  - \"  \"", 1),
			[]string{"keywords[1]: empty keyword"}},
		{"no sources", "keywords: [VSA]\n", []string{"sources: at least one source"}},
		{"not yaml", "listen: [\n", []string{"invalid YAML"}},
		{"empty", "", []string{"config is empty"}},
		{"bad topic name", valid + "topics:\n  - name: Drones Police\n    keywords: [drone]\n",
			[]string{"topics[0].name"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := config.Parse(strings.NewReader(tt.yaml))
			if err == nil {
				t.Fatal("got no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("got error %q, want it to contain %q", err, w)
				}
			}
		})
	}
}

func TestParseReportsAllProblemsAtOnce(t *testing.T) {
	bad := strings.Replace(valid, "timeout: 20s", "timeout: 20 seconds\nlisten_port: 8080", 1)
	bad = strings.Replace(bad, `"*/10 * * * *"`, `"99 * * * *"`, 1)
	_, err := config.Parse(strings.NewReader(bad))
	var cerr *config.Error
	if !errors.As(err, &cerr) {
		t.Fatalf("got %v, want a *config.Error", err)
	}
	if len(cerr.Problems) < 2 {
		t.Errorf("got %d problems (%v), want the duration and the unknown key together", len(cerr.Problems), cerr.Problems)
	}
}

func TestLoadDefaultConfigFile(t *testing.T) {
	cfg, err := config.Load(filepath.Join("..", "..", "config.yaml"))
	if err != nil {
		t.Fatalf("the shipped config.yaml is invalid: %v", err)
	}
	if len(cfg.Sources) < 5 || len(cfg.Keywords) < 8 {
		t.Errorf("config.yaml: got %d sources and %d keywords, want the real sources and the first topic's keywords", len(cfg.Sources), len(cfg.Keywords))
	}
}

func TestLoadMissingFile(t *testing.T) {
	_, err := config.Load(filepath.Join(t.TempDir(), "nope.yaml"))
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("got %v, want a not-exist error", err)
	}
}
