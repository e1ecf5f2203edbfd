package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mattn/go-sqlite3"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Store is the database of stories.
type Store struct {
	db      *gorm.DB
	writeMu sync.Mutex   // one writer at a time
	gen     atomic.Int64 // bumped whenever what is published may have changed
	outside outsideWrites
	ckpt    checkpointer
}

// outsideWrites notices the commits of other processes on the same file,
// such as `vigie fetch` run beside the daemon, so that Generation changes
// with them too. A connection kept aside, never written through, sees its
// PRAGMA data_version change whenever any other connection commits.
type outsideWrites struct {
	mu      sync.Mutex
	conn    *sql.Conn
	version int64
	next    atomic.Int64 // unix nanoseconds of the next look
}

// outsidePoll is how often Generation looks for outside commits: a feed
// reflects `vigie fetch` within a second.
const outsidePoll = time.Second

// Open opens (creating if needed) the SQLite database at path, in WAL mode
// with a busy timeout, and brings its schema to the latest version (see
// migrations). It refuses a database a newer vigie has migrated further
// (ErrSchemaTooNew).
func Open(ctx context.Context, path string) (*Store, error) {
	if path == "" {
		return nil, errors.New("open store: empty database path")
	}
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	q.Set("_busy_timeout", "5000")
	q.Set("_txlock", "immediate")
	q.Set("_synchronous", "NORMAL")
	q.Set("_foreign_keys", "on")
	sqlDB := sql.OpenDB(connector{dsn: "file:" + path + "?" + q.Encode(), driver: &sqlite3.SQLiteDriver{ConnectHook: setupConn}})
	db, err := gorm.Open(sqlite.New(sqlite.Config{Conn: sqlDB}), &gorm.Config{
		Logger:                 logger.Discard,
		SkipDefaultTransaction: true,
		NowFunc:                func() time.Time { return time.Now().UTC() },
	})
	if err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	sqlDB.SetMaxOpenConns(5) // 4, and the one kept aside to notice outside writes
	s := &Store{db: db}
	if err := migrate(ctx, db, migrations); err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("migrate database %s: %w", path, err)
	}
	if s.outside.conn, err = sqlDB.Conn(ctx); err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	if s.outside.version, err = dataVersion(ctx, s.outside.conn); err != nil {
		s.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	s.ckpt.start(sqlDB)
	return s, nil
}

func dataVersion(ctx context.Context, conn *sql.Conn) (int64, error) {
	var v int64
	if err := conn.QueryRowContext(ctx, "PRAGMA data_version").Scan(&v); err != nil {
		return 0, fmt.Errorf("read data_version: %w", err)
	}
	return v, nil
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

// Close closes the database.
func (s *Store) Close() error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	s.ckpt.close()
	if s.outside.conn != nil {
		s.outside.conn.Close()
	}
	return sqlDB.Close()
}

// Ping reports whether the database answers.
func (s *Store) Ping(ctx context.Context) error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	return sqlDB.PingContext(ctx)
}

// Generation changes whenever the published entries may have changed: a
// renderer may cache its output for as long as it stays the same. Writes
// through this Store change it at once; commits by other processes within
// a second (it looks at most once a second, on a call).
func (s *Store) Generation() int64 {
	if now := time.Now().UnixNano(); now >= s.outside.next.Load() && s.outside.mu.TryLock() {
		s.outside.next.Store(now + int64(outsidePoll))
		s.lookOutside()
		s.outside.mu.Unlock()
	}
	return s.gen.Load()
}

// lookOutside bumps the generation when the database changed since it last
// looked. It also sees this Store's own commits: at worst one more reading
// of the entries, never a missed change. The caller holds s.outside.mu.
func (s *Store) lookOutside() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	v, err := dataVersion(ctx, s.outside.conn)
	if err != nil || v == s.outside.version {
		return // an error here only delays the notice to the next look
	}
	s.outside.version = v
	s.gen.Add(1)
}

// write runs fn in one transaction, alone.
func (s *Store) write(ctx context.Context, fn func(tx *gorm.DB) error) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	defer s.ckpt.poke()
	return s.db.WithContext(ctx).Transaction(fn)
}

// Check runs SQLite's integrity check and returns an error naming the first
// problems it finds.
func (s *Store) Check(ctx context.Context) error {
	var rows []string
	if err := s.db.WithContext(ctx).Raw("PRAGMA integrity_check").Scan(&rows).Error; err != nil {
		return fmt.Errorf("integrity check: %w", err)
	}
	if len(rows) == 1 && rows[0] == "ok" {
		return nil
	}
	return fmt.Errorf("integrity check: %s", strings.Join(rows, "; "))
}
