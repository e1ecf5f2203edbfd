package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"

	"github.com/vigie-watch/vigie/internal/canon"
	"github.com/vigie-watch/vigie/internal/watch"
)

// Ingest stores a source's fetched items and its new state in one
// transaction. An item is the same story as a stored one when its source
// already gave its GUID, or when its canonical link is already known from
// any source. A story changes (same id, new text, Updated = now) only when
// the source that gives it changes its text; items of stories deleted by
// retention are ignored.
func (s *Store) Ingest(ctx context.Context, st watch.SourceState, items []watch.Incoming, now time.Time) (watch.IngestResult, error) {
	now = now.UTC()
	res := watch.IngestResult{Seen: len(items)}
	items = slices.Clone(items)
	st = s.storableState(st)
	for i := range items {
		items[i].Item = storableItem(s.d, items[i].Item)
		// Parsers always give a GUID; a caller that does not still gets
		// one story per item.
		if items[i].GUID == "" {
			items[i].GUID = cmp.Or(items[i].Link, "title:"+items[i].Title)
		}
	}
	// What needs no database is computed before taking the write lock,
	// for which the other sources wait.
	hashes := make([]string, len(items))
	keys := make(map[string]string, len(items))
	for i, it := range items {
		hashes[i] = textHash(it.Item)
		if _, ok := keys[it.Link]; !ok {
			keys[it.Link] = identityLink(it.Link)
		}
	}
	// Grouped with other sources' writes: the work starts from scratch
	// each time it runs (see writeGrouped).
	err := s.writeGrouped(ctx, func(tx *gorm.DB) error {
		res = watch.IngestResult{Seen: len(items)}
		in := newIngestion(tx, s.d, st, now, keys)
		if err := in.load(items, hashes); err != nil {
			return err
		}
		for i, it := range items {
			if err := in.add(it, hashes[i], &res); err != nil {
				return err
			}
		}
		if err := in.flush(); err != nil {
			return err
		}
		st.ItemsSeen = len(items)
		return saveSource(tx, st)
	})
	if err != nil {
		return watch.IngestResult{}, fmt.Errorf("ingest %s: %w", st.Name, err)
	}
	if res.New > 0 || res.Updated > 0 {
		s.gen.Add(1)
	}
	return res, nil
}

// ingestion is the work of one Ingest call: the rows it looked up in bulk
// and the stories it creates.
type ingestion struct {
	tx      *gorm.DB
	d       dialect
	src     watch.SourceState
	now     time.Time
	guids   map[string]*guid  // by GUID, for this source
	byLink  map[string]*story // by canonical link
	byID    map[uint]*story
	dead    map[string]bool     // tombstoned keys
	created []*pending          // in insertion order
	pending map[*story]*pending // the same, by story
	linked  []*guid             // new GUIDs of stored stories
	keys    map[string]string   // identityLink of each link, computed before the lock
}

// pending is a story created by this ingestion, with the GUID row and the
// matches to write once its ID is known.
type pending struct {
	story   *story
	guids   []*guid
	matches map[string][]string
}

func newIngestion(tx *gorm.DB, d dialect, st watch.SourceState, now time.Time, keys map[string]string) *ingestion {
	return &ingestion{
		tx: tx, d: d, src: st, now: now,
		guids:   map[string]*guid{},
		byLink:  map[string]*story{},
		byID:    map[uint]*story{},
		dead:    map[string]bool{},
		pending: map[*story]*pending{},
		keys:    keys,
	}
}

func (in *ingestion) linkKey(link string) string {
	k, ok := in.keys[link]
	if !ok {
		k = identityLink(link)
		in.keys[link] = k
	}
	return k
}

// add takes one item into the ingestion: an update of the story its
// source gave under that GUID, a new GUID of a story known by its link, or
// a new story. Items of stories deleted by retention are ignored.
func (in *ingestion) add(it watch.Incoming, hash string, res *watch.IngestResult) error {
	if g := in.guids[it.GUID]; g != nil {
		return in.update(g, it, hash, res)
	}
	linkKey := in.linkKey(it.Link)
	if in.dead[tombKey(in.src.Name, it.GUID)] || (linkKey != "" && in.dead[linkKey]) {
		return nil
	}
	g := &guid{Source: in.src.Name, GUID: it.GUID, Hash: hash}
	in.guids[it.GUID] = g
	if st := in.byLink[linkKey]; linkKey != "" && st != nil {
		in.link(g, st)
		return in.wantPage(st, it.WantPage)
	}
	in.create(it, g, linkKey, res)
	return nil
}

// update applies the new text a source gives for a GUID it gave before.
// The story changes only when its text differs from what it has: another
// feed of the story may already have given this text.
func (in *ingestion) update(g *guid, it watch.Incoming, hash string, res *watch.IngestResult) error {
	st := in.byID[g.StoryID]
	if st == nil || g.Hash == hash {
		return nil // unchanged, or a story being created in this batch
	}
	g.Hash = hash
	if err := in.tx.Model(g).Update("hash", hash).Error; err != nil {
		return fmt.Errorf("update guid: %w", err)
	}
	if sameText(st, it.Item) {
		return nil
	}
	// The link may change, its key does not: the story keeps its
	// identity, and no other story can be given the same entry id.
	applyText(st, it.Item)
	st.Updated = in.now
	cols := []string{"title", "link", "summary", "content", "author", "categories", "updated", "recalls"}
	if it.WantPage { // a new version: its page too
		st.PageDue, st.PageTries = &in.now, 0
		cols = append(cols, "page_due", "page_tries")
	}
	if err := in.tx.Model(st).Select(cols).Updates(st).Error; err != nil {
		return fmt.Errorf("update story: %w", err)
	}
	matches := it.Matches
	if st.PageText != "" && it.MatchText != nil {
		matches = it.MatchText(watch.Text{Title: st.Title, Summary: st.Summary, Content: st.Content,
			Categories: splitLines(st.Categories), Page: st.PageText})
	}
	if err := writeMatches(in.tx, st.ID, matches); err != nil {
		return err
	}
	res.Updated++
	if len(matches) > 0 {
		res.Published++
	}
	return nil
}

// link records a new GUID of a story already known from another feed or
// GUID by its link: one story, one entry.
func (in *ingestion) link(g *guid, st *story) {
	if p := in.pending[st]; p != nil {
		p.guids = append(p.guids, g)
		return
	}
	g.StoryID = st.ID
	in.byID[st.ID] = st
	in.linked = append(in.linked, g)
}

// wantPage asks for the page of a stored story that a full-text source
// now carries too, unless it was ever asked for. A story being created in
// this batch already has what its first item asked.
func (in *ingestion) wantPage(st *story, want bool) error {
	if !want || in.pending[st] != nil || st.PageDue != nil || st.PageText != "" || st.PageTries > 0 {
		return nil
	}
	st.PageDue = &in.now
	if err := in.tx.Model(st).Update("page_due", st.PageDue).Error; err != nil {
		return fmt.Errorf("ask for page: %w", err)
	}
	return nil
}

// create makes a new story of an item, written by flush with its GUID and
// matches.
func (in *ingestion) create(it watch.Incoming, g *guid, linkKey string, res *watch.IngestResult) {
	st := in.newStory(it, linkKey)
	if linkKey != "" {
		in.byLink[linkKey] = st
	}
	p := &pending{story: st, guids: []*guid{g}, matches: it.Matches}
	in.created = append(in.created, p)
	in.pending[st] = p
	res.New++
	if len(it.Matches) > 0 {
		res.Published++
	}
}

// newStory is the story an item starts: its entry id from its link, or from
// its GUID when it has none; its dates within what the clock allows.
func (in *ingestion) newStory(it watch.Incoming, linkKey string) *story {
	key := linkKey
	if key == "" {
		key = guidKey(in.src.Name, it.GUID)
	}
	st := &story{
		EntryID:    canon.EntryID(key),
		LinkKey:    linkKey,
		FirstSeen:  in.now,
		SourceName: in.src.Name,
		SourceURL:  in.src.URL,
		SourceSite: in.src.SiteURL,
	}
	applyText(st, it.Item)
	if it.WantPage {
		st.PageDue = &in.now
	}
	st.Published = it.Published.UTC()
	if st.Published.IsZero() || st.Published.After(in.now) {
		st.Published = in.now
	}
	st.Updated = it.Updated.UTC()
	if st.Updated.Before(st.Published) || st.Updated.After(in.now) {
		st.Updated = st.Published
	}
	return st
}

// flush inserts the stories created, then the GUIDs and matches. It gives
// the stories their ids itself, drawn from the dialect under the write
// lock, and
// the rows go in with a few multi-row statements instead of one
// INSERT ... RETURNING per row.
func (in *ingestion) flush() error {
	gs := in.linked
	var ms []*match
	if len(in.created) > 0 {
		ids, err := in.d.storyIDs(in.tx, len(in.created))
		if err != nil {
			return err
		}
		rows := make([]*story, len(in.created))
		for i, p := range in.created {
			p.story.ID = ids[i]
			rows[i] = p.story
			for _, g := range p.guids {
				g.StoryID = p.story.ID
				gs = append(gs, g)
			}
			ms = append(ms, matchRows(p.story.ID, p.matches)...)
		}
		if err := insertStories(in.tx, in.d, rows); err != nil {
			return err
		}
	}
	if err := insertGuids(in.tx, in.d, gs); err != nil {
		return err
	}
	return insertMatches(in.tx, in.d, ms)
}
