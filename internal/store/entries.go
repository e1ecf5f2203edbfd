package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/vigie-watch/vigie/feeds"
)

// Entries returns the stories published in a topic's feed ("" is the main
// feed), newest first by publication date, with the keywords that made each
// one match. Ties are broken by id, so the order is stable.
func (s *Store) Entries(ctx context.Context, topic string, limit int) ([]feeds.Entry, error) {
	type row struct {
		Story    story `gorm:"embedded"`
		Keywords string
	}
	var rows []row
	err := s.db.WithContext(ctx).Table("stories").
		Select("stories.*, matches.keywords").
		Joins("JOIN matches ON matches.story_id = stories.id AND matches.topic = ?", topic).
		Order("stories.published DESC, stories.id DESC").
		Limit(limit).
		Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("load entries: %w", err)
	}
	out := make([]feeds.Entry, len(rows))
	for i, row := range rows {
		r := row.Story
		out[i] = feeds.Entry{
			ID:         r.EntryID,
			Title:      r.Title,
			Link:       r.Link,
			Summary:    r.Summary,
			Content:    r.Content,
			Author:     r.Author,
			Published:  r.Published.UTC(),
			Updated:    r.Updated.UTC(),
			Source:     r.SourceName,
			SourceURL:  r.SourceURL,
			SourceSite: r.SourceSite,
			Keywords:   splitLines(row.Keywords),
		}
	}
	return out, nil
}

// Text is what matching reads of a stored story.
type Text struct {
	Title, Summary, Content string
	Categories              []string
}

// Rematch recomputes every stored story's matches with fn (topic to
// keywords, as in Incoming.Matches) and replaces them in one transaction:
// editing keywords applies to what is already stored, without refetching.
// It returns how many stories are published in the main feed.
func (s *Store) Rematch(ctx context.Context, fn func(Text) map[string][]string) (int, error) {
	published := 0
	err := s.write(ctx, func(tx *gorm.DB) error {
		if err := tx.Where("1 = 1").Delete(&match{}).Error; err != nil {
			return fmt.Errorf("clear matches: %w", err)
		}
		var batch []story
		var rows []*match
		res := tx.Select("id", "title", "summary", "content", "categories").
			FindInBatches(&batch, 500, func(_ *gorm.DB, _ int) error {
				rows = rows[:0]
				for _, st := range batch {
					m := fn(Text{Title: st.Title, Summary: st.Summary, Content: st.Content, Categories: splitLines(st.Categories)})
					if len(m[""]) > 0 {
						published++
					}
					rows = append(rows, matchRows(st.ID, m)...)
				}
				if len(rows) == 0 {
					return nil
				}
				return tx.CreateInBatches(rows, 200).Error
			})
		if res.Error != nil {
			return fmt.Errorf("rematch: %w", res.Error)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	s.gen.Add(1)
	return published, nil
}

// Prune deletes the stories first seen before cutoff that are published in
// no feed, and leaves a tombstone for each so that it is never ingested
// again as new. Tombstones older than tombCutoff are forgotten.
func (s *Store) Prune(ctx context.Context, cutoff, tombCutoff time.Time) (int, error) {
	deleted := 0
	err := s.write(ctx, func(tx *gorm.DB) error {
		var doomed []story
		err := tx.Select("id", "link_key").
			Where("first_seen < ? AND NOT EXISTS (SELECT 1 FROM matches WHERE matches.story_id = stories.id)", cutoff.UTC()).
			Find(&doomed).Error
		if err != nil {
			return fmt.Errorf("find expired stories: %w", err)
		}
		if len(doomed) == 0 {
			return tx.Where("removed < ?", tombCutoff.UTC()).Delete(&tombstone{}).Error
		}
		now := time.Now().UTC()
		var ids []uint
		var stones []tombstone
		for _, d := range doomed {
			ids = append(ids, d.ID)
			if d.LinkKey != "" {
				stones = append(stones, tombstone{Key: d.LinkKey, Removed: now})
			}
		}
		for part := range chunks(ids) {
			var gs []guid
			if err := tx.Where("story_id IN ?", part).Find(&gs).Error; err != nil {
				return fmt.Errorf("find expired guids: %w", err)
			}
			for _, g := range gs {
				stones = append(stones, tombstone{Key: guidKey(g.Source, g.GUID), Removed: now})
			}
			if err := tx.Where("story_id IN ?", part).Delete(&guid{}).Error; err != nil {
				return fmt.Errorf("delete guids: %w", err)
			}
			if err := tx.Where("id IN ?", part).Delete(&story{}).Error; err != nil {
				return fmt.Errorf("delete stories: %w", err)
			}
		}
		if err := tx.Save(&stones).Error; err != nil {
			return fmt.Errorf("write tombstones: %w", err)
		}
		deleted = len(doomed)
		return tx.Where("removed < ?", tombCutoff.UTC()).Delete(&tombstone{}).Error
	})
	if err != nil {
		return 0, fmt.Errorf("prune: %w", err)
	}
	return deleted, nil
}

func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// Summary is what listings show of a stored story.
type Summary struct {
	EntryID   string
	Link      string
	Source    string
	Published time.Time
}

// ForEach calls fn for every stored story, in the order they were stored, read-only.
func (s *Store) ForEach(ctx context.Context, fn func(Text, Summary) error) error {
	var batch []story
	res := s.db.WithContext(ctx).FindInBatches(&batch, 500, func(_ *gorm.DB, _ int) error {
		for _, st := range batch {
			t := Text{Title: st.Title, Summary: st.Summary, Content: st.Content, Categories: splitLines(st.Categories)}
			if err := fn(t, Summary{EntryID: st.EntryID, Link: st.Link, Source: st.SourceName, Published: st.Published}); err != nil {
				return err
			}
		}
		return nil
	})
	if res.Error != nil {
		return fmt.Errorf("list stories: %w", res.Error)
	}
	return nil
}
