package match_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/vigie-watch/vigie/internal/match"
)

func TestCompileErrors(t *testing.T) {
	tests := []struct {
		keywords, exclude []string
		list              string
		index             int
		want              error
	}{
		{[]string{"VSA", ""}, nil, "keywords", 1, match.ErrEmpty},
		{[]string{" \t\u00a0"}, nil, "keywords", 0, match.ErrEmpty},
		{[]string{"--"}, nil, "keywords", 0, match.ErrNoWord},
		{[]string{"« ’ »"}, nil, "keywords", 0, match.ErrNoWord},
		{[]string{"🎥"}, nil, "keywords", 0, match.ErrNoWord},
		{[]string{"*"}, nil, "keywords", 0, match.ErrWildcard},
		{[]string{"caméra *"}, nil, "keywords", 0, match.ErrWildcard},
		{[]string{"cam*ra"}, nil, "keywords", 0, match.ErrWildcard},
		{[]string{"*caméra"}, nil, "keywords", 0, match.ErrWildcard},
		{[]string{"caméra**"}, nil, "keywords", 0, match.ErrWildcard},
		{[]string{"caméra-*"}, nil, "keywords", 0, match.ErrWildcard},
		{[]string{"l'*"}, nil, "keywords", 0, match.ErrWildcard},
		{[]string{"VSA"}, []string{"Face ID", "face*id"}, "exclude", 1, match.ErrWildcard},
		{[]string{"VSA"}, []string{""}, "exclude", 0, match.ErrEmpty},
	}
	for _, tt := range tests {
		m, err := match.Compile(tt.keywords, tt.exclude)
		if err == nil {
			t.Errorf("Compile(%q, %q): got %v, nil error, want %v", tt.keywords, tt.exclude, m, tt.want)
			continue
		}
		if !errors.Is(err, tt.want) {
			t.Errorf("Compile(%q, %q): got %v, want %v", tt.keywords, tt.exclude, err, tt.want)
		}
		var ke *match.KeywordError
		if !errors.As(err, &ke) {
			t.Errorf("Compile(%q, %q): got %T, want a *match.KeywordError", tt.keywords, tt.exclude, err)
			continue
		}
		if ke.List != tt.list || ke.Index != tt.index {
			t.Errorf("Compile(%q, %q): got %s[%d], want %s[%d]", tt.keywords, tt.exclude, ke.List, ke.Index, tt.list, tt.index)
		}
		bad := tt.keywords
		if tt.list == "exclude" {
			bad = tt.exclude
		}
		if want := fmt.Sprintf("%q", bad[tt.index]); !strings.Contains(err.Error(), want) {
			t.Errorf("Compile: got error %q, want it to name %s", err, want)
		}
	}
}

func TestCompileReportsEveryBadEntry(t *testing.T) {
	_, err := match.Compile([]string{"", "VSA", "cam*ra"}, []string{"*"})
	if err == nil {
		t.Fatal("Compile: got nil error, want three")
	}
	for _, want := range []string{`keywords[0] ""`, `keywords[2] "cam*ra"`, `exclude[0] "*"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Compile: got %q, want it to contain %q", err, want)
		}
	}
}

func TestCompileAccepts(t *testing.T) {
	for _, kw := range []string{"VSA", "caméra*", "caméra* augmenté*", "l’IA", "C++", "n° 09077", "(VSA)", "2024", "Москва*", "a*", "\u1a6d*", "क\u093f*"} {
		if _, err := match.Compile([]string{kw}, []string{kw}); err != nil {
			t.Errorf("Compile(%q): got %v, want nil", kw, err)
		}
	}
	if _, err := match.Compile(nil, nil); err != nil {
		t.Errorf("Compile(nil, nil): got %v, want nil", err)
	}
}
