package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/vigie-watch/vigie/internal/dburl"
)

// openPostgres connects to the PostgreSQL database of a postgres:// URL,
// through pgx, and checks that it answers.
func openPostgres(ctx context.Context, database string) (*gorm.DB, dialect, error) {
	dsn, err := dburl.DSN(database)
	if err != nil {
		return nil, nil, err
	}
	db, err := gorm.Open(postgres.New(postgres.Config{DSN: dsn}), gormConfig())
	if err != nil {
		return nil, nil, err
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, nil, err
	}
	sqlDB.SetMaxOpenConns(8)
	if err := sqlDB.PingContext(ctx); err != nil {
		sqlDB.Close()
		return nil, nil, err
	}
	return db, &postgresDialect{db: db}, nil
}

// postgresDialect is PostgreSQL's side of the dialect. Several vigie
// instances may write at once: a transaction-scoped advisory lock is the
// write lock, so that dedupe across sources sees every committed story,
// as with SQLite's one writer; a generation row, bumped by every write,
// tells the others' caches.
type postgresDialect struct {
	db *gorm.DB
}

// writeLockKey is the advisory lock every vigie write transaction takes.
const writeLockKey = 0x76696769 // "vigi"

func (*postgresDialect) engine() string { return "postgresql" }

// inList binds the keys as one JSON array. PostgreSQL text holds only
// valid UTF-8, so there is no other case.
func (*postgresDialect) inList(column string, keys []string) clause.Expr {
	b, err := json.Marshal(keys)
	if err != nil {
		return gorm.Expr(column+" IN ?", keys)
	}
	return gorm.Expr(column+" IN (SELECT json_array_elements_text(CAST(? AS json)))", string(b))
}

// storyIDs draws from the stories' sequence, which never goes back: ids
// deleted by retention are never given again.
func (*postgresDialect) storyIDs(tx *gorm.DB, n int) ([]uint, error) {
	var ids []uint
	err := tx.Raw("SELECT nextval(pg_get_serial_sequence('stories', 'id')) FROM generate_series(1, ?)", n).Scan(&ids).Error
	if err != nil {
		return nil, fmt.Errorf("draw story ids: %w", err)
	}
	return ids, nil
}

// lastID is the larger of the largest id stored and the last value the
// table's id sequence gave (NULL in pg_sequences before its first).
func (*postgresDialect) lastID(tx *gorm.DB, table string) (uint, error) {
	var last uint
	err := tx.Raw("SELECT GREATEST(COALESCE((SELECT MAX(id) FROM "+table+"), 0), "+
		"COALESCE((SELECT last_value FROM pg_sequences WHERE quote_ident(schemaname) || '.' || quote_ident(sequencename) = "+
		"pg_get_serial_sequence(?, 'id')), 0))", table).Scan(&last).Error
	if err != nil {
		return 0, fmt.Errorf("read last id of %s: %w", table, err)
	}
	return last, nil
}

func (*postgresDialect) setLastID(tx *gorm.DB, table string, id uint) error {
	// setval(seq, n, false) makes n the next value: ids start after id.
	err := tx.Exec("SELECT setval(pg_get_serial_sequence(?, 'id'), ?, false)", table, id+1).Error
	if err != nil {
		return fmt.Errorf("set last id of %s: %w", table, err)
	}
	return nil
}

func (*postgresDialect) lock(tx *gorm.DB) error {
	if err := tx.Exec("SELECT pg_advisory_xact_lock(?)", writeLockKey).Error; err != nil {
		return fmt.Errorf("take write lock: %w", err)
	}
	return nil
}

func (d *postgresDialect) commits(ctx context.Context) (int64, error) {
	var n int64
	if err := d.db.WithContext(ctx).Raw("SELECT n FROM store_generation WHERE id = 1").Scan(&n).Error; err != nil {
		return 0, fmt.Errorf("read generation: %w", err)
	}
	return n, nil
}

func (*postgresDialect) wrote() {}

// check looks for GUIDs and matches of stories that no longer exist:
// PostgreSQL checks its own pages.
func (*postgresDialect) check(ctx context.Context, db *gorm.DB) error {
	return checkOrphans(ctx, db)
}

func (*postgresDialect) writeDB(ctx context.Context, db *gorm.DB) (*gorm.DB, error) {
	return db.WithContext(ctx), nil
}

func (*postgresDialect) close() {}

func (*postgresDialect) bindVar(i int) string { return "$" + strconv.Itoa(i) }

// storable drops NUL bytes and replaces invalid UTF-8 by U+FFFD: text in
// PostgreSQL can hold neither, and one such item (a JSON Feed may carry
// "\u0000") would otherwise fail its source's every cycle. The same item
// gives the same text each time, so it is still recognised.
func (*postgresDialect) storable(s string) string {
	if !strings.Contains(s, "\x00") && utf8.ValidString(s) {
		return s
	}
	return strings.ToValidUTF8(strings.ReplaceAll(s, "\x00", ""), "\uFFFD")
}

// rowsPerInsert keeps a statement of 15 columns far below PostgreSQL's
// 65535 variables.
func (*postgresDialect) rowsPerInsert() int { return 500 }
