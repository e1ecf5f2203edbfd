package aggregator

import (
	"context"
	"sync"
	"time"

	"github.com/vigie-watch/vigie/internal/watch"
)

// batchStore is implemented by a Store that saves several source states
// in one transaction.
type batchStore interface {
	SaveSources(ctx context.Context, states []watch.SourceState) error
}

// maxStateBatch bounds the states written by one transaction.
const maxStateBatch = 512

// stateLinger is how long the first state of a batch waits for others: a
// few milliseconds per cycle against one write transaction per source.
const stateLinger = 5 * time.Millisecond

// stateSaver saves the states of cycles that stored no item (a 304, a
// failure) with group commit: while one transaction is written, the
// states that arrive wait and go together in the next. At a tick of
// thousands of sources that all answer 304, thousands of write
// transactions become a handful.
//
// It is not redundant with the store's own group commit (SaveSource
// shares a transaction with the writes that arrive while one commits):
// the store does not wait for company, this does (stateLinger), and 304s
// come back spread out. A warm cycle of 300 sources answering 304 on
// SQLite commits 34-38 write transactions through it, 103-132 with
// SaveSource alone (TestNotModifiedStatesAreBatched, which it fails).
type stateSaver struct {
	store Store
	batch batchStore // nil: one transaction per state

	mu       sync.Mutex
	pending  []pendingState
	flushing bool
}

type pendingState struct {
	st   watch.SourceState
	done chan error
}

func newStateSaver(st Store) *stateSaver {
	b, _ := st.(batchStore)
	return &stateSaver{store: st, batch: b}
}

// save records st and returns once it is written, or failed. The write is
// not cut short by ctx: a cycle's outcome is recorded whole.
func (s *stateSaver) save(ctx context.Context, st watch.SourceState) error {
	ctx = context.WithoutCancel(ctx)
	if s.batch == nil {
		return s.store.SaveSource(ctx, st)
	}
	p := pendingState{st: st, done: make(chan error, 1)}
	s.mu.Lock()
	s.pending = append(s.pending, p)
	lead := !s.flushing
	s.flushing = true
	s.mu.Unlock()
	if lead {
		time.Sleep(stateLinger)
		s.flush(ctx)
	}
	return <-p.done
}

// flush writes the pending states, batch after batch, until none is left.
func (s *stateSaver) flush(ctx context.Context) {
	for {
		s.mu.Lock()
		n := min(len(s.pending), maxStateBatch)
		if n == 0 {
			s.flushing = false
			s.mu.Unlock()
			return
		}
		batch := s.pending[:n:n]
		s.pending = s.pending[n:]
		s.mu.Unlock()
		s.write(ctx, batch)
	}
}

// write saves a batch in one transaction; if that fails, each state on
// its own, so that one bad state fails only its own cycle.
func (s *stateSaver) write(ctx context.Context, batch []pendingState) {
	states := make([]watch.SourceState, len(batch))
	for i, p := range batch {
		states[i] = p.st
	}
	if err := s.batch.SaveSources(ctx, states); err == nil || len(batch) == 1 {
		for _, p := range batch {
			p.done <- err
		}
		return
	}
	for _, p := range batch {
		p.done <- s.store.SaveSource(ctx, p.st)
	}
}
