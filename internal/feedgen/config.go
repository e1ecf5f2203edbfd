package feedgen

import (
	"fmt"
	"io"

	"gopkg.in/yaml.v3"
)

// DefaultKeywords and DefaultExclude are those of vigie's default
// config.yaml (a test keeps them equal).
var (
	DefaultKeywords = []string{
		"reconnaissance faciale", "reconnaissance biométrique", "identification biométrique",
		"vidéosurveillance algorithmique", "VSA", "caméras augmentées", "BriefCam", "Technopolice",
	}
	DefaultExclude = []string{"Face ID"}
)

// ConfigOptions are the settings of a vigie configuration written for a set.
type ConfigOptions struct {
	Listen      string // vigie's HTTP address
	Database    string // SQLite file
	Concurrency int    // 0 leaves vigie's default
}

type configFile struct {
	Listen      string         `yaml:"listen"`
	Database    string         `yaml:"database"`
	Schedule    string         `yaml:"schedule"`
	Timeout     string         `yaml:"timeout"`
	Concurrency int            `yaml:"concurrency,omitempty"`
	LogLevel    string         `yaml:"log_level"`
	Feed        configFeed     `yaml:"feed"`
	Sources     []configSource `yaml:"sources"`
	Keywords    []string       `yaml:"keywords"`
	Exclude     []string       `yaml:"exclude"`
}

type configFeed struct {
	Title      string `yaml:"title"`
	URL        string `yaml:"url"`
	MaxEntries int    `yaml:"max_entries"`
}

type configSource struct {
	Name string `yaml:"name"`
	URL  string `yaml:"url"`
}

// WriteConfig writes a vigie configuration listing every feed of s, with the
// default keywords, so that `vigie fetch --config FILE` reads them all.
func (s *Set) WriteConfig(w io.Writer, opts ConfigOptions) error {
	cf := configFile{
		Listen:      opts.Listen,
		Database:    opts.Database,
		Schedule:    "@every 15m",
		Timeout:     "20s",
		Concurrency: opts.Concurrency,
		LogLevel:    "warn",
		Feed: configFeed{
			Title:      "Veille : reconnaissance faciale (banc d’essai)",
			URL:        "http://" + opts.Listen + "/feed.atom",
			MaxEntries: 100,
		},
		Keywords: DefaultKeywords,
		Exclude:  DefaultExclude,
	}
	for _, f := range s.Feeds {
		cf.Sources = append(cf.Sources, configSource{Name: f.Name, URL: s.URL(f)})
	}
	fmt.Fprintf(w, "# Written by feedgen: %d synthetic feeds served on %s.\n", len(s.Feeds), s.BaseURL)
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(cf); err != nil {
		return fmt.Errorf("write config: %w", err)
	}
	return enc.Close()
}
