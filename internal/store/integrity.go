package store

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// checkOrphans reports GUIDs or matches left of stories that no longer
// exist: a story is deleted with all its rows, in one transaction.
func checkOrphans(ctx context.Context, db *gorm.DB) error {
	for _, table := range []string{"guids", "matches"} {
		var n int64
		err := db.WithContext(ctx).Raw("SELECT COUNT(*) FROM " + table +
			" WHERE NOT EXISTS (SELECT 1 FROM stories WHERE stories.id = " + table + ".story_id)").Scan(&n).Error
		if err != nil {
			return fmt.Errorf("integrity check: %w", err)
		}
		if n > 0 {
			return fmt.Errorf("integrity check: %d rows of %s name no story", n, table)
		}
	}
	return nil
}
