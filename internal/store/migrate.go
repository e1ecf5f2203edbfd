package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// ErrSchemaTooNew is returned by Open for a database whose schema a newer
// vigie has migrated past the versions this one knows: it refuses it rather
// than write rows the newer schema does not expect.
var ErrSchemaTooNew = errors.New("database schema is newer than this vigie")

// migration is one numbered change of the schema. up runs in a transaction
// of its own, which also records the version: a migration is applied whole
// or not at all.
type migration struct {
	version int
	name    string
	up      func(tx *gorm.DB) error
}

// migrations are the schema's history, in order, numbered from 1 without
// gaps. Never change or renumber one that has been released: add the next.
var migrations = []migration{
	{1, "base schema", migrateBase},
	{2, "page text", migratePageText},
	{3, "several instances", migrateInstances},
	{4, "source watch", migrateSourceWatch},
}

// versionTable records the migrations applied, one row each. Its SQL is the
// same on SQLite and PostgreSQL.
const versionTable = "CREATE TABLE IF NOT EXISTS schema_migrations (" +
	"version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMP NOT NULL)"

// migrate applies the steps the database has not had yet, each in its own
// transaction. It refuses a database migrated past the last step it knows.
func migrate(ctx context.Context, db *gorm.DB, d dialect, steps []migration) error {
	for i, m := range steps {
		if m.version != i+1 {
			return fmt.Errorf("migration %q numbered %d, want %d", m.name, m.version, i+1)
		}
	}
	db = db.WithContext(ctx)
	current, err := schemaVersion(db)
	if err != nil {
		return err
	}
	if err := knownVersion(current, len(steps)); err != nil {
		return err
	}
	for _, m := range steps[current:] {
		if err := db.Transaction(func(tx *gorm.DB) error { return apply(tx, d, m, len(steps)) }); err != nil {
			return fmt.Errorf("migration %d (%s): %w", m.version, m.name, err)
		}
	}
	return nil
}

// apply runs one step unless another process applied it meanwhile: the
// version is read again inside the transaction, which holds the write lock.
func apply(tx *gorm.DB, d dialect, m migration, last int) error {
	if err := d.lock(tx); err != nil {
		return err
	}
	if err := tx.Exec(versionTable).Error; err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	current, err := schemaVersion(tx)
	if err != nil {
		return err
	}
	if err := knownVersion(current, last); err != nil {
		return err
	}
	if current >= m.version {
		return nil
	}
	if err := m.up(tx); err != nil {
		return err
	}
	err = tx.Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
		m.version, m.name, time.Now().UTC()).Error
	if err != nil {
		return fmt.Errorf("record version: %w", err)
	}
	return nil
}

// schemaVersion returns the last migration applied, 0 for a new database
// and for one created before migrations were numbered.
func schemaVersion(db *gorm.DB) (int, error) {
	if !db.Migrator().HasTable("schema_migrations") {
		return 0, nil
	}
	var v int
	if err := db.Raw("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&v).Error; err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	return v, nil
}

func knownVersion(current, last int) error {
	if current > last {
		return fmt.Errorf("%w: it is at version %d, this vigie knows up to %d: run a newer vigie, or restore a backup made before the upgrade",
			ErrSchemaTooNew, current, last)
	}
	return nil
}

// SchemaVersion returns the version of the database's schema: the number of
// the last migration applied.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	return schemaVersion(s.db.WithContext(ctx))
}
