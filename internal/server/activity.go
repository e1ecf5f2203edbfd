package server

import (
	"cmp"
	"context"
	"fmt"
	"html/template"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/vigie-watch/vigie/feeds"
	"github.com/vigie-watch/vigie/internal/config"
	"github.com/vigie-watch/vigie/internal/watch"
)

// The span of the activity charts and of the per-source counts.
const (
	activityWeeks = 26
	sourceDays    = 30
	trendWeeks    = 4 // the last weeks compared with the ones before
	chartColours  = 5 // keywords with a colour of their own; the others share one
)

// ActivityReader is what the activity section reads from the database.
type ActivityReader interface {
	// Hits returns the stories published in a feed since a date, once per feed.
	Hits(ctx context.Context, since time.Time) ([]watch.Hit, error)
	// PublishedBySource counts by source the stories published since a date.
	PublishedBySource(ctx context.Context, since time.Time) (map[string]int, error)
}

// activityView is the activity section of the page.
type activityView struct {
	Feeds   []feedActivity
	Sources []sourceActivity
}

// feedActivity is one feed's chart and what it says in words.
type feedActivity struct {
	Title    string
	Total    int
	Recent   int // articles of the last trendWeeks weeks
	Before   int // of the trendWeeks weeks before
	Chart    template.HTML
	Legend   []keywordShare
	Weeks    []weekCount // the text alternative, newest first
	MultiKey bool        // some articles matched several keywords
}

// keywordShare is a keyword of the legend: how many articles it matched
// over the chart's weeks, and its colour class.
type keywordShare struct {
	Keyword string
	Count   int
	Class   string
}

// weekCount is one week of a chart.
type weekCount struct {
	Start time.Time
	Total int
	// ByClass counts the articles by the colour of their first keyword.
	ByClass []int
	Detail  string // "VSA 3, BriefCam 1"
}

// sourceActivity is a source's matched articles and its recent fetches.
type sourceActivity struct {
	Name    string
	Matched int
	Strip   template.HTML
	Summary string
}

// activityCache keeps the charts and counts of the activity section until
// the stored entries, the config or the hour change: drawing them reads
// every entry of 26 weeks.
type activityCache struct {
	mu     sync.Mutex
	key    activityKey
	feeds  []feedActivity
	counts map[string]int
}

type activityKey struct {
	gen  int64
	cfg  *config.Config
	base string
	hour time.Time
}

// activity builds the activity section at now.
func (s *Server) activity(ctx context.Context, cfg *config.Config, base string, now time.Time) (*activityView, error) {
	reader, ok := s.store.(ActivityReader)
	if !ok {
		return nil, nil
	}
	key := activityKey{gen: s.store.Generation(), cfg: cfg, base: base, hour: now.Truncate(time.Hour)}
	c := &s.activityCache
	c.mu.Lock()
	feeds, counts := c.feeds, c.counts
	hit := c.key == key && feeds != nil
	c.mu.Unlock()
	if !hit {
		var err error
		if feeds, counts, err = computeActivity(ctx, reader, cfg, base, now); err != nil {
			return nil, err
		}
		c.mu.Lock()
		c.key, c.feeds, c.counts = key, feeds, counts
		c.mu.Unlock()
	}
	v := &activityView{Feeds: feeds}
	for _, src := range cfg.Sources {
		marks := s.fetchLog.recent(src.Name)
		v.Sources = append(v.Sources, sourceActivity{
			Name: src.Name, Matched: counts[src.Name],
			Strip: drawStrip(marks), Summary: stripSummary(marks),
		})
	}
	return v, nil
}

// computeActivity draws the chart of each feed and counts the articles of
// each source.
func computeActivity(ctx context.Context, reader ActivityReader, cfg *config.Config, base string, now time.Time) ([]feedActivity, map[string]int, error) {
	starts := weekStarts(now, activityWeeks)
	hits, err := reader.Hits(ctx, starts[0])
	if err != nil {
		return nil, nil, err
	}
	byTopic := map[string][]watch.Hit{}
	for _, h := range hits {
		byTopic[h.Topic] = append(byTopic[h.Topic], h)
	}
	charts := []feedActivity{}
	if len(cfg.Keywords) > 0 {
		charts = append(charts, feedChart(cfg.Feed.Title, cfg.Keywords, byTopic[""], starts, "merged"))
	}
	for _, t := range cfg.Topics {
		title := FeedMeta(cfg, base, t.Name, feeds.FormatAtom).Title
		charts = append(charts, feedChart(title, t.Keywords, byTopic[t.Name], starts, "topic-"+t.Name))
	}
	counts, err := reader.PublishedBySource(ctx, now.AddDate(0, 0, -sourceDays))
	if err != nil {
		return nil, nil, err
	}
	return charts, counts, nil
}

// weekStarts returns the Mondays, at midnight in Paris, that start the n
// weeks ending with the week of now, oldest first.
func weekStarts(now time.Time, n int) []time.Time {
	t := now.In(watch.Paris())
	monday := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
	monday = monday.AddDate(0, 0, -((int(monday.Weekday()) + 6) % 7))
	out := make([]time.Time, n)
	for i := range out {
		out[i] = monday.AddDate(0, 0, -7*(n-1-i))
	}
	return out
}

// feedChart counts a feed's hits by week and keyword and draws them.
func feedChart(title string, keywords []string, hits []watch.Hit, starts []time.Time, id string) feedActivity {
	f := feedActivity{Title: title}
	counts := map[string]int{} // articles each keyword matched
	firsts := map[string]int{} // articles whose first keyword it is
	for _, h := range hits {
		for _, k := range h.Keywords {
			counts[k]++
		}
		if len(h.Keywords) > 1 {
			f.MultiKey = true
		}
		if len(h.Keywords) > 0 {
			firsts[h.Keywords[0]]++
		}
	}
	classOf := keywordClasses(keywords, counts, firsts)
	f.Legend = legend(keywords, counts, classOf)

	weeks := make([]weekCount, len(starts))
	details := make([]map[string]int, len(starts))
	for i := range weeks {
		weeks[i] = weekCount{Start: starts[i], ByClass: make([]int, chartColours+1)}
		details[i] = map[string]int{}
	}
	for _, h := range hits {
		i := sort.Search(len(starts), func(i int) bool { return starts[i].After(h.Published) }) - 1
		if i < 0 || len(h.Keywords) == 0 {
			continue
		}
		weeks[i].Total++
		weeks[i].ByClass[classIndex(classOf[h.Keywords[0]])]++
		for _, k := range h.Keywords {
			details[i][k]++
		}
	}
	for i := range weeks {
		weeks[i].Detail = weekDetail(details[i])
		f.Total += weeks[i].Total
		switch {
		case i >= len(weeks)-trendWeeks:
			f.Recent += weeks[i].Total
		case i >= len(weeks)-2*trendWeeks:
			f.Before += weeks[i].Total
		}
	}
	f.Chart = drawChart(id, title, weeks)
	f.Weeks = slices.Clone(weeks)
	slices.Reverse(f.Weeks)
	return f
}

// keywordClasses gives a colour class to the keywords that lead the most
// articles; the others share the last one.
func keywordClasses(keywords []string, counts, firsts map[string]int) map[string]string {
	ranked := slices.Clone(keywords)
	for k := range counts { // a keyword since removed from the config
		if !slices.Contains(ranked, k) {
			ranked = append(ranked, k)
		}
	}
	slices.SortStableFunc(ranked, func(a, b string) int {
		return cmp.Or(cmp.Compare(firsts[b], firsts[a]), cmp.Compare(counts[b], counts[a]))
	})
	out := make(map[string]string, len(ranked))
	for i, k := range ranked {
		out[k] = fmt.Sprintf("k%d", min(i, chartColours))
	}
	return out
}

func classIndex(class string) int {
	var i int
	fmt.Sscanf(class, "k%d", &i)
	return i
}

// legend lists the keywords that matched something, most first, then
// those that matched nothing.
func legend(keywords []string, counts map[string]int, classOf map[string]string) []keywordShare {
	var out []keywordShare
	for k, n := range counts {
		out = append(out, keywordShare{Keyword: k, Count: n, Class: classOf[k]})
	}
	slices.SortFunc(out, func(a, b keywordShare) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Class, b.Class), cmp.Compare(a.Keyword, b.Keyword))
	})
	for _, k := range keywords {
		if counts[k] == 0 {
			out = append(out, keywordShare{Keyword: k, Class: "none"})
		}
	}
	return out
}

// weekDetail says which keywords a week's articles matched, most first.
func weekDetail(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int { return cmp.Or(cmp.Compare(m[b], m[a]), cmp.Compare(a, b)) })
	out := ""
	for i, k := range keys {
		if i > 0 {
			out += ", "
		}
		out += fmt.Sprintf("%s %d", k, m[k])
	}
	return out
}
