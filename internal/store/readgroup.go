package store

import (
	"context"
	"fmt"

	"github.com/vigie-watch/vigie/internal/watch"
)

// maxStateRead bounds the names one query of source states asks for.
const maxStateRead = 500

// The reads of source states that arrive while another is being answered
// are answered together, with one query (a gather of stateRead): at a
// tick of hundreds of sources, each cycle starts by reading its state,
// and one query per source costs more than the 304 that follows.
//
// A stateRead is one read waiting for its answer.
type stateRead struct {
	name string
	st   watch.SourceState
	err  error
	done chan struct{}
}

// readState returns the stored state of the source named name (see
// Source), read together with the reads that arrive meanwhile.
func (s *Store) readState(ctx context.Context, name string) (watch.SourceState, error) {
	r := &stateRead{name: name, done: make(chan struct{})}
	if s.reads.add(r) {
		actx := context.WithoutCancel(ctx)
		for batch := s.reads.take(maxStateRead); batch != nil; batch = s.reads.take(maxStateRead) {
			s.answer(actx, batch)
		}
	}
	select {
	case <-r.done:
		return r.st, r.err
	case <-ctx.Done():
		return watch.SourceState{}, fmt.Errorf("load source %s: %w", name, ctx.Err())
	}
}

// answer reads the states of batch in one query. A name never fetched
// gets a zero state carrying only its name.
func (s *Store) answer(ctx context.Context, batch []*stateRead) {
	names := make([]string, 0, len(batch))
	seen := make(map[string]bool, len(batch))
	for _, r := range batch {
		if !seen[r.name] {
			seen[r.name] = true
			names = append(names, r.name)
		}
	}
	var rows []source
	err := s.db.WithContext(ctx).Where("name IN ?", names).Find(&rows).Error
	byName := make(map[string]watch.SourceState, len(rows))
	for _, m := range rows {
		byName[m.Name] = watch.SourceState(m)
	}
	for _, r := range batch {
		switch st, ok := byName[r.name]; {
		case err != nil:
			r.err = fmt.Errorf("load source %s: %w", r.name, err)
		case ok:
			r.st = st
		default:
			r.st = watch.SourceState{Name: r.name}
		}
		close(r.done)
	}
}
