package store

import (
	"database/sql"
	"fmt"
	"strings"

	"gorm.io/gorm"
)

func insertStories(tx *gorm.DB, d dialect, rows []*story) error {
	cols := []string{"id", "entry_id", "link_key", "link", "title", "summary", "content", "author",
		"categories", "published", "updated", "first_seen", "source_name", "source_url", "source_site", "page_due", "recalls"}
	err := insertRows(tx, d, "stories", cols, len(rows), func(i int, args []any) []any {
		r := rows[i]
		return append(args, r.ID, r.EntryID, r.LinkKey, r.Link, r.Title, r.Summary, r.Content, r.Author,
			r.Categories, r.Published, r.Updated, r.FirstSeen, r.SourceName, r.SourceURL, r.SourceSite, r.PageDue, r.Recalls)
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

// insertRows inserts n rows into table, the values of row i appended to
// args by row, with statements prepared for the transaction of as many
// rows each as the dialect prefers: SQLite one (single-row statements
// need no statement journal), PostgreSQL many (one round trip each).
func insertRows(tx *gorm.DB, d dialect, table string, cols []string, n int, row func(i int, args []any) []any) error {
	ctx := tx.Statement.Context
	per := d.rowsPerInsert()
	var stmt *sql.Stmt
	defer func() {
		if stmt != nil {
			stmt.Close()
		}
	}()
	prepared := 0 // rows of stmt
	args := make([]any, 0, len(cols)*min(per, n))
	for start := 0; start < n; start += per {
		k := min(per, n-start)
		if k != prepared {
			if stmt != nil {
				stmt.Close()
			}
			var err error
			if stmt, err = tx.Statement.ConnPool.PrepareContext(ctx, insertSQL(d, table, cols, k)); err != nil {
				return err
			}
			prepared = k
		}
		args = args[:0]
		for i := start; i < start+k; i++ {
			args = row(i, args)
		}
		if _, err := stmt.ExecContext(ctx, args...); err != nil {
			return err
		}
	}
	return nil
}

// insertSQL is an INSERT of k rows of cols.
func insertSQL(d dialect, table string, cols []string, k int) string {
	var b strings.Builder
	b.WriteString("INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES ")
	v := 0
	for r := range k {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for c := range cols {
			if c > 0 {
				b.WriteString(", ")
			}
			v++
			b.WriteString(d.bindVar(v))
		}
		b.WriteByte(')')
	}
	return b.String()
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
