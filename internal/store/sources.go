package store

import (
	"context"
	"fmt"

	"github.com/vigie-watch/vigie/internal/watch"
	"gorm.io/gorm"
)

// sourceRow is the row that stores st, its times in UTC.
func sourceRow(st watch.SourceState) *source {
	m := source(st)
	m.LastAttempt = m.LastAttempt.UTC()
	m.LastSuccess = m.LastSuccess.UTC()
	m.NextAttempt = m.NextAttempt.UTC()
	m.EmptySince = m.EmptySince.UTC()
	m.FailingSince = m.FailingSince.UTC()
	return &m
}

// Source returns the stored state of the source named name, or a zero state
// carrying only the name when it was never fetched.
func (s *Store) Source(ctx context.Context, name string) (watch.SourceState, error) {
	return s.readState(ctx, name)
}

// Sources returns the state of every source ever fetched, by name.
func (s *Store) Sources(ctx context.Context) ([]watch.SourceState, error) {
	var rows []source
	if err := s.db.WithContext(ctx).Order("name").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("load sources: %w", err)
	}
	out := make([]watch.SourceState, len(rows))
	for i, r := range rows {
		out[i] = watch.SourceState(r)
	}
	return out, nil
}

// SaveSource records a source's state, for a fetch that stored no item (an
// error, or a 304 Not Modified).
func (s *Store) SaveSource(ctx context.Context, st watch.SourceState) error {
	st = s.storableState(st)
	return s.writeGrouped(ctx, func(tx *gorm.DB) error {
		return saveSource(tx, st)
	})
}

// storableState returns st with its texts as the engine can store them:
// an error message, a validator or a link from upstream may hold bytes
// PostgreSQL's text refuses (NUL, invalid UTF-8).
func (s *Store) storableState(st watch.SourceState) watch.SourceState {
	for _, f := range []*string{&st.URL, &st.SiteURL, &st.ETag, &st.LastModified, &st.LastError} {
		*f = s.d.storable(*f)
	}
	return st
}

// saveSource inserts or replaces a source's row in one statement (GORM's
// Save tries an UPDATE first, then an INSERT). The page health
// (pages_failed, last_page_error) is not among its columns: SavePages
// alone writes it, and a source's cycle, which may have read its state
// before its pages were saved, never turns it back.
func saveSource(tx *gorm.DB, st watch.SourceState) error {
	m := sourceRow(st)
	err := tx.Exec("INSERT INTO sources (name, url, site_url, e_tag, last_modified, last_attempt, last_success, "+
		"last_status, last_error, consecutive_failures, next_attempt, items_seen, gone, body_digest, empty_since, failing_since) "+
		"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET "+
		"url = excluded.url, site_url = excluded.site_url, e_tag = excluded.e_tag, last_modified = excluded.last_modified, "+
		"last_attempt = excluded.last_attempt, last_success = excluded.last_success, last_status = excluded.last_status, "+
		"last_error = excluded.last_error, consecutive_failures = excluded.consecutive_failures, "+
		"next_attempt = excluded.next_attempt, items_seen = excluded.items_seen, gone = excluded.gone, "+
		"body_digest = excluded.body_digest, empty_since = excluded.empty_since, failing_since = excluded.failing_since",
		m.Name, m.URL, m.SiteURL, m.ETag, m.LastModified, m.LastAttempt, m.LastSuccess,
		m.LastStatus, m.LastError, m.ConsecutiveFailures, m.NextAttempt, m.ItemsSeen, m.Gone,
		m.BodyDigest, m.EmptySince, m.FailingSince).Error
	if err != nil {
		return fmt.Errorf("save source %s: %w", st.Name, err)
	}
	return nil
}
