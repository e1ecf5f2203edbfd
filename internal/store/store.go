// Package store keeps vigie's stories, their sources and their matches with
// GORM, on SQLite by default. It is the only writer of the database: writes
// are serialised in one process and each source's cycle is one transaction,
// so a crash at any moment leaves the previous state or the next one.
package store

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Store is the database of stories.
type Store struct {
	db      *gorm.DB
	writeMu sync.Mutex   // one writer at a time
	gen     atomic.Int64 // bumped whenever what is published may have changed
}

// Open opens (creating if needed) the SQLite database at path, in WAL mode
// with a busy timeout, and migrates its schema.
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
	dsn := "file:" + path + "?" + q.Encode()
	db, err := gorm.Open(sqlite.Open(dsn), &gorm.Config{
		Logger:                 logger.Discard,
		SkipDefaultTransaction: true,
		NowFunc:                func() time.Time { return time.Now().UTC() },
	})
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	sqlDB.SetMaxOpenConns(4)
	s := &Store{db: db}
	// One transaction: one sync to disk instead of one per table and index.
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return tx.AutoMigrate(&story{}, &guid{}, &match{}, &tombstone{}, &source{})
	})
	if err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("migrate database %s: %w", path, err)
	}
	return s, nil
}

// Close closes the database.
func (s *Store) Close() error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
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
// renderer may cache its output for as long as it stays the same.
func (s *Store) Generation() int64 { return s.gen.Load() }

// write runs fn in one transaction, alone.
func (s *Store) write(ctx context.Context, fn func(tx *gorm.DB) error) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
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
