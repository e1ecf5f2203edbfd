package store

import (
	"fmt"

	"gorm.io/gorm"
)

// migrateSourceWatch adds what the engine keeps of a source across
// restarts beyond its validators: the digest of the last body it stored
// (a server that ignores conditional requests and answers the same bytes
// is then not parsed again), since when its feed has been empty and since
// when it has been failing (a source that never worked included), so that
// their announcements survive a restart. The index of due pages keeps only
// the stories that have one: most never do, and each of them cost an
// index entry written with every new story.
func migrateSourceWatch(tx *gorm.DB) error {
	for _, q := range []string{
		`ALTER TABLE sources ADD COLUMN body_digest TEXT NOT NULL DEFAULT ''`,
		`ALTER TABLE sources ADD COLUMN empty_since TIMESTAMP`,
		`ALTER TABLE sources ADD COLUMN failing_since TIMESTAMP`,
		`DROP INDEX idx_stories_page_due`,
		`CREATE INDEX idx_stories_page_due ON stories (page_due) WHERE page_due IS NOT NULL`,
	} {
		if err := tx.Exec(q).Error; err != nil {
			return fmt.Errorf("%s: %w", q, err)
		}
	}
	return nil
}
