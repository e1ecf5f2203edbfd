package store

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
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
	for i := range items {
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
	err := s.write(ctx, func(tx *gorm.DB) error {
		in := newIngestion(tx, st, now, keys)
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

func newIngestion(tx *gorm.DB, st watch.SourceState, now time.Time, keys map[string]string) *ingestion {
	return &ingestion{
		tx: tx, src: st, now: now,
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

const chunk = 400 // SQLite accepts at most 32766 variables; stay far below

// load fetches, in a few queries, the rows the items may refer to: the
// source's GUID rows, the stories whose text the source changed and, for
// GUIDs not seen before, the stories known by their links and the
// tombstones. An unchanged feed thus costs one lookup per item.
func (in *ingestion) load(items []watch.Incoming, hashes []string) error {
	ids := make([]string, len(items))
	for i, it := range items {
		ids[i] = it.GUID
	}
	for part := range chunks(ids) {
		var rows []*guid
		if err := in.tx.Where("source = ?", in.src.Name).Where(inList("guid", part)).Find(&rows).Error; err != nil {
			return fmt.Errorf("load guids: %w", err)
		}
		for _, g := range rows {
			in.guids[g.GUID] = g
		}
	}
	var changed []uint
	var links, keys []string
	for i, it := range items {
		if g := in.guids[it.GUID]; g != nil {
			if g.Hash != hashes[i] {
				changed = append(changed, g.StoryID)
			}
			continue
		}
		keys = append(keys, guidKey(in.src.Name, it.GUID))
		if l := in.linkKey(it.Link); l != "" {
			links = append(links, l)
			keys = append(keys, l)
		}
	}
	for part := range chunks(changed) {
		var rows []*story
		if err := in.tx.Where("id IN ?", part).Find(&rows).Error; err != nil {
			return fmt.Errorf("load stories: %w", err)
		}
		for _, st := range rows {
			in.byID[st.ID] = st
		}
	}
	// A story known by a link has the entry id of that link: the unique
	// index on entry ids finds it, and no index on links is needed.
	for part := range chunks(links) {
		eids := make([]string, len(part))
		for i, l := range part {
			eids[i] = canon.EntryID(l)
		}
		var rows []*story
		if err := in.tx.Where(inList("entry_id", eids)).Find(&rows).Error; err != nil {
			return fmt.Errorf("load stories by link: %w", err)
		}
		for _, st := range rows {
			if st.LinkKey == "" {
				continue // a story known by a GUID only
			}
			if known := in.byID[st.ID]; known != nil {
				st = known // one struct per row: updates made through either map are seen by both
			}
			in.byLink[st.LinkKey] = st
			in.byID[st.ID] = st
		}
	}
	for part := range chunks(keys) {
		var rows []tombstone
		if err := in.tx.Where(inList("key", part)).Find(&rows).Error; err != nil {
			return fmt.Errorf("load tombstones: %w", err)
		}
		for _, t := range rows {
			in.dead[t.Key] = true
		}
	}
	return nil
}

func (in *ingestion) add(it watch.Incoming, hash string, res *watch.IngestResult) error {
	published := len(it.Matches) > 0

	if g := in.guids[it.GUID]; g != nil {
		st := in.byID[g.StoryID]
		if st == nil || g.Hash == hash {
			return nil // unchanged, or a story being created in this batch
		}
		g.Hash = hash
		if err := in.tx.Model(g).Update("hash", hash).Error; err != nil {
			return fmt.Errorf("update guid: %w", err)
		}
		if sameText(st, it.Item) {
			return nil // another feed of the story already gave this text
		}
		// The link may change, its key does not: the story keeps its
		// identity, and no other story can be given the same entry id.
		applyText(st, it.Item)
		st.Updated = in.now
		cols := []string{"title", "link", "summary", "content", "author", "categories", "updated"}
		if it.WantPage { // a new version: its page too
			st.PageDue, st.PageTries = &in.now, 0
			cols = append(cols, "page_due", "page_tries")
		}
		if err := in.tx.Model(st).Select(cols).Updates(st).Error; err != nil {
			return fmt.Errorf("update story: %w", err)
		}
		if err := writeMatches(in.tx, st.ID, it.Matches); err != nil {
			return err
		}
		res.Updated++
		if published {
			res.Published++
		}
		return nil
	}

	linkKey := in.linkKey(it.Link)
	if in.dead[guidKey(in.src.Name, it.GUID)] || (linkKey != "" && in.dead[linkKey]) {
		return nil
	}
	g := &guid{Source: in.src.Name, GUID: it.GUID, Hash: hash}
	in.guids[it.GUID] = g
	if st := in.byLink[linkKey]; linkKey != "" && st != nil {
		// A story already known from another feed or GUID: one entry.
		if p := in.pending[st]; p != nil {
			p.guids = append(p.guids, g)
			return nil
		}
		g.StoryID = st.ID
		in.byID[st.ID] = st
		in.linked = append(in.linked, g)
		return in.wantPage(st, it.WantPage)
	}

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
	if linkKey != "" {
		in.byLink[linkKey] = st
	}
	p := &pending{story: st, guids: []*guid{g}, matches: it.Matches}
	in.created = append(in.created, p)
	in.pending[st] = p
	res.New++
	if published {
		res.Published++
	}
	return nil
}

// flush inserts the stories created, then the GUIDs and matches. It gives
// the stories their ids itself, following the largest ever given: the
// write lock and the immediate transaction keep any other writer out, and
// the rows go in with a few multi-row statements instead of one
// INSERT ... RETURNING per row.
func (in *ingestion) flush() error {
	gs := in.linked
	var ms []*match
	if len(in.created) > 0 {
		next, err := nextStoryID(in.tx)
		if err != nil {
			return err
		}
		rows := make([]*story, len(in.created))
		for i, p := range in.created {
			p.story.ID = next + uint(i)
			rows[i] = p.story
			for _, g := range p.guids {
				g.StoryID = p.story.ID
				gs = append(gs, g)
			}
			ms = append(ms, matchRows(p.story.ID, p.matches)...)
		}
		if err := insertStories(in.tx, rows); err != nil {
			return err
		}
	}
	if err := insertGuids(in.tx, gs); err != nil {
		return err
	}
	return insertMatches(in.tx, ms)
}

// wantPage asks for the page of a stored story that a full-text source
// now carries too, unless it was ever asked for.
func (in *ingestion) wantPage(st *story, want bool) error {
	if !want || st.PageDue != nil || st.PageText != "" || st.PageTries > 0 {
		return nil
	}
	st.PageDue = &in.now
	if err := in.tx.Model(st).Update("page_due", st.PageDue).Error; err != nil {
		return fmt.Errorf("ask for page: %w", err)
	}
	return nil
}

// identityLink is the identity a link gives a story: its canonical form, or ""
// when it names a site's home page rather than an article (some feeds give
// that link to every item: they are not all one story).
func identityLink(link string) string {
	k := canon.Link(link)
	if !strings.ContainsAny(k, "/?") {
		return ""
	}
	return k
}

// sameText reports whether a story already has the text of an item.
func sameText(st *story, it watch.Item) bool {
	return st.Title == it.Title && st.Summary == it.Summary && st.Content == it.Content &&
		canon.Link(st.Link) == canon.Link(it.Link)
}

func applyText(st *story, it watch.Item) {
	st.Title = it.Title
	st.Link = it.Link
	st.Summary = it.Summary
	st.Content = it.Content
	st.Author = it.Author
	st.Categories = strings.Join(it.Categories, "\n")
}

func writeMatches(tx *gorm.DB, storyID uint, m map[string][]string) error {
	if err := tx.Where("story_id = ?", storyID).Delete(&match{}).Error; err != nil {
		return fmt.Errorf("clear matches: %w", err)
	}
	rows := matchRows(storyID, m)
	if len(rows) == 0 {
		return nil
	}
	if err := tx.Create(rows).Error; err != nil {
		return fmt.Errorf("write matches: %w", err)
	}
	return nil
}

func matchRows(storyID uint, m map[string][]string) []*match {
	var rows []*match
	for topic, kws := range m {
		if len(kws) == 0 {
			continue
		}
		rows = append(rows, &match{StoryID: storyID, Topic: topic, Keywords: strings.Join(kws, "\n")})
	}
	return rows
}

// textHash identifies the text of an item as its source gives it.
func textHash(it watch.Item) string {
	h := sha256.New()
	for _, s := range []string{it.Title, it.Link, it.Summary, it.Content} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

func guidKey(source, g string) string { return "guid:" + source + "\x00" + g }

// chunks splits a list for IN clauses.
func chunks[T any](list []T) func(yield func([]T) bool) {
	return func(yield func([]T) bool) {
		for len(list) > 0 {
			n := min(chunk, len(list))
			if !yield(list[:n]) {
				return
			}
			list = list[n:]
		}
	}
}
