package config_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/robfig/cron/v3"

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

// edit returns the valid config with old replaced by new, once.
func edit(old, new string) string { return strings.Replace(valid, old, new, 1) }

// TestParseErrors lists every kind of mistake with the exact problems it
// gives: a person editing the file by hand reads these.
func TestParseErrors(t *testing.T) {
	const fi = `    schedule: "*/10 * * * *"`
	tests := []struct {
		name string
		yaml string
		want []string
	}{
		// Strict decoding.
		{"unknown top-level key", edit("keywords:", "keyword:"), []string{
			`line 15: keyword: unknown key (did you mean "keywords"?)`,
			`keywords: at least one keyword is needed, or a topic`,
		}},
		{"unknown source key", edit(fi, `    shedule: "*/10 * * * *"`), []string{
			`line 11: sources[0].shedule: unknown key (did you mean "schedule"?)`,
		}},
		{"unknown feed key", edit("  title:", "  titel:"), []string{
			`line 6: feed.titel: unknown key (did you mean "title"?)`,
		}},
		{"unknown topic key", valid + "topics:\n  - name: drones\n    keyword: [drone]\n", []string{
			`line 21: topics[0].keywords: at least one keyword is needed`,
			`line 22: topics[0].keyword: unknown key (did you mean "keywords"?)`,
		}},
		{"unknown key like none", valid + "colour: red\n", []string{
			`line 20: colour: unknown key`,
		}},
		{"duplicate key", valid + "listen: 127.0.0.1:9090\n", []string{
			`line 20: listen: duplicate key, already set at line 1`,
		}},
		{"number expected", edit("timeout: 20s", "timeout: 20s\nconcurrency: many"), []string{
			`line 5: concurrency: got "many", want a whole number`,
		}},
		{"list expected", edit("sources:", "sources: franceinfo\nxsources:"), []string{
			`line 8: sources: got "franceinfo", want a list of sources`,
			`line 9: xsources: unknown key (did you mean "sources"?)`,
		}},
		// Durations.
		{"bad duration", edit("timeout: 20s", "timeout: 20 seconds"), []string{
			`line 4: timeout: invalid duration "20 seconds": want e.g. 20s, 15m, 6h or 30d`,
		}},
		{"bad source duration", edit(fi, fi+"\n    timeout: soon"), []string{
			`line 12: sources[0].timeout: invalid duration "soon": want e.g. 20s, 15m, 6h or 30d`,
		}},
		{"negative days", edit("timeout: 20s", "timeout: 20s\nretention: -3d"), []string{
			`line 5: retention: invalid duration "-3d": want a whole number of days such as 30d`,
		}},
		{"zero timeout reported once", edit("timeout: 20s", "timeout: 0s"), []string{
			`line 4: timeout: must be positive`,
		}},
		{"negative source timeout", edit(fi, fi+"\n    timeout: -1s"), []string{
			`line 12: sources[0].timeout: must be positive`,
		}},
		// Schedules.
		{"bad global schedule", edit(`"@every 15m"`, `"every 15 minutes"`), []string{
			`line 3: schedule: invalid schedule "every 15 minutes": expected exactly 5 fields, found 3: [every 15 minutes] (want 5 cron fields, @hourly, @every 10m...)`,
		}},
		{"TZ alone does not panic", edit(`"*/10 * * * *"`, `"TZ=UTC"`), []string{
			`line 11: sources[0].schedule: invalid schedule "TZ=UTC": a time zone needs a schedule after it, such as TZ=Europe/Paris 0 8 * * *`,
		}},
		{"six fields", edit(`"*/10 * * * *"`, `"0 */5 * * * *"`), []string{
			`line 11: sources[0].schedule: invalid schedule "0 */5 * * * *": expected exactly 5 fields, found 6: [0 */5 * * * *] (want 5 cron fields, @hourly, @every 10m...)`,
		}},
		{"never fires", edit(`"*/10 * * * *"`, `"0 0 30 2 *"`), []string{
			`line 11: sources[0].schedule: invalid schedule "0 0 30 2 *": it never fires`,
		}},
		{"interval under a second", edit(`"*/10 * * * *"`, `"@every 500ms"`), []string{
			`line 11: sources[0].schedule: invalid schedule "@every 500ms": the interval must be at least 1s`,
		}},
		{"negative interval", edit(`"*/10 * * * *"`, `"@every -5m"`), []string{
			`line 11: sources[0].schedule: invalid schedule "@every -5m": the interval must be at least 1s`,
		}},
		// Full text.
		{"invalid selector", edit(fi, fi+"\n    full_text: true\n    full_text_selector: \"article[\""), []string{
			`line 13: sources[0].full_text_selector: invalid CSS selector "article[": expected identifier, found EOF instead`,
		}},
		{"selector without full text", edit(fi, fi+"\n    full_text_selector: \"article .c-body\""), []string{
			`line 12: sources[0].full_text_selector: has no effect without full_text: true`,
		}},
		{"full_text not a boolean", edit(fi, fi+"\n    full_text: sometimes"), []string{
			`line 12: sources[0].full_text: got "sometimes", want bool`,
		}},
		// URLs.
		{"url without scheme", edit("https://www.francetvinfo.fr/titres.rss", "www.francetvinfo.fr/titres.rss"), []string{
			`line 10: sources[0].url: invalid URL "www.francetvinfo.fr/titres.rss": want an http:// or https:// URL`,
		}},
		{"ftp url", edit("https://www.francetvinfo.fr/titres.rss", "ftp://www.francetvinfo.fr/titres.rss"), []string{
			`line 10: sources[0].url: invalid URL "ftp://www.francetvinfo.fr/titres.rss": want an http:// or https:// URL`,
		}},
		{"url without host", edit("https://www.francetvinfo.fr/titres.rss", "https:///titres.rss"), []string{
			`line 10: sources[0].url: invalid URL "https:///titres.rss": no host`,
		}},
		{"password kept out of the message", edit("https://www.francetvinfo.fr/titres.rss", "ftp://me:s3cret@www.francetvinfo.fr/titres.rss"), []string{
			`line 10: sources[0].url: invalid URL "ftp://me:xxxxx@www.francetvinfo.fr/titres.rss": want an http:// or https:// URL`,
		}},
		{"relative feed url", edit("url: http://127.0.0.1:8080/feed.atom", "url: /feed.atom"), []string{
			`line 7: feed.url: invalid URL "/feed.atom": want an http:// or https:// URL`,
		}},
		// Sources.
		{"duplicate source, any case", edit("name: Sénat questions écrites", "name: FranceInfo"), []string{
			`line 12: sources[1].name: "FranceInfo" is already the name of sources[0]`,
		}},
		{"empty source name", edit("name: franceinfo", `name: ""`), []string{
			`line 9: sources[0].name: must not be empty`,
		}},
		{"unknown type", edit("type: senat-questions", "type: csv"), []string{
			`line 13: sources[1].type: unknown type "csv": want feed or senat-questions`,
		}},
		{"no sources", "keywords: [VSA]\n", []string{
			`sources: at least one source is needed`,
		}},
		// Listen address and other settings.
		{"listen without host", edit("listen: 127.0.0.1:8080", "listen: 8080"), []string{
			`line 1: listen: invalid address "8080": want host:port such as 127.0.0.1:8080`,
		}},
		{"listen port out of range", edit("listen: 127.0.0.1:8080", "listen: 127.0.0.1:99999"), []string{
			`line 1: listen: invalid address "127.0.0.1:99999": the port must be a number from 0 to 65535`,
		}},
		{"listen port by name", edit("listen: 127.0.0.1:8080", "listen: localhost:http"), []string{
			`line 1: listen: invalid address "localhost:http": the port must be a number from 0 to 65535`,
		}},
		{"empty database", edit("database: vigie.db", `database: ""`), []string{
			`line 2: database: must not be empty`,
		}},
		{"PostgreSQL URL without a database name, its password hidden", edit("database: vigie.db", `database: "postgres://vigie:s3cret@db.example:5432"`), []string{
			`line 2: database: postgres://vigie:xxxxx@db.example:5432: no database name (postgres://user@host/db)`,
		}},
		{"zero body cap", edit("timeout: 20s", "timeout: 20s\nmax_body_bytes: 0"), []string{
			`line 5: max_body_bytes: must be positive`,
		}},
		{"concurrency too high", edit("timeout: 20s", "timeout: 20s\nconcurrency: 1000"), []string{
			`line 5: concurrency: must be between 1 and 256, got 1000`,
		}},
		{"log settings", edit("timeout: 20s", "timeout: 20s\nlog_format: xml\nlog_level: verbose"), []string{
			`line 5: log_format: must be text or json, got "xml"`,
			`line 6: log_level: must be debug, info, warn or error, got "verbose"`,
		}},
		{"empty feed title", edit(`  title: "Veille : reconnaissance faciale"`, `  title: ""`), []string{
			`line 6: feed.title: must not be empty`,
		}},
		{"no feed entries", edit("  url: http://127.0.0.1:8080/feed.atom", "  url: http://127.0.0.1:8080/feed.atom\n  max_entries: 0"), []string{
			`line 8: feed.max_entries: must be at least 1`,
		}},
		// Keywords and topics.
		{"blank keyword", edit("  - BriefCam", `  - "  "`), []string{
			`line 17: keywords[1]: empty keyword "  "`,
		}},
		{"star alone", edit("  - BriefCam", `  - "*"`), []string{
			`line 17: keywords[1]: empty keyword "*"`,
		}},
		{"star inside a word", edit("  - BriefCam", `  - "cam*ra"`), []string{
			`line 17: keywords[1]: "cam*ra": "*" is only allowed at the end of a word, as in "caméra*"`,
		}},
		{"keyword of punctuation only, with another problem", edit("  - BriefCam", `  - "--"`) + "shedule: \"@hourly\"\n", []string{
			`line 17: keywords[1]: "--": no letter or digit`,
			`line 20: shedule: unknown key (did you mean "schedule"?)`,
		}},
		{"star in a topic's exclusion", valid + "topics:\n  - name: drones\n    keywords: [drone*]\n    exclude: [\"*drone\"]\n", []string{
			`line 23: topics[0].exclude[0]: "*drone": "*" is only allowed at the end of a word, as in "caméra*"`,
		}},
		{"blank exclusion", edit("  - Face ID", `  - ""`), []string{
			`line 19: exclude[0]: empty keyword ""`,
		}},
		{"no keywords", strings.Split(valid, "keywords:")[0], []string{
			`keywords: at least one keyword is needed, or a topic`,
		}},
		{"bad topics", valid + "topics:\n  - name: Drones Police\n    keywords: [drone]\n  - name: vsa\n    keywords: [VSA]\n  - name: vsa\n", []string{
			`line 21: topics[0].name: "Drones Police": want lower-case letters, digits, hyphens and underscores (it names /topics/NAME.atom)`,
			`line 25: topics[2].name: "vsa" is used twice`,
			`line 25: topics[2].keywords: at least one keyword is needed`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := config.Parse(strings.NewReader(tt.yaml))
			var cerr *config.Error
			if !errors.As(err, &cerr) {
				t.Fatalf("got error %v, want a *config.Error", err)
			}
			if got, want := strings.Join(problemLines(cerr), "\n"), strings.Join(tt.want, "\n"); got != want {
				t.Errorf("got problems:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

func TestParseInvalidYAML(t *testing.T) {
	tests := []struct{ name, yaml, want string }{
		{"not yaml", "listen: [\n", "invalid YAML: yaml: line 1: did not find expected node content"},
		{"empty", "", "config is empty"},
		{"tabs", "listen:\t127.0.0.1:8080\n\tdatabase: x\n", "invalid YAML: yaml: line 2: found a tab character that violates indentation"},
	}
	for _, tt := range tests {
		_, err := config.Parse(strings.NewReader(tt.yaml))
		if err == nil || err.Error() != tt.want {
			t.Errorf("%s: got error %v, want %q", tt.name, err, tt.want)
		}
	}
}

func TestValidateSchedule(t *testing.T) {
	for _, spec := range []string{"@every 15m", "@hourly", "*/10 * * * *", "0 8 * * 1-5", "TZ=UTC 0 8 * * *", "CRON_TZ=Europe/Paris 0 8 * * *", "@every 1s"} {
		if err := config.ValidateSchedule(spec); err != nil {
			t.Errorf("ValidateSchedule(%q): got %v, want nil", spec, err)
		}
	}
	for _, spec := range []string{"", " ", "TZ=UTC", "TZ=", "CRON_TZ=Nowhere/Atlantis 0 8 * * *", "@every", "@every 0s", "@fortnightly", "60 * * * *", "* * * *"} {
		if err := config.ValidateSchedule(spec); err == nil {
			t.Errorf("ValidateSchedule(%q): got nil, want an error", spec)
		}
	}
}

// FuzzValidateSchedule checks that no spec makes ValidateSchedule panic,
// and that a spec it accepts is one the engine's cron parser takes without
// panicking.
func FuzzValidateSchedule(f *testing.F) {
	for _, s := range []string{"TZ=UTC", "@every 5m", "*/10 * * * *", "CRON_TZ=UTC @daily", "0 0 30 2 *", "TZ=UTC 0 8 * * *"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		if config.ValidateSchedule(spec) != nil {
			return
		}
		if _, err := cron.ParseStandard(spec); err != nil {
			t.Errorf("ValidateSchedule(%q) accepted it, cron.ParseStandard: got %v", spec, err)
		}
	})
}

func TestErrorMessage(t *testing.T) {
	one := &config.Error{Problems: []config.Problem{{Line: 1, Key: "listen", Message: "bad"}}}
	if got, want := one.Error(), "invalid config: line 1: listen: bad"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	two := &config.Error{Problems: []config.Problem{{Line: 1, Key: "listen", Message: "bad"}, {Line: 2, Key: "database", Message: "bad"}}}
	if got, want := two.Error(), "invalid config (2 problems):\n  line 1: listen: bad\n  line 2: database: bad"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestParseReportsAllProblemsAtOnce(t *testing.T) {
	bad := edit("timeout: 20s", "timeout: 20 seconds\nlisten_port: 8080")
	bad = strings.Replace(bad, `"*/10 * * * *"`, `"99 * * * *"`, 1)
	bad = strings.Replace(bad, "type: senat-questions", "type: csv", 1)
	_, err := config.Parse(strings.NewReader(bad))
	var cerr *config.Error
	if !errors.As(err, &cerr) {
		t.Fatalf("got %v, want a *config.Error", err)
	}
	want := []string{
		`line 4: timeout: invalid duration "20 seconds": want e.g. 20s, 15m, 6h or 30d`,
		`line 5: listen_port: unknown key`,
		`line 12: sources[0].schedule: invalid schedule "99 * * * *": end of range (99) above maximum (59): 99 (want 5 cron fields, @hourly, @every 10m...)`,
		`line 14: sources[1].type: unknown type "csv": want feed or senat-questions`,
	}
	if got, want := strings.Join(problemLines(cerr), "\n"), strings.Join(want, "\n"); got != want {
		t.Errorf("got problems:\n%s\nwant, in line order:\n%s", got, want)
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
	for _, s := range cfg.Sources {
		wantFull := strings.HasPrefix(s.Name, "franceinfo") || strings.HasPrefix(s.Name, "Sénat")
		if s.FullText != wantFull {
			t.Errorf("config.yaml: source %q has full_text %v, want %v (on for franceinfo and the Senate, written questions included)", s.Name, s.FullText, wantFull)
		}
	}
}

func TestLoadMissingFile(t *testing.T) {
	_, err := config.Load(filepath.Join(t.TempDir(), "nope.yaml"))
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("got %v, want a not-exist error", err)
	}
}
