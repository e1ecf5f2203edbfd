package store

import "github.com/vigie-watch/vigie/internal/pgtest"

// PostgresForTests is the test server, nil when PostgreSQL is not
// installed.
func PostgresForTests() *pgtest.Server { return testPG }

// HoldWrites takes the write lock until release is called: the writes of
// sources started meanwhile gather behind the one waiting for it.
func (s *Store) HoldWrites() (release func()) {
	s.writeMu.Lock()
	return s.writeMu.Unlock
}

// QueuedWrites is the number of sources' writes waiting for a group.
func (s *Store) QueuedWrites() int {
	return s.group.waiting()
}

// WritesLeading reports whether a write is being made and none waits:
// the next writes gather into one group.
func (s *Store) WritesLeading() bool {
	return s.group.idle()
}

// LoseWriterConnection closes the connection SQLite's writes run on, as
// database/sql does with one it has given up. False on PostgreSQL.
func (s *Store) LoseWriterConnection() bool {
	d, ok := s.d.(*sqliteDialect)
	if !ok {
		return false
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.writer.Close() == nil
}

// waiting is the number of requests queued and not yet taken.
func (g *gather[T]) waiting() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.queue)
}

// idle reports whether a leader serves a batch and no request waits.
func (g *gather[T]) idle() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.leading && len(g.queue) == 0
}
