package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/vigie-watch/vigie/internal/dburl"
)

// Store is the database of stories.
type Store struct {
	db       *gorm.DB
	d        dialect
	name     string       // the database as it may be shown: no password
	instance string       // this Store among the instances sharing the database
	writeMu  sync.Mutex   // one writer at a time in this process
	gen      atomic.Int64 // bumped whenever what is published may have changed
	outside  outsideWrites
	group    gather[*groupedWrite] // the sources' writes, committed together
	reads    gather[*stateRead]    // the sources' state reads, answered together
}

// outsideWrites notices the commits of other processes on the same
// database, such as `vigie fetch` run beside the daemon or another
// instance, so that Generation changes with them too.
type outsideWrites struct {
	mu      sync.Mutex
	version int64
	next    atomic.Int64 // unix nanoseconds of the next look
}

// outsidePoll is how often Generation looks for outside commits: a feed
// reflects another process's writes within a second.
const outsidePoll = time.Second

// Open opens the database named by a `database:` setting: a postgres:// or
// postgresql:// URL, or else the path of an SQLite file, created if
// missing. It brings the schema to the latest version (see migrations) and
// refuses a database a newer vigie has migrated further (ErrSchemaTooNew).
// Its errors name the database without its password.
func Open(ctx context.Context, database string) (*Store, error) {
	if database == "" {
		return nil, errors.New("open store: empty database path")
	}
	s := &Store{name: dburl.Redact(database), instance: newInstanceName()}
	var err error
	if dburl.IsPostgres(database) {
		s.db, s.d, err = openPostgres(ctx, database)
	} else {
		s.db, s.d, err = openSQLite(ctx, database)
	}
	if err != nil {
		return nil, fmt.Errorf("open database %s: %s", s.name, dburl.RedactError(database, err))
	}
	if err := migrate(ctx, s.db, s.d, migrations); err != nil {
		s.Close()
		return nil, fmt.Errorf("migrate database %s: %w", s.name, err)
	}
	if s.outside.version, err = s.d.commits(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("open database %s: %w", s.name, err)
	}
	return s, nil
}

func gormConfig() *gorm.Config {
	return &gorm.Config{
		Logger:                 logger.Discard,
		SkipDefaultTransaction: true,
		NowFunc:                func() time.Time { return time.Now().UTC() },
	}
}

// Engine names the database engine: "sqlite" or "postgresql".
func (s *Store) Engine() string { return s.d.engine() }

// Name is the database as it may be shown: an SQLite path, or a
// PostgreSQL URL without its password.
func (s *Store) Name() string { return s.name }

// Close closes the database.
func (s *Store) Close() error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	s.d.close()
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

// lookOutside bumps the generation when another process committed since
// it last looked (this Store's own commits are noted as they happen). The
// caller holds s.outside.mu.
func (s *Store) lookOutside() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	v, err := s.d.commits(ctx)
	if err != nil || v == s.outside.version {
		return // an error here only delays the notice to the next look
	}
	s.outside.version = v
	s.gen.Add(1)
}

// write runs fn in one transaction, holding the database's write lock.
func (s *Store) write(ctx context.Context, fn func(tx *gorm.DB) error) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	defer s.d.wrote()
	var n int64
	db, err := s.d.writeDB(ctx, s.db)
	if err != nil {
		return err
	}
	err = db.Transaction(func(tx *gorm.DB) error {
		if err := s.d.lock(tx); err != nil {
			return err
		}
		var err error
		if n, err = bumpGeneration(tx); err != nil {
			return err
		}
		return fn(tx)
	})
	if err == nil {
		s.noteOwnCommit(n)
	}
	return err
}

// bumpGeneration counts a write transaction in the generation row, which
// every process on the database watches (commits), and returns the count
// this transaction wrote.
func bumpGeneration(tx *gorm.DB) (int64, error) {
	var n int64
	if err := tx.Raw("UPDATE store_generation SET n = n + 1 WHERE id = 1 RETURNING n").Scan(&n).Error; err != nil {
		return 0, fmt.Errorf("bump generation: %w", err)
	}
	return n, nil
}

// noteOwnCommit records the generation row's count that this Store's
// commit wrote, so that the next look outside does not take that commit
// for another process's (a feed rendered again for nothing). A count
// further ahead means that another process committed since the last look:
// the generation changes for it now.
func (s *Store) noteOwnCommit(n int64) {
	s.outside.mu.Lock()
	defer s.outside.mu.Unlock()
	if n > s.outside.version+1 {
		s.gen.Add(1)
	}
	s.outside.version = max(s.outside.version, n)
}

// Check verifies the database's integrity and returns an error naming the
// first problems it finds.
func (s *Store) Check(ctx context.Context) error {
	return s.d.check(ctx, s.db)
}
