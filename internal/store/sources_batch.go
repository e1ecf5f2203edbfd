package store

import (
	"context"

	"gorm.io/gorm"

	"github.com/vigie-watch/vigie/internal/watch"
)

// SaveSources records the states of several sources in one write
// transaction: all of them or, on error, none.
func (s *Store) SaveSources(ctx context.Context, states []watch.SourceState) error {
	return s.write(ctx, func(tx *gorm.DB) error {
		for _, st := range states {
			if err := saveSource(tx, s.storableState(st)); err != nil {
				return err
			}
		}
		return nil
	})
}
