package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/mattn/go-sqlite3"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// openSQLite opens (creating if needed) the SQLite database at path, in
// WAL mode with a busy timeout.
func openSQLite(ctx context.Context, path string) (*gorm.DB, dialect, error) {
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	q.Set("_busy_timeout", "5000")
	q.Set("_txlock", "immediate")
	q.Set("_synchronous", "NORMAL")
	q.Set("_foreign_keys", "on")
	sqlDB := sql.OpenDB(connector{dsn: "file:" + path + "?" + q.Encode(), driver: &sqlite3.SQLiteDriver{ConnectHook: setupConn}})
	db, err := gorm.Open(sqlite.New(sqlite.Config{Conn: sqlDB}), gormConfig())
	if err != nil {
		sqlDB.Close()
		return nil, nil, err
	}
	sqlDB.SetMaxOpenConns(6) // 4, the writer's and the one kept aside to notice outside writes
	d := &sqliteDialect{}
	if d.outside, err = sqlDB.Conn(ctx); err != nil {
		sqlDB.Close()
		return nil, nil, err
	}
	d.pool = sqlDB
	if _, err = d.writeDB(ctx, db); err != nil {
		d.outside.Close()
		sqlDB.Close()
		return nil, nil, err
	}
	d.ckpt.start(sqlDB)
	return db, d, nil
}

// sqliteDialect is SQLite's side of the dialect. SQLite has one writer at
// a time (transactions begin IMMEDIATE), which is the write lock.
type sqliteDialect struct {
	// outside is a connection kept aside, never written through, that
	// reads the generation row: a look for other processes' commits (such
	// as `vigie fetch` run beside the daemon) never waits for a connection.
	outside *sql.Conn
	// writer is the connection every write transaction of this process
	// runs on: its page cache (the indexes' pages the next write touches)
	// is not thrown away by a read in between, as a pooled connection's is.
	// Taken from pool at open, and again if database/sql has
	// given it up (a bad connection). Guarded by mu.
	mu     sync.Mutex
	pool   *sql.DB
	writer *sql.Conn
	ckpt   checkpointer
}

// The page caches of SQLite's connections, in KiB: the writer's as large
// as SQLite's default (a larger one bought little at 5 000 sources and
// cost its size in RSS), the readers' small (they read a source's state or
// a feed's entries, a few pages each). RSS grows by each one's cache.
const (
	writerCacheKiB = 2048
	readerCacheKiB = 512
)

// writeDB returns a handle of db bound to the writer's connection, as
// GORM's Connection makes one for the length of a call. Its statement is
// a copy (a session with a context clones it): binding it leaves db's own
// untouched. A connection database/sql has given up is replaced: the ping
// finds it so (it is closed), and costs no query (go-sqlite3 answers it
// from the connection's handle).
func (d *sqliteDialect) writeDB(ctx context.Context, db *gorm.DB) (*gorm.DB, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.writer != nil && d.writer.PingContext(ctx) != nil {
		d.writer.Close()
		d.writer = nil
	}
	if d.writer == nil {
		conn, err := d.pool.Conn(ctx)
		if err != nil {
			return nil, fmt.Errorf("writer connection: %w", err)
		}
		if _, err := conn.ExecContext(ctx, fmt.Sprintf("PRAGMA cache_size = -%d", writerCacheKiB)); err != nil {
			conn.Close()
			return nil, fmt.Errorf("writer connection: %w", err)
		}
		d.writer = conn
	}
	w := db.Session(&gorm.Session{NewDB: true, Context: ctx})
	w.Statement.ConnPool = d.writer
	w.Config.ConnPool = d.writer
	return w, nil
}

func (*sqliteDialect) engine() string { return "sqlite" }

// inList binds the keys as one JSON array. Keys JSON cannot carry byte for
// byte (invalid UTF-8) go as variables.
func (*sqliteDialect) inList(column string, keys []string) clause.Expr {
	for _, k := range keys {
		if !utf8.ValidString(k) {
			return gorm.Expr(column+" IN ?", keys)
		}
	}
	b, err := json.Marshal(keys)
	if err != nil {
		return gorm.Expr(column+" IN ?", keys)
	}
	return gorm.Expr(column+" IN (SELECT value FROM json_each(?))", string(b))
}

// storyIDs follows the largest id ever given: the immediate transaction
// keeps any other writer out.
func (d *sqliteDialect) storyIDs(tx *gorm.DB, n int) ([]uint, error) {
	last, err := d.lastID(tx, "stories")
	if err != nil {
		return nil, err
	}
	ids := make([]uint, n)
	for i := range ids {
		ids[i] = last + 1 + uint(i)
	}
	return ids, nil
}

// lastID is the larger of the largest id stored and the one AUTOINCREMENT
// keeps in sqlite_sequence (ids of deleted rows are never given again).
func (*sqliteDialect) lastID(tx *gorm.DB, table string) (uint, error) {
	var last uint
	err := tx.Raw("SELECT MAX(COALESCE((SELECT MAX(id) FROM "+table+"), 0), "+
		"COALESCE((SELECT seq FROM sqlite_sequence WHERE name = ?), 0))", table).Scan(&last).Error
	if err != nil {
		return 0, fmt.Errorf("read last id of %s: %w", table, err)
	}
	return last, nil
}

func (*sqliteDialect) setLastID(tx *gorm.DB, table string, id uint) error {
	err := tx.Exec("DELETE FROM sqlite_sequence WHERE name = ?", table).Error
	if err == nil {
		err = tx.Exec("INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", table, id).Error
	}
	if err != nil {
		return fmt.Errorf("set last id of %s: %w", table, err)
	}
	return nil
}

func (*sqliteDialect) lock(*gorm.DB) error { return nil } // BEGIN IMMEDIATE took it

func (d *sqliteDialect) commits(ctx context.Context) (int64, error) {
	var v int64
	if err := d.outside.QueryRowContext(ctx, "SELECT n FROM store_generation WHERE id = 1").Scan(&v); err != nil {
		return 0, fmt.Errorf("read generation: %w", err)
	}
	return v, nil
}

func (d *sqliteDialect) wrote() { d.ckpt.poke() }

// check runs SQLite's integrity check.
func (*sqliteDialect) check(ctx context.Context, db *gorm.DB) error {
	var rows []string
	if err := db.WithContext(ctx).Raw("PRAGMA integrity_check").Scan(&rows).Error; err != nil {
		return fmt.Errorf("integrity check: %w", err)
	}
	if len(rows) != 1 || rows[0] != "ok" {
		return fmt.Errorf("integrity check: %s", strings.Join(rows, "; "))
	}
	return checkOrphans(ctx, db)
}

func (*sqliteDialect) bindVar(int) string { return "?" }
func (*sqliteDialect) rowsPerInsert() int { return 1 }

// storable keeps every text as it is: SQLite stores any bytes.
func (*sqliteDialect) storable(s string) string { return s }

func (d *sqliteDialect) close() {
	d.ckpt.close()
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.writer != nil {
		d.writer.Close()
		d.writer = nil
	}
	if d.outside != nil {
		d.outside.Close()
	}
}

// setupConn sets what the DSN cannot on each new connection. Statement
// journals (SQLite's undo log of a statement writing many rows, spilled to
// a new file in /var/tmp beyond 64 KiB) and temporary tables stay in
// memory.
//
// The WAL is copied back into the database file by the checkpointer, in
// the background, not by the writer at the end of its transaction while
// every other source waits for the write lock (that copy ends with an
// fsync, and took a third of a cold cycle). The writer still checkpoints
// itself past 16000 pages (64 MiB), so that the WAL stays bounded if the
// checkpointer cannot keep up; after a checkpoint the file is truncated
// to 16 MiB.
func setupConn(c *sqlite3.SQLiteConn) error {
	for _, pragma := range []string{
		"PRAGMA temp_store = MEMORY",
		fmt.Sprintf("PRAGMA cache_size = -%d", readerCacheKiB),
		fmt.Sprintf("PRAGMA wal_autocheckpoint = %d", walHardLimitPages),
		"PRAGMA journal_size_limit = 16777216",
	} {
		if _, err := c.Exec(pragma, nil); err != nil {
			return fmt.Errorf("%s: %w", pragma, err)
		}
	}
	return nil
}

// walHardLimitPages is the size of the WAL, in pages, past which the writer
// checkpoints it itself.
const walHardLimitPages = 16000

// checkpointer copies the WAL into the database file in the background
// after writes, at most once a second. Its checkpoints are PASSIVE: they
// never wait for, nor block, the writer or the readers.
type checkpointer struct {
	wake chan struct{}
	stop chan struct{}
	done chan struct{}
}

// checkpointEvery is the least time between two background checkpoints.
const checkpointEvery = time.Second

func (c *checkpointer) start(db *sql.DB) {
	c.wake = make(chan struct{}, 1)
	c.stop = make(chan struct{})
	c.done = make(chan struct{})
	go func() {
		defer close(c.done)
		for {
			select {
			case <-c.stop:
				return
			case <-c.wake:
			}
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			// An error leaves the WAL to the writer's own checkpoint.
			db.ExecContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)")
			cancel()
			select {
			case <-c.stop:
				return
			case <-time.After(checkpointEvery):
			}
		}
	}()
}

// poke asks for a checkpoint soon.
func (c *checkpointer) poke() {
	if c.wake == nil {
		return
	}
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// close stops the checkpointer. SQLite checkpoints the whole WAL itself
// when the last connection closes.
func (c *checkpointer) close() {
	if c.stop == nil {
		return
	}
	close(c.stop)
	<-c.done
	c.stop = nil
}

// connector opens connections with a driver of its own, so that its
// ConnectHook applies without registering a driver name globally.
type connector struct {
	dsn    string
	driver *sqlite3.SQLiteDriver
}

func (c connector) Connect(context.Context) (driver.Conn, error) { return c.driver.Open(c.dsn) }
func (c connector) Driver() driver.Driver                        { return c.driver }
