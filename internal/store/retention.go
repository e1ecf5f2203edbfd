package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Prune is PruneAt with the wall clock as now.
func (s *Store) Prune(ctx context.Context, cutoff, tombCutoff time.Time) (int, error) {
	return s.PruneAt(ctx, time.Now(), cutoff, tombCutoff)
}

// PruneAt deletes the stories first seen before cutoff that are published
// in no feed, and leaves a tombstone dated now for each of their links and
// GUIDs, so that they are never ingested again as new. Tombstones dated
// before tombCutoff are forgotten. Published stories are kept, whatever
// their age. It returns how many stories it deleted.
func (s *Store) PruneAt(ctx context.Context, now, cutoff, tombCutoff time.Time) (int, error) {
	now = now.UTC()
	deleted := 0
	err := s.write(ctx, func(tx *gorm.DB) error {
		if err := tx.Where("removed < ?", tombCutoff.UTC()).Delete(&tombstone{}).Error; err != nil {
			return fmt.Errorf("forget tombstones: %w", err)
		}
		var doomed []story
		err := tx.Select("id", "link_key").
			Where("first_seen < ? AND NOT EXISTS (SELECT 1 FROM matches WHERE matches.story_id = stories.id)", cutoff.UTC()).
			Find(&doomed).Error
		if err != nil {
			return fmt.Errorf("find expired stories: %w", err)
		}
		var ids []uint
		var stones []tombstone
		for _, d := range doomed {
			ids = append(ids, d.ID)
			if d.LinkKey != "" {
				stones = append(stones, tombstone{Key: d.LinkKey, Removed: now})
			}
		}
		for part := range chunks(ids) {
			var gs []guid
			if err := tx.Where("story_id IN ?", part).Find(&gs).Error; err != nil {
				return fmt.Errorf("find expired guids: %w", err)
			}
			for _, g := range gs {
				stones = append(stones, tombstone{Key: tombKey(g.Source, g.GUID), Removed: now})
			}
			if err := tx.Where("story_id IN ?", part).Delete(&guid{}).Error; err != nil {
				return fmt.Errorf("delete guids: %w", err)
			}
			if err := tx.Where("id IN ?", part).Delete(&story{}).Error; err != nil {
				return fmt.Errorf("delete stories: %w", err)
			}
		}
		if len(stones) > 0 {
			// In batches: SQLite takes a bounded number of variables.
			err := tx.Clauses(clause.OnConflict{UpdateAll: true}).CreateInBatches(stones, chunk).Error
			if err != nil {
				return fmt.Errorf("write tombstones: %w", err)
			}
		}
		deleted = len(doomed)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("prune: %w", err)
	}
	return deleted, nil
}
