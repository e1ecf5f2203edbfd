package config_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/vigie-watch/vigie/internal/config"
)

// problemLines is each problem as `vigie check` prints it.
func problemLines(e *config.Error) []string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return lines
}

// Problems are values from the decoder's messages and from validation
// alike: line, key and message apart, sorted by line.
func TestProblemsAreValues(t *testing.T) {
	const yaml = `feed: {title: T}
shedule: "@hourly"
concurrency: many
sources:
  - {name: s, url: "ftp://news.example/feed"}
keywords: [VSA]
`
	_, err := config.Parse(strings.NewReader(yaml))
	var cerr *config.Error
	if !errors.As(err, &cerr) {
		t.Fatalf("got %v, want a *config.Error", err)
	}
	want := []config.Problem{
		{Line: 2, Key: "shedule", Message: `unknown key (did you mean "schedule"?)`},
		{Line: 3, Key: "concurrency", Message: `got "many", want a whole number`},
		{Line: 5, Key: "sources[0].url", Message: `invalid URL "ftp://news.example/feed": want an http:// or https:// URL`},
	}
	if len(cerr.Problems) != len(want) {
		t.Fatalf("got problems %+v, want %+v", cerr.Problems, want)
	}
	for i := range want {
		if cerr.Problems[i] != want[i] {
			t.Errorf("problem %d: got %+v, want %+v", i, cerr.Problems[i], want[i])
		}
	}
	if got, want := cerr.Problems[0].String(), `line 2: shedule: unknown key (did you mean "schedule"?)`; got != want {
		t.Errorf("String: got %q, want %q", got, want)
	}
}
