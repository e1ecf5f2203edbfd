package store

import (
	"fmt"

	"gorm.io/gorm"
)

// migratePageText adds what full text needs: the text of the page each
// story links to, when it is due to be fetched (indexed: each cycle of a
// full-text source asks which pages are due), its failures, each source's
// page health, and the earlier story a story takes up again (a re-asked
// Senate question, linked both ways in the entries).
func migratePageText(tx *gorm.DB) error {
	for _, q := range []string{
		`ALTER TABLE stories ADD COLUMN page_text TEXT NOT NULL DEFAULT ''`,
		`ALTER TABLE stories ADD COLUMN page_record BOOLEAN NOT NULL DEFAULT FALSE`,
		`ALTER TABLE stories ADD COLUMN page_due TIMESTAMP`,
		`ALTER TABLE stories ADD COLUMN page_tries INTEGER NOT NULL DEFAULT 0`,
		`ALTER TABLE stories ADD COLUMN page_error TEXT NOT NULL DEFAULT ''`,
		`CREATE INDEX idx_stories_page_due ON stories (page_due)`,
		`ALTER TABLE sources ADD COLUMN pages_failed INTEGER NOT NULL DEFAULT 0`,
		`ALTER TABLE sources ADD COLUMN last_page_error TEXT NOT NULL DEFAULT ''`,
		`ALTER TABLE stories ADD COLUMN recalls TEXT NOT NULL DEFAULT ''`,
		`CREATE INDEX idx_stories_recalls ON stories (recalls) WHERE recalls <> ''`,
	} {
		if err := tx.Exec(q).Error; err != nil {
			return fmt.Errorf("%s: %w", q, err)
		}
	}
	return nil
}
