package feedgen

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

// Defaults of Options.
const (
	DefaultMatchRate  = 0.03
	DefaultRepeatRate = 0.10
	DefaultBaseURL    = "http://127.0.0.1:9000"
	minutesPerItem    = 20 // feeds publish about three items an hour
)

// DefaultNow is the date of the newest items when Options.Now is zero: a
// fixed date keeps the output the same from one run to the next.
var DefaultNow = time.Date(2026, time.March, 2, 12, 0, 0, 0, time.UTC)

// Options describes a set of feeds.
type Options struct {
	Feeds int    // number of feeds
	Items int    // items per feed
	Seed  uint64 // the same seed gives the same bytes
	// MatchRate is the share of stories that carry a default keyword, in
	// the title or in the summary (DefaultMatchRate when 0, none when < 0).
	MatchRate float64
	// RepeatRate is the share of each feed's items whose story another
	// feed carries too, under another GUID and xtor fragment
	// (DefaultRepeatRate when 0, none when < 0).
	RepeatRate float64
	Now        time.Time // date of the newest items (DefaultNow when zero)
	BaseURL    string    // where the feeds are served, for their self links (DefaultBaseURL when empty)
}

// Item describes one generated item, for tests and reports.
type Item struct {
	GUID      string
	Link      string
	Title     string
	Story     int  // the story's number: equal for the same story in two feeds
	Matching  bool // the story carries a default keyword
	Published time.Time
}

// Feed is one generated feed and its representations.
type Feed struct {
	Name     string // source name for the vigie config
	Path     string // URL path, e.g. /feeds/7.rss
	Items    []Item // newest first
	Body     []byte // the RSS document
	Gzipped  []byte // Body gzipped
	ETag     string // strong validator of Body, quoted
	Modified time.Time
}

// Set is a generated set of feeds.
type Set struct {
	BaseURL string
	Feeds   []*Feed
	byPath  map[string]*Feed
}

// Stats sums up a set.
type Stats struct {
	Feeds, Items    int
	Stories         int // distinct stories
	Matching        int // items whose story carries a keyword
	Repeated        int // items whose story another feed carries too
	Bytes, GzBytes  int64
	MatchingPercent float64
	RepeatedPercent float64
}

// Generate builds the feeds described by opts.
func Generate(opts Options) (*Set, error) {
	if opts.Feeds < 1 || opts.Items < 1 {
		return nil, errors.New("feedgen: feeds and items must be at least 1")
	}
	if opts.Feeds*opts.Items > 10_000_000 {
		return nil, errors.New("feedgen: more than 10 million items")
	}
	matchRate := rate(opts.MatchRate, DefaultMatchRate)
	repeatRate := rate(opts.RepeatRate, DefaultRepeatRate)
	if matchRate > 1 || repeatRate > 1 {
		return nil, errors.New("feedgen: rates must be at most 1")
	}
	now := opts.Now
	if now.IsZero() {
		now = DefaultNow
	}
	base := strings.TrimRight(opts.BaseURL, "/")
	if base == "" {
		base = DefaultBaseURL
	}
	n, m := opts.Feeds, opts.Items
	window := m * minutesPerItem
	// Feed f shares shared(f) stories with feed f+1 (a ring), spread so
	// that each feed shares about m*repeatRate items in all.
	perPair := float64(m) * repeatRate / 2
	if n < 2 {
		perPair = 0
	}
	shared := func(f int) int {
		return int(math.Floor(float64(f+1)*perPair)) - int(math.Floor(float64(f)*perPair))
	}
	storyText := func(id int) story {
		return newStory(rand.New(rand.NewPCG(opts.Seed, uint64(id)+1)), matchRate, window)
	}

	set := &Set{BaseURL: base, byPath: map[string]*Feed{}}
	zone := time.FixedZone("", 3600)
	for f := range n {
		sec := sections[f%len(sections)]
		tag := fmt.Sprintf("%s-%d", sec.tag, f)
		feed := &Feed{
			Name: fmt.Sprintf("feedgen %04d %s", f, sec.title),
			Path: fmt.Sprintf("/feeds/%d.rss", f),
		}
		for _, id := range storyIDs(f, n, m, shared) {
			s := storyText(id)
			link := fmt.Sprintf("https://www.francetvinfo.fr/%s/%s_%d.html#xtor=RSS-3-[%s]",
				sections[s.section].path, s.slug, 6_000_000+id, tag)
			feed.Items = append(feed.Items, Item{
				GUID: link, Link: link, Title: s.title, Story: id, Matching: s.matching,
				Published: now.Add(-time.Duration(s.ageMin) * time.Minute).In(zone),
			})
		}
		slices.SortStableFunc(feed.Items, func(a, b Item) int { return b.Published.Compare(a.Published) })
		feed.Modified = feed.Items[0].Published.UTC()
		feed.Body = renderRSS(base, sec.title, sec.path, tag, feed, storyText)
		sum := sha256.Sum256(feed.Body)
		feed.ETag = `"` + hex.EncodeToString(sum[:10]) + `"`
		var gz bytes.Buffer
		zw := gzip.NewWriter(&gz)
		zw.Write(feed.Body)
		zw.Close()
		feed.Gzipped = gz.Bytes()
		set.Feeds = append(set.Feeds, feed)
		set.byPath[feed.Path] = feed
	}
	return set, nil
}

// storyIDs returns the m stories of feed f among n: first those it shares
// with the next feed, then those it shares with the previous one, then its
// own.
func storyIDs(f, n, m int, shared func(int) int) []int {
	var ids []int
	prev := (f - 1 + n) % n
	for k := range min(shared(f), m) {
		ids = append(ids, n*m+f*m+k)
	}
	for k := range min(shared(prev), m-len(ids)) {
		ids = append(ids, n*m+prev*m+k)
	}
	for j := 0; len(ids) < m; j++ {
		ids = append(ids, f*m+j)
	}
	return ids
}

func rate(v, def float64) float64 {
	switch {
	case v == 0:
		return def
	case v < 0:
		return 0
	}
	return v
}

// URL returns the address of feed f.
func (s *Set) URL(f *Feed) string { return s.BaseURL + f.Path }

// Stats counts the set's items, matching and repeated ones, and bytes.
func (s *Set) Stats() Stats {
	st := Stats{Feeds: len(s.Feeds)}
	carriers := map[int]int{}
	for _, f := range s.Feeds {
		for _, it := range f.Items {
			carriers[it.Story]++
		}
	}
	st.Stories = len(carriers)
	for _, f := range s.Feeds {
		st.Bytes += int64(len(f.Body))
		st.GzBytes += int64(len(f.Gzipped))
		for _, it := range f.Items {
			st.Items++
			if it.Matching {
				st.Matching++
			}
			if carriers[it.Story] > 1 {
				st.Repeated++
			}
		}
	}
	if st.Items > 0 {
		st.MatchingPercent = 100 * float64(st.Matching) / float64(st.Items)
		st.RepeatedPercent = 100 * float64(st.Repeated) / float64(st.Items)
	}
	return st
}
