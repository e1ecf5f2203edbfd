package store

import (
	"fmt"

	"github.com/vigie-watch/vigie/internal/canon"
	"github.com/vigie-watch/vigie/internal/watch"
)

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
		if err := in.tx.Where("source = ?", in.src.Name).Where(in.d.inList("guid", part)).Find(&rows).Error; err != nil {
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
		keys = append(keys, tombKey(in.src.Name, it.GUID))
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
		if err := in.tx.Where(in.d.inList("entry_id", eids)).Find(&rows).Error; err != nil {
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
		if err := in.tx.Where(in.d.inList("key", part)).Find(&rows).Error; err != nil {
			return fmt.Errorf("load tombstones: %w", err)
		}
		for _, t := range rows {
			in.dead[t.Key] = true
		}
	}
	return nil
}

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
