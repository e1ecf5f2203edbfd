package config_test

import (
	"strings"
	"testing"

	"github.com/vigie-watch/vigie/internal/config"
)

// A topic name may use every kind of character the error message for a
// bad one names: lower-case letters, digits, hyphens and underscores.
func TestTopicNameCharacters(t *testing.T) {
	const yaml = `feed: {title: T}
sources: [{name: s, url: "https://news.example/feed"}]
topics:
  - name: vsa-2_police
    keywords: [VSA]
`
	cfg, err := config.Parse(strings.NewReader(yaml))
	if err != nil {
		t.Fatalf("got %v, want the topic name accepted", err)
	}
	if got := cfg.Topics[0].Name; got != "vsa-2_police" {
		t.Errorf("got topic %q, want %q", got, "vsa-2_police")
	}
}
