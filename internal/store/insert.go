package store

import (
	"fmt"
	"strings"

	"gorm.io/gorm"
)

func insertStories(tx *gorm.DB, d dialect, rows []*story) error {
	cols := []string{"id", "entry_id", "link_key", "link", "title", "summary", "content", "author",
		"categories", "published", "updated", "first_seen", "source_name", "source_url", "source_site"}
	err := insertRows(tx, d, "stories", cols, len(rows), func(i int, args []any) []any {
		r := rows[i]
		return append(args, r.ID, r.EntryID, r.LinkKey, r.Link, r.Title, r.Summary, r.Content, r.Author,
			r.Categories, r.Published, r.Updated, r.FirstSeen, r.SourceName, r.SourceURL, r.SourceSite)
	})
	if err != nil {
		return fmt.Errorf("insert stories: %w", err)
	}
	return nil
}

func insertGuids(tx *gorm.DB, d dialect, rows []*guid) error {
	err := insertRows(tx, d, "guids", []string{"source", "guid", "story_id", "hash"}, len(rows), func(i int, args []any) []any {
		r := rows[i]
		return append(args, r.Source, r.GUID, r.StoryID, r.Hash)
	})
	if err != nil {
		return fmt.Errorf("insert guids: %w", err)
	}
	return nil
}

func insertMatches(tx *gorm.DB, d dialect, rows []*match) error {
	err := insertRows(tx, d, "matches", []string{"story_id", "topic", "keywords"}, len(rows), func(i int, args []any) []any {
		r := rows[i]
		return append(args, r.StoryID, r.Topic, r.Keywords)
	})
	if err != nil {
		return fmt.Errorf("insert matches: %w", err)
	}
	return nil
}

// insertRows inserts n rows into table with one statement prepared for
// the transaction, the values of row i appended to args by row. Single-row
// statements need no statement journal, unlike multi-row ones.
func insertRows(tx *gorm.DB, d dialect, table string, cols []string, n int, row func(i int, args []any) []any) error {
	if n == 0 {
		return nil
	}
	ctx := tx.Statement.Context
	vars := make([]string, len(cols))
	for i := range vars {
		vars[i] = d.bindVar(i + 1)
	}
	sql := "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES (" + strings.Join(vars, ", ") + ")"
	stmt, err := tx.Statement.ConnPool.PrepareContext(ctx, sql)
	if err != nil {
		return err
	}
	defer stmt.Close()
	args := make([]any, 0, len(cols))
	for i := range n {
		if _, err := stmt.ExecContext(ctx, row(i, args[:0])...); err != nil {
			return err
		}
	}
	return nil
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
