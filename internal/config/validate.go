package config

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/andybalholm/cascadia"
	"github.com/robfig/cron/v3"
	"gopkg.in/yaml.v3"

	"github.com/vigie-watch/vigie/internal/dburl"
	"github.com/vigie-watch/vigie/internal/match"
)

// Validate checks every field and returns an *Error listing all problems,
// each naming the key (and its line when the config came from a file).
func (c *Config) Validate() error {
	v := validator{lines: c.lines}
	v.settings(c)
	v.feed(c.Feed)
	v.sources(c)
	v.words("keywords", c.Keywords)
	v.words("exclude", c.Exclude)
	if len(c.Keywords) == 0 && len(c.Topics) == 0 {
		v.add("keywords", "at least one keyword is needed, or a topic")
	}
	v.topics(c.Topics)
	v.auth(c.Auth)
	return v.err()
}

// settings checks the top-level settings.
func (v *validator) settings(c *Config) {
	if err := checkListen(c.Listen); err != nil {
		v.add("listen", "%v", err)
	}
	if strings.TrimSpace(c.Database) == "" {
		v.add("database", "must not be empty")
	} else if dburl.IsPostgres(c.Database) {
		if err := dburl.Validate(c.Database); err != nil {
			v.add("database", "%v", err)
		}
	}
	if err := ValidateSchedule(c.Schedule); err != nil {
		v.add("schedule", "%v", err)
	}
	if c.Timeout <= 0 {
		v.add("timeout", "must be positive")
	}
	if c.Retention <= 0 {
		v.add("retention", "must be positive")
	}
	if c.MaxBodyBytes <= 0 {
		v.add("max_body_bytes", "must be positive")
	}
	if c.Concurrency < 1 || c.Concurrency > 256 {
		v.add("concurrency", "must be between 1 and 256, got %d", c.Concurrency)
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		v.add("log_format", "must be text or json, got %q", c.LogFormat)
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		v.add("log_level", "must be debug, info, warn or error, got %q", c.LogLevel)
	}
}

// feed checks the merged feed's settings.
func (v *validator) feed(f Feed) {
	if strings.TrimSpace(f.Title) == "" {
		v.add("feed.title", "must not be empty")
	}
	if f.URL != "" {
		if err := checkHTTPURL(f.URL); err != nil {
			v.add("feed.url", "%v", err)
		}
	}
	if f.MaxEntries < 1 {
		v.add("feed.max_entries", "must be at least 1")
	}
}

// sources checks every source; a value inherited from the global settings
// is reported once, at its own key.
func (v *validator) sources(c *Config) {
	if len(c.Sources) == 0 {
		v.add("sources", "at least one source is needed")
	}
	names := map[string]int{}
	for i, s := range c.Sources {
		key := fmt.Sprintf("sources[%d]", i)
		if strings.TrimSpace(s.Name) == "" {
			v.add(key+".name", "must not be empty")
		} else if j, dup := names[strings.ToLower(s.Name)]; dup {
			v.add(key+".name", "%q is already the name of sources[%d]", s.Name, j)
		} else {
			names[strings.ToLower(s.Name)] = i
		}
		if err := checkHTTPURL(s.URL); err != nil {
			v.add(key+".url", "%v", err)
		}
		if s.Type != TypeFeed && s.Type != TypeSenateQuestion {
			v.add(key+".type", "unknown type %q: want %s or %s", s.Type, TypeFeed, TypeSenateQuestion)
		}
		if err := ValidateSchedule(s.Schedule); err != nil && s.Schedule != c.Schedule {
			v.add(key+".schedule", "%v", err)
		}
		if s.Timeout <= 0 && s.Timeout != c.Timeout {
			v.add(key+".timeout", "must be positive")
		}
		if s.FullTextSelector != "" {
			if _, err := cascadia.Compile(s.FullTextSelector); err != nil {
				v.add(key+".full_text_selector", "invalid CSS selector %q: %v", s.FullTextSelector, err)
			} else if !s.FullText {
				v.add(key+".full_text_selector", "has no effect without full_text: true")
			}
		}
	}
}

// topics checks every topic: a name fit for a URL, used once, and keywords.
func (v *validator) topics(topics []Topic) {
	seen := map[string]bool{}
	for i, t := range topics {
		key := fmt.Sprintf("topics[%d]", i)
		if !validTopicName(t.Name) {
			v.add(key+".name", "%q: want lower-case letters, digits, hyphens and underscores (it names /topics/NAME.atom)", t.Name)
		} else if seen[t.Name] {
			v.add(key+".name", "%q is used twice", t.Name)
		}
		seen[t.Name] = true
		if len(t.Keywords) == 0 {
			v.add(key+".keywords", "at least one keyword is needed")
		}
		v.words(key+".keywords", t.Keywords)
		v.words(key+".exclude", t.Exclude)
	}
}

// ValidateSchedule parses a robfig/cron spec (5 fields or a descriptor such
// as @hourly or @every 10m) without letting the parser's panics escape.
func ValidateSchedule(spec string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("invalid schedule %q (want 5 cron fields, @hourly, @every 10m...)", spec)
		}
	}()
	if strings.TrimSpace(spec) == "" {
		return fmt.Errorf("schedule must not be empty")
	}
	if tz, ok := strings.CutPrefix(strings.TrimSpace(spec), "CRON_TZ="); ok || strings.HasPrefix(spec, "TZ=") {
		if !ok {
			tz = strings.TrimPrefix(strings.TrimSpace(spec), "TZ=")
		}
		if !strings.ContainsAny(strings.TrimSpace(tz), " \t") {
			return fmt.Errorf("invalid schedule %q: a time zone needs a schedule after it, such as TZ=Europe/Paris 0 8 * * *", spec)
		}
	}
	sched, err := cron.ParseStandard(spec)
	if err != nil {
		return fmt.Errorf("invalid schedule %q: %w (want 5 cron fields, @hourly, @every 10m...)", spec, err)
	}
	if _, ok := sched.(cron.ConstantDelaySchedule); ok {
		// cron silently turns an interval under a second, even a negative
		// one, into a second.
		_, every, _ := strings.Cut(spec, "@every")
		if d, err := time.ParseDuration(strings.TrimSpace(every)); err == nil && d < time.Second {
			return fmt.Errorf("invalid schedule %q: the interval must be at least 1s", spec)
		}
	} else if sched.Next(time.Now()).IsZero() {
		return fmt.Errorf("invalid schedule %q: it never fires", spec)
	}
	return nil
}

// checkListen accepts host:port with a numeric port, the host being empty
// (every interface), an IP address or a name.
func checkListen(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("invalid address %q: want host:port such as 127.0.0.1:8080", addr)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return fmt.Errorf("invalid address %q: the port must be a number from 0 to 65535", addr)
	}
	if strings.ContainsAny(host, " /") {
		return fmt.Errorf("invalid address %q: invalid host %q", addr, host)
	}
	return nil
}

func checkHTTPURL(raw string) error {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return fmt.Errorf("invalid URL %q: %w", raw, err)
	}
	// Redacted: a password in the URL stays out of logs.
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("invalid URL %q: want an http:// or https:// URL", u.Redacted())
	}
	if u.Host == "" {
		return fmt.Errorf("invalid URL %q: no host", u.Redacted())
	}
	return nil
}

func validTopicName(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

type validator struct {
	lines    lineIndex
	problems []Problem
}

func (v *validator) add(key, format string, args ...any) {
	line, _ := v.lines.find(key)
	v.problems = append(v.problems, Problem{Line: line, Key: key, Message: fmt.Sprintf(format, args...)})
}

// words checks each keyword of a list with the matcher's own rules, so that
// a keyword error is reported with the others, at its line.
func (v *validator) words(key string, list []string) {
	for i, w := range list {
		if err := CheckKeyword(w); err != nil {
			v.add(fmt.Sprintf("%s[%d]", key, i), "%v", err)
		}
	}
}

func (v *validator) err() error {
	if len(v.problems) == 0 {
		return nil
	}
	return &Error{Problems: v.problems}
}

// CheckKeyword checks one keyword with the matcher's own rules; its error
// is the one `vigie check` reports at the keyword's line.
func CheckKeyword(w string) error {
	if strings.TrimSpace(strings.Trim(w, "*")) == "" {
		return fmt.Errorf("empty keyword %q", w)
	}
	if _, err := match.Compile([]string{w}, nil); err != nil {
		var kerr *match.KeywordError
		if errors.As(err, &kerr) {
			err = kerr.Err
		}
		return fmt.Errorf("%q: %w", w, err)
	}
	return nil
}

// lineIndex maps a key path such as "sources[2].schedule" to its line.
type lineIndex map[string]int

// find returns the line of key or, when the key is absent from the file
// (a default value), of its closest parent.
func (idx lineIndex) find(key string) (int, bool) {
	for key != "" {
		if line, ok := idx[key]; ok {
			return line, true
		}
		i := strings.LastIndexAny(key, ".[")
		if i < 0 {
			break
		}
		key = key[:i]
	}
	return 0, false
}

func indexLines(doc *yaml.Node) lineIndex {
	idx := lineIndex{}
	var walk func(n *yaml.Node, path string)
	walk = func(n *yaml.Node, path string) {
		switch n.Kind {
		case yaml.DocumentNode:
			for _, c := range n.Content {
				walk(c, path)
			}
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, val := n.Content[i], n.Content[i+1]
				p := k.Value
				if path != "" {
					p = path + "." + k.Value
				}
				idx[p] = k.Line
				walk(val, p)
			}
		case yaml.SequenceNode:
			for i, c := range n.Content {
				p := fmt.Sprintf("%s[%d]", path, i)
				idx[p] = c.Line
				walk(c, p)
			}
		}
	}
	walk(doc, "")
	return idx
}
