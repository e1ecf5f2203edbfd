package store

import (
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// migrateInstances adds what several vigie instances on one database
// share: the generation row every write bumps (their caches watch it), the
// sources' fetch leases, and tombstone keys PostgreSQL can store (text
// there cannot hold a NUL byte, which separated a GUID's source from the
// GUID).
func migrateInstances(tx *gorm.DB) error {
	for _, q := range []string{
		"CREATE TABLE store_generation (id INTEGER PRIMARY KEY, n BIGINT NOT NULL)",
		"INSERT INTO store_generation (id, n) VALUES (1, 0)",
		// Times in Unix milliseconds: compared the same way on both engines.
		"CREATE TABLE source_leases (name TEXT PRIMARY KEY, holder TEXT NOT NULL, " +
			"claimed BIGINT NOT NULL, expires BIGINT NOT NULL)",
	} {
		if err := tx.Exec(q).Error; err != nil {
			return err
		}
	}
	var keys []string
	if err := tx.Raw("SELECT key FROM tombstones WHERE key LIKE 'guid:%'").Scan(&keys).Error; err != nil {
		return fmt.Errorf("read tombstones: %w", err)
	}
	for _, k := range keys {
		if !strings.Contains(k, "\x00") {
			continue
		}
		if err := tx.Exec("UPDATE tombstones SET key = ? WHERE key = ?", strings.Replace(k, "\x00", tombSep, 1), k).Error; err != nil {
			return fmt.Errorf("rewrite tombstone: %w", err)
		}
	}
	return nil
}
