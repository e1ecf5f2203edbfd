package store

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// maxGroup bounds the writes that share one transaction. PostgreSQL keeps
// the subtransactions of a transaction in a small per-backend cache (64):
// beyond it, every other session pays for looking them up.
const maxGroup = 32

// The writes of the sources' cycles (Ingest, SaveSource) that arrive
// while another transaction is being written are committed together (a
// gather of groupedWrite): one transaction, each write in a SAVEPOINT of
// its own. At a tick of hundreds of sources, hundreds of write
// transactions (each a commit, on PostgreSQL a wait for the disk, and a
// turn of the write lock) become a few dozen.
//
// A groupedWrite is one write waiting for its group's commit.
type groupedWrite struct {
	ctx  context.Context
	fn   func(tx *gorm.DB) error
	done chan error
}

// writeGrouped runs fn in a transaction shared with other grouped writes,
// and returns once that transaction is committed (nil) or fn's work is
// known not to be stored (an error). fn may run twice: once in the group,
// and once alone if the group could not commit; it must start from
// scratch each time. A write whose ctx has ended before its turn is not
// run.
func (s *Store) writeGrouped(ctx context.Context, fn func(tx *gorm.DB) error) error {
	w := &groupedWrite{ctx: ctx, fn: fn, done: make(chan error, 1)}
	if s.group.add(w) {
		for batch := s.group.take(maxGroup); batch != nil; batch = s.group.take(maxGroup) {
			s.commitGroup(batch)
		}
	}
	return <-w.done
}

// commitGroup writes batch in one transaction, each write in a savepoint:
// a write that fails is rolled back to its savepoint and fails alone. If
// the transaction itself cannot go on or commit (a full disk, a lost
// connection), nothing of it is stored, and each write is tried again in
// a transaction of its own, so that it fails only the writes it must.
func (s *Store) commitGroup(batch []*groupedWrite) {
	live := batch[:0:0]
	for _, w := range batch {
		if err := w.ctx.Err(); err != nil {
			w.done <- err
			continue
		}
		live = append(live, w)
	}
	if len(live) == 0 {
		return
	}
	if len(live) == 1 {
		live[0].done <- s.write(live[0].ctx, live[0].fn)
		return
	}
	errs := make([]error, len(live))
	err := s.write(context.WithoutCancel(live[0].ctx), func(tx *gorm.DB) error {
		for i, w := range live {
			var err error
			errs[i], err = inSavepoint(tx, w.fn)
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		for _, w := range live {
			w.done <- s.write(w.ctx, w.fn)
		}
		return
	}
	for i, w := range live {
		w.done <- errs[i]
	}
}

// inSavepoint runs fn within a savepoint of tx. fnErr is fn's error, its
// work undone; err is set when the transaction itself cannot go on (the
// savepoint is gone: SQLite rolls a whole transaction back on some errors,
// such as a full disk).
func inSavepoint(tx *gorm.DB, fn func(tx *gorm.DB) error) (fnErr, err error) {
	if err := tx.Exec("SAVEPOINT grouped").Error; err != nil {
		return nil, fmt.Errorf("savepoint: %w", err)
	}
	if fnErr = fn(tx); fnErr != nil {
		if err := tx.Exec("ROLLBACK TO SAVEPOINT grouped").Error; err != nil {
			return fnErr, fmt.Errorf("roll back to savepoint: %w", err)
		}
	}
	if err := tx.Exec("RELEASE SAVEPOINT grouped").Error; err != nil {
		return fnErr, fmt.Errorf("release savepoint: %w", err)
	}
	return fnErr, nil
}
