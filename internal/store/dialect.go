package store

import (
	"context"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// dialect is all that differs between the database engines: every
// statement the two do not share goes through it, so the rest of the
// package is written once.
type dialect interface {
	// engine names the engine, as `vigie status` shows it.
	engine() string
	// inList is the condition "column IN keys", bound as one variable
	// whatever the number of keys.
	inList(column string, keys []string) clause.Expr
	// storyIDs reserves n new story ids, each larger than any ever given.
	// The caller holds the write lock.
	storyIDs(tx *gorm.DB, n int) ([]uint, error)
	// lastID is the largest id a table (stories, guids) ever gave, stored
	// or deleted since; setLastID makes the table give ids after id.
	lastID(tx *gorm.DB, table string) (uint, error)
	setLastID(tx *gorm.DB, table string, id uint) error
	// lock takes the database's write lock for the rest of tx: one writer
	// at a time, across every process using the database.
	lock(tx *gorm.DB) error
	// commits reads the generation row, which every write transaction of
	// every process counts in (bumpGeneration).
	commits(ctx context.Context) (int64, error)
	// wrote is called after each write transaction.
	wrote()
	// check verifies the database's integrity.
	check(ctx context.Context, db *gorm.DB) error
	// storable returns a text as the engine can store it.
	storable(s string) string
	// rowsPerInsert is how many rows a prepared INSERT takes at most.
	rowsPerInsert() int
	// bindVar is the placeholder of the i-th variable (from 1) of a
	// statement prepared without GORM.
	bindVar(i int) string
	// writeDB is the handle write transactions run on: on SQLite a
	// connection of their own, whose page cache stays warm between them.
	writeDB(ctx context.Context, db *gorm.DB) (*gorm.DB, error)
	// close releases what the dialect holds, before the pool is closed.
	close()
}
