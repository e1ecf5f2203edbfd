// Package config loads, completes and validates vigie's YAML configuration.
//
// Decoding is strict: an unknown or misspelt key is an error naming the key
// and its line, so that a typo never silently disables a keyword. Defaults are
// applied first and the file is decoded over them; Validate then reports every
// problem at once.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"time"

	"gopkg.in/yaml.v3"
)

// Source types.
const (
	TypeFeed           = "feed"            // RSS, Atom or JSON Feed (detected)
	TypeSenateQuestion = "senat-questions" // the Senate's written-questions export (CSV)
)

// Defaults.
const (
	DefaultListen       = "127.0.0.1:8080"
	DefaultDatabase     = "vigie.db"
	DefaultSchedule     = "@every 15m"
	DefaultTimeout      = 20 * time.Second
	DefaultRetention    = 30 * 24 * time.Hour
	DefaultMaxBodyBytes = 10 << 20
	DefaultMaxEntries   = 100
	DefaultConcurrency  = 8
	DefaultFeedTitle    = "Veille vigie"
)

// Config is the whole configuration file.
type Config struct {
	Listen       string   `yaml:"listen"`
	Database     string   `yaml:"database"`
	Schedule     string   `yaml:"schedule"`
	Timeout      Duration `yaml:"timeout"`
	Retention    Duration `yaml:"retention"`
	MaxBodyBytes int64    `yaml:"max_body_bytes"`
	Concurrency  int      `yaml:"concurrency"`
	LogFormat    string   `yaml:"log_format"` // text (default) or json
	LogLevel     string   `yaml:"log_level"`  // debug, info (default), warn, error
	Feed         Feed     `yaml:"feed"`
	Sources      []Source `yaml:"sources"`
	Keywords     []string `yaml:"keywords"`
	Exclude      []string `yaml:"exclude"`
	Topics       []Topic  `yaml:"topics"`
	Auth         Auth     `yaml:"auth"`

	// AnnounceFailures publishes an entry in the merged feed when a source
	// has failed for a day or given no item for a week, and one when it
	// recovers (default true).
	AnnounceFailures bool `yaml:"announce_failures"`

	lines lineIndex
}

// Feed describes the merged feed vigie publishes.
type Feed struct {
	Title      string `yaml:"title"`
	URL        string `yaml:"url"` // public URL of the Atom feed
	MaxEntries int    `yaml:"max_entries"`
}

// Source is one upstream feed or export.
type Source struct {
	Name     string   `yaml:"name"`
	URL      string   `yaml:"url"`
	Type     string   `yaml:"type"`
	Schedule string   `yaml:"schedule"`
	Timeout  Duration `yaml:"timeout"`
	// FullText: also match the page each item links to (for the Senate's
	// written questions, the question's page and its answer).
	FullText bool `yaml:"full_text"`
	// FullTextSelector is a CSS selector for the article's text, when
	// automatic extraction needs help.
	FullTextSelector string `yaml:"full_text_selector"`
}

// Topic is an extra feed with its own keywords, published beside the main one.
type Topic struct {
	Name     string   `yaml:"name"`
	Title    string   `yaml:"title"`
	Keywords []string `yaml:"keywords"`
	Exclude  []string `yaml:"exclude"`
}

// Default returns a configuration holding every default value and no source.
func Default() *Config {
	return &Config{
		Listen:       DefaultListen,
		Database:     DefaultDatabase,
		Schedule:     DefaultSchedule,
		Timeout:      Duration(DefaultTimeout),
		Retention:    Duration(DefaultRetention),
		MaxBodyBytes: DefaultMaxBodyBytes,
		Concurrency:  DefaultConcurrency,
		LogFormat:    "text",
		LogLevel:     "info",
		Feed:         Feed{Title: DefaultFeedTitle, MaxEntries: DefaultMaxEntries},

		AnnounceFailures: true,
	}
}

// Load reads, decodes and validates the file at path.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	cfg, err := Parse(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return cfg, nil
}

// Parse decodes a configuration over the defaults, completes it and
// validates it. The error lists every problem found, each naming its key
// and line.
func Parse(r io.Reader) (*Config, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("invalid YAML: %w", err)
	}
	if len(doc.Content) == 0 {
		return nil, errors.New("config is empty")
	}
	cfg := Default()
	cfg.lines = indexLines(&doc)
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	err = dec.Decode(cfg)
	// A TypeError (unknown key, wrong type, bad duration) leaves the rest
	// decoded: validate it too, so that every problem is reported at once.
	var typeErr *yaml.TypeError
	if err != nil && !errors.As(err, &typeErr) {
		return nil, fmt.Errorf("invalid YAML: %w", err)
	}
	problems, stopped := cfg.lines.decodeProblems(typeErr)
	cfg.complete()
	var verr *Error
	if !stopped && errors.As(cfg.Validate(), &verr) {
		problems = append(problems, withoutKeysOf(verr.Problems, problems)...)
	}
	if len(problems) > 0 {
		return nil, &Error{Problems: sortByLine(problems)}
	}
	return cfg, nil
}

// complete fills what the defaults cannot: per-source values inherited from
// the global ones.
func (c *Config) complete() {
	for i := range c.Sources {
		s := &c.Sources[i]
		if s.Type == "" {
			s.Type = TypeFeed
		}
		if s.Schedule == "" {
			s.Schedule = c.Schedule
		}
		if s.Timeout == 0 {
			s.Timeout = c.Timeout
		}
	}
}

// Equal reports whether c and o configure the same thing. Where their keys
// sit in the file (kept to explain problems) does not count: a comment
// added to the file changes no setting.
func (c *Config) Equal(o *Config) bool {
	a, b := *c, *o
	a.lines, b.lines = nil, nil
	return reflect.DeepEqual(a, b)
}

// Error lists every problem found in a configuration.
type Error struct {
	Problems []Problem
}

func (e *Error) Error() string {
	if len(e.Problems) == 1 {
		return "invalid config: " + e.Problems[0].String()
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "invalid config (%d problems):", len(e.Problems))
	for _, p := range e.Problems {
		b.WriteString("\n  ")
		b.WriteString(p.String())
	}
	return b.String()
}
