package aggregator

import (
	"fmt"
	"slices"

	"github.com/vigie-watch/vigie/internal/config"
	"github.com/vigie-watch/vigie/internal/match"
	"github.com/vigie-watch/vigie/internal/watch"
)

// MainTopic names the main feed among the topics an item is published in.
const MainTopic = ""

// Rules are the compiled keyword rules of a configuration: the main feed's
// and each topic's.
type Rules struct {
	feeds []topicRules // MainTopic first when the config has keywords
}

type topicRules struct {
	name     string
	keywords []string
	exclude  []string
	m        *match.Matcher
}

// CompileRules compiles the keywords of cfg once.
func CompileRules(cfg *config.Config) (*Rules, error) {
	r := &Rules{}
	add := func(name, key string, kw, ex []string) error {
		m, err := match.Compile(kw, ex)
		if err != nil {
			return fmt.Errorf("%s: %w", key, err)
		}
		r.feeds = append(r.feeds, topicRules{name: name, keywords: kw, exclude: ex, m: m})
		return nil
	}
	if len(cfg.Keywords) > 0 {
		if err := add(MainTopic, "keywords", cfg.Keywords, cfg.Exclude); err != nil {
			return nil, err
		}
	}
	for i, t := range cfg.Topics {
		if err := add(t.Name, fmt.Sprintf("topics[%d]", i), t.Keywords, t.Exclude); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// Match returns, for each feed the text is published in, the keywords that
// made it match. A text matching an exclude entry of a feed is not
// published in that feed.
func (r *Rules) Match(title, summary, content string, categories []string) map[string][]string {
	fields := make([]string, 0, 3+len(categories))
	fields = append(fields, title, summary, content)
	fields = append(fields, categories...)
	var out map[string][]string
	for _, f := range r.feeds {
		res := f.m.Match(fields...)
		if !res.Published() {
			continue
		}
		if out == nil {
			out = map[string][]string{}
		}
		out[f.name] = res.Keywords
	}
	return out
}

// MatchText matches a stored story's text, its page's included: each
// field on its own, as Match does.
func (r *Rules) MatchText(t watch.Text) map[string][]string {
	cats := t.Categories
	if t.Page != "" {
		cats = append(cats[:len(cats):len(cats)], t.Page)
	}
	return r.Match(t.Title, t.Summary, t.Content, cats)
}

// Explain matches a text against the main feed's rules (or the first
// topic's when there are no top-level keywords), for `vigie match`.
func (r *Rules) Explain(text string) match.Result {
	if len(r.feeds) == 0 {
		return match.Result{}
	}
	return r.feeds[0].m.Match(text)
}

// Equal reports whether two rule sets publish the same things.
func (r *Rules) Equal(o *Rules) bool {
	if r == nil || o == nil {
		return r == o
	}
	return slices.EqualFunc(r.feeds, o.feeds, func(a, b topicRules) bool {
		return a.name == b.name && slices.Equal(a.keywords, b.keywords) && slices.Equal(a.exclude, b.exclude)
	})
}

// The fields of a story's text, as FoundIn names them.
const (
	FieldTitle      = "title"
	FieldSummary    = "summary"
	FieldContent    = "content"
	FieldCategories = "categories"
	FieldPage       = "page"
)

// FoundIn tells, for the main feed's rules (as Explain), in which fields
// of a story each keyword is found: title, summary, content, categories,
// page. It is for people (`vigie match`), not for publishing.
func (r *Rules) FoundIn(t watch.Text) map[string][]string {
	type field struct{ name, text string }
	fields := []field{{FieldTitle, t.Title}, {FieldSummary, t.Summary}, {FieldContent, t.Content}}
	for _, c := range t.Categories {
		fields = append(fields, field{FieldCategories, c})
	}
	fields = append(fields, field{FieldPage, t.Page})
	out := map[string][]string{}
	for _, f := range fields {
		if f.text == "" {
			continue
		}
		for _, kw := range r.Explain(f.text).Keywords {
			if !slices.Contains(out[kw], f.name) {
				out[kw] = append(out[kw], f.name)
			}
		}
	}
	return out
}
