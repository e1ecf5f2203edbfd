// Package store keeps vigie's stories, their sources and their matches with
// GORM, on SQLite (a file: the default) or PostgreSQL (a postgres:// URL,
// which several vigie instances may share). It is the only writer of the
// database: writes take one write lock (SQLite's single writer, or a
// PostgreSQL advisory lock) and each source's cycle is one transaction, so
// a crash at any moment leaves the previous state or the next one.
//
// # Engines
//
// The code is written once for both engines. What they do differently
// (binding a list of keys, drawing story ids, the write lock, noticing
// other processes' commits, the integrity check, SQLite's background
// checkpoints) is behind the dialect interface (dialect.go), implemented
// in sqlite.go and postgres.go; nothing else may test which engine it
// runs on. The tests run on both (onEngines in helpers_test.go), on a
// throwaway PostgreSQL server started by internal/pgtest.
//
// # Schema and migrations
//
// The schema has a version: the number of the last migration applied,
// recorded in the table schema_migrations (one row per migration). Open
// applies the migrations a database lacks, in order, each in a transaction
// of its own that also records its version, so a migration is applied whole
// or not at all, and two processes opening one database apply it once. A
// database at a version higher than this code knows was migrated by a newer
// vigie: Open refuses it with ErrSchemaTooNew rather than write into a schema
// it does not understand. Migration 1 is the schema as it was when versions
// began; a database created before then is brought to it in place.
//
// To change the schema, add a migration; never edit one already released.
// Write its function in a new file numbered like the others, for example
// migration_002_page_text.go:
//
//	func migratePageText(tx *gorm.DB) error {
//		return tx.Exec(`ALTER TABLE stories ADD COLUMN page_text TEXT NOT NULL DEFAULT ''`).Error
//	}
//
// then append it to the list in migrate.go with the next number,
// {2, "page text", migratePageText}; change the models in models.go and the
// queries that use the new columns; and extend TestUpgradeFromV1
// (migrate_test.go): a database of the previous version, with rows, must
// open at the new version, keep its rows and ids, and work.
//
// The function gets the transaction and must not commit it; the write lock
// is held. Use SQL that
// SQLite and PostgreSQL both accept (ALTER TABLE ... ADD COLUMN, CREATE
// INDEX, UPDATE), or GORM's Migrator with a struct declared in the
// migration's own file, never a model of models.go, which will change after
// it. A column added to existing rows needs a default. Fill new columns from
// old ones in the same migration, with plain UPDATE statements.
package store
