package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// SourceState is what vigie keeps of a source between fetches: the
// validators of its conditional requests and its health.
type SourceState struct {
	Name                string
	URL                 string
	SiteURL             string // the site's home page, from the feed
	ETag                string
	LastModified        string
	LastAttempt         time.Time
	LastSuccess         time.Time
	LastStatus          int // HTTP status of the last answer, 0 when none came
	LastError           string
	ConsecutiveFailures int
	NextAttempt         time.Time
	ItemsSeen           int
	Gone                bool // the source answered 410 Gone: no more polling
}

func (st SourceState) model() *source {
	m := source(st)
	m.LastAttempt = m.LastAttempt.UTC()
	m.LastSuccess = m.LastSuccess.UTC()
	m.NextAttempt = m.NextAttempt.UTC()
	return &m
}

// Source returns the stored state of the source named name, or a zero state
// carrying only the name when it was never fetched.
func (s *Store) Source(ctx context.Context, name string) (SourceState, error) {
	var m source
	err := s.db.WithContext(ctx).Where("name = ?", name).Take(&m).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return SourceState{Name: name}, nil
	}
	if err != nil {
		return SourceState{}, fmt.Errorf("load source %s: %w", name, err)
	}
	return SourceState(m), nil
}

// Sources returns the state of every source ever fetched, by name.
func (s *Store) Sources(ctx context.Context) ([]SourceState, error) {
	var rows []source
	if err := s.db.WithContext(ctx).Order("name").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("load sources: %w", err)
	}
	out := make([]SourceState, len(rows))
	for i, r := range rows {
		out[i] = SourceState(r)
	}
	return out, nil
}

// SaveSource records a source's state, for a fetch that stored no item (an
// error, or a 304 Not Modified).
func (s *Store) SaveSource(ctx context.Context, st SourceState) error {
	return s.write(ctx, func(tx *gorm.DB) error {
		if err := tx.Save(st.model()).Error; err != nil {
			return fmt.Errorf("save source %s: %w", st.Name, err)
		}
		return nil
	})
}
