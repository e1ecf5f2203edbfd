package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/vigie-watch/vigie/internal/pagetext"
	"github.com/vigie-watch/vigie/internal/watch"
	"gorm.io/gorm"
)

// Entries returns the stories published in a topic's feed ("" is the main
// feed), newest first by publication date, with the keywords that made each
// one match. Ties are broken by id, so the order is stable.
func (s *Store) Entries(ctx context.Context, topic string, limit int) ([]watch.Entry, error) {
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
	out := make([]watch.Entry, len(rows))
	for i, row := range rows {
		r := row.Story
		out[i] = watch.Entry{
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
		if r.PageRecord {
			out[i].Record = r.PageText
		} else if r.PageText != "" {
			out[i].Passages = pagetext.Passages(r.PageText, out[i].Keywords)
		}
	}
	stories := make([]story, len(rows))
	for i, row := range rows {
		stories[i] = row.Story
	}
	if err := s.relate(ctx, stories, out); err != nil {
		return nil, err
	}
	return out, nil
}

// Rematch recomputes every stored story's matches with fn (topic to
// keywords, as in watch.Incoming.Matches) and replaces them in one transaction:
// editing keywords applies to what is already stored, without refetching.
// It returns how many stories are published in the main feed.
func (s *Store) Rematch(ctx context.Context, fn func(watch.Text) map[string][]string) (int, error) {
	published := 0
	err := s.write(ctx, func(tx *gorm.DB) error {
		if err := tx.Where("1 = 1").Delete(&match{}).Error; err != nil {
			return fmt.Errorf("clear matches: %w", err)
		}
		var batch []story
		var rows []*match
		res := tx.Select("id", "title", "summary", "content", "categories", "page_text").
			FindInBatches(&batch, 500, func(_ *gorm.DB, _ int) error {
				rows = rows[:0]
				for _, st := range batch {
					m := fn(watch.Text{Title: st.Title, Summary: st.Summary, Content: st.Content, Categories: splitLines(st.Categories), Page: st.PageText})
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

func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// StorySources returns the names of the sources that carried the story
// whose entry id is entryID, the one that carried it first first.
func (s *Store) StorySources(ctx context.Context, entryID string) ([]string, error) {
	var names []string
	err := s.db.WithContext(ctx).Table("guids").
		Select("guids.source").
		Joins("JOIN stories ON stories.id = guids.story_id").
		Where("stories.entry_id = ?", entryID).
		Group("guids.source").
		Order("MIN(CASE WHEN guids.source = stories.source_name THEN 0 ELSE 1 END), MIN(guids.id)").
		Pluck("guids.source", &names).Error
	if err != nil {
		return nil, fmt.Errorf("load sources of %s: %w", entryID, err)
	}
	return names, nil
}

// ForEach calls fn for every stored story, in the order they were stored, read-only.
func (s *Store) ForEach(ctx context.Context, fn func(watch.Text, watch.Summary) error) error {
	var batch []story
	res := s.db.WithContext(ctx).FindInBatches(&batch, 500, func(_ *gorm.DB, _ int) error {
		for _, st := range batch {
			t := watch.Text{Title: st.Title, Summary: st.Summary, Content: st.Content, Categories: splitLines(st.Categories), Page: st.PageText}
			if err := fn(t, watch.Summary{EntryID: st.EntryID, Link: st.Link, Source: st.SourceName, Published: st.Published}); err != nil {
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
