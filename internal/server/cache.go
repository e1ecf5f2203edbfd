package server

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sync"
	"time"

	"github.com/vigie-watch/vigie/feeds"
	"github.com/vigie-watch/vigie/internal/config"
	"github.com/vigie-watch/vigie/internal/watch"
)

// rendered is one feed rendering, kept until the data or config changes.
type rendered struct {
	body     []byte
	gzipped  []byte
	etag     string // strong, of body; the gzipped body's is etag + "-gz"
	modified time.Time
	ctype    string
}

// snapshot is what the store gave for one topic at one generation, and
// the renderings made of it.
type snapshot struct {
	gen     int64
	cfg     *config.Config
	base    string
	entries []watch.Entry
	formats map[feeds.Format]*rendered
}

// renderCache holds, per topic, the latest entries read from the store and
// their renderings: the store is read once per change of the data (or of
// the config), and each format rendered once per change, whatever the
// number of requests.
type renderCache struct {
	mu     sync.Mutex
	topics map[string]*snapshot
	// last keeps, per topic and format, the previous rendering, so that
	// Last-Modified never goes back when entries leave a feed.
	last map[cacheKey]*rendered
}

type cacheKey struct {
	topic  string
	format feeds.Format
}

func newRenderCache() *renderCache {
	return &renderCache{topics: map[string]*snapshot{}, last: map[cacheKey]*rendered{}}
}

// entries returns the entries of topic for the store's current generation
// and cfg, reading the store only when they changed. The caller holds c.mu.
func (c *renderCache) entries(ctx context.Context, st Store, cfg *config.Config, base, topic string) (*snapshot, error) {
	gen := st.Generation() // read first: a write during the query makes the next call read again
	if s := c.topics[topic]; s != nil && s.gen == gen && s.cfg == cfg && s.base == base {
		return s, nil
	}
	entries, err := st.Entries(ctx, topic, cfg.Feed.MaxEntries)
	if err != nil {
		return nil, fmt.Errorf("load entries of %q: %w", topic, err)
	}
	s := &snapshot{gen: gen, cfg: cfg, base: base, entries: entries, formats: map[feeds.Format]*rendered{}}
	c.topics[topic] = s
	return s, nil
}

// feed returns the rendering of topic in format f, made at most once per
// snapshot.
func (c *renderCache) feed(ctx context.Context, st Store, cfg *config.Config, base, topic string, f feeds.Format) (*rendered, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	s, err := c.entries(ctx, st, cfg, base, topic)
	if err != nil {
		return nil, err
	}
	if out := s.formats[f]; out != nil {
		return out, nil
	}
	body, err := feeds.Render(f, FeedMeta(cfg, base, topic, f), s.entries)
	if err != nil {
		return nil, err
	}
	out := newRendered(body, f.ContentType(), newest(s.entries))
	key := cacheKey{topic, f}
	if prev := c.last[key]; prev != nil {
		switch {
		case bytes.Equal(prev.body, body):
			out = prev
		case !out.modified.After(prev.modified):
			// Entries left the feed (a keyword edit): what a reader holds
			// is older than this, whatever the newest entry says.
			out.modified = prev.modified.Add(time.Second)
		}
	}
	c.last[key] = out
	s.formats[f] = out
	return out, nil
}

// cachedEntries returns the entries of topic as the feeds render them.
func (c *renderCache) cachedEntries(ctx context.Context, st Store, cfg *config.Config, base, topic string) ([]watch.Entry, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	s, err := c.entries(ctx, st, cfg, base, topic)
	if err != nil {
		return nil, err
	}
	return s.entries, nil
}

func newRendered(body []byte, ctype string, modified time.Time) *rendered {
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression) // the level is valid
	zw.Write(body)
	zw.Close()
	sum := sha256.Sum256(body)
	return &rendered{
		body:     body,
		gzipped:  gz.Bytes(),
		etag:     `"` + hex.EncodeToString(sum[:12]) + `"`,
		modified: modified,
		ctype:    ctype,
	}
}

// newest returns the time of the latest change among entries, by the rule
// the renderers follow (an entry's updated time is the later of Updated and
// Published), or the Unix epoch for an empty feed.
func newest(entries []watch.Entry) time.Time {
	t := time.Unix(0, 0).UTC()
	for _, e := range entries {
		for _, u := range []time.Time{e.Updated, e.Published} {
			if u.After(t) {
				t = u
			}
		}
	}
	return t.UTC().Truncate(time.Second)
}
