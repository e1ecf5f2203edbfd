package store

import (
	"context"
	"fmt"
	"time"

	"github.com/vigie-watch/vigie/internal/watch"
)

// Hits returns every story published in a feed since since, once per feed,
// with the keywords that made it match there: what activity charts count.
func (s *Store) Hits(ctx context.Context, since time.Time) ([]watch.Hit, error) {
	rows, err := s.db.WithContext(ctx).Table("matches").
		Select("matches.topic, stories.published, matches.keywords").
		Joins("JOIN stories ON stories.id = matches.story_id").
		Where("stories.published >= ?", since.UTC()).
		Rows()
	if err != nil {
		return nil, fmt.Errorf("load hits: %w", err)
	}
	defer rows.Close()
	var out []watch.Hit
	for rows.Next() { // scanned without GORM's reflection: thousands of rows per page
		var h watch.Hit
		var keywords string
		if err := rows.Scan(&h.Topic, &h.Published, &keywords); err != nil {
			return nil, fmt.Errorf("load hits: %w", err)
		}
		h.Published = h.Published.UTC()
		h.Keywords = splitLines(keywords)
		out = append(out, h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("load hits: %w", err)
	}
	return out, nil
}

// PublishedBySource counts, for each source, the stories it carried that
// were published since since in at least one feed. A story carried by two
// sources counts for both.
func (s *Store) PublishedBySource(ctx context.Context, since time.Time) (map[string]int, error) {
	type row struct {
		Source string
		N      int
	}
	var rows []row
	err := s.db.WithContext(ctx).Table("guids").
		Select("guids.source AS source, COUNT(DISTINCT guids.story_id) AS n").
		Joins("JOIN stories ON stories.id = guids.story_id").
		Where("stories.published >= ?", since.UTC()).
		Where("EXISTS (SELECT 1 FROM matches WHERE matches.story_id = guids.story_id)").
		Group("guids.source").
		Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("count published by source: %w", err)
	}
	out := make(map[string]int, len(rows))
	for _, r := range rows {
		out[r.Source] = r.N
	}
	return out, nil
}

// ForEachSince calls fn for every story stored or published since since,
// newest first, read-only, until fn returns false.
func (s *Store) ForEachSince(ctx context.Context, since time.Time, fn func(watch.Text, watch.Summary) bool) error {
	rows, err := s.db.WithContext(ctx).Model(&story{}).
		Select("entry_id", "link", "title", "summary", "content", "categories", "page_text", "source_name", "published").
		Where("published >= ? OR first_seen >= ?", since.UTC(), since.UTC()).
		Order("published DESC, id DESC").
		Rows()
	if err != nil {
		return fmt.Errorf("list recent stories: %w", err)
	}
	defer rows.Close()
	for rows.Next() { // scanned without GORM's reflection: thousands of rows per trial
		var t watch.Text
		var sum watch.Summary
		var categories string
		if err := rows.Scan(&sum.EntryID, &sum.Link, &t.Title, &t.Summary, &t.Content, &categories, &t.Page, &sum.Source, &sum.Published); err != nil {
			return fmt.Errorf("list recent stories: %w", err)
		}
		t.Categories = splitLines(categories)
		sum.Published = sum.Published.UTC()
		if !fn(t, sum) {
			return nil
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("list recent stories: %w", err)
	}
	return nil
}
