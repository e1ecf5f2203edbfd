package store

import (
	"context"
	"fmt"

	"github.com/vigie-watch/vigie/internal/watch"
)

// relate links the entries of stories (out[i] is stories[i]'s) with the
// stories they take up again and that take them up again: a Senate
// question re-asking an earlier one names it by its reference, the GUID
// of the earlier one at the same source.
func (s *Store) relate(ctx context.Context, stories []story, out []watch.Entry) error {
	var refs []string
	ids := make([]uint, 0, len(stories))
	for _, st := range stories {
		ids = append(ids, st.ID)
		if st.Recalls != "" {
			refs = append(refs, st.Recalls)
		}
	}
	type linked struct {
		GUID, Source, Title, Link, Recalls string
		StoryID                            uint
	}
	db := s.db.WithContext(ctx)
	if len(refs) > 0 {
		var rows []linked
		err := db.Table("guids").Select("guids.guid, guids.source, stories.title, stories.link").
			Joins("JOIN stories ON stories.id = guids.story_id").
			Where(s.d.inList("guids.guid", refs)).Scan(&rows).Error
		if err != nil {
			return fmt.Errorf("load recalled stories: %w", err)
		}
		for i, st := range stories {
			for _, r := range rows {
				if st.Recalls != "" && r.GUID == st.Recalls && r.Source == st.SourceName {
					out[i].Recalls = &watch.Related{Title: r.Title, Link: r.Link}
				}
			}
		}
	}
	var own []linked
	for part := range chunks(ids) {
		var rows []linked
		if err := db.Table("guids").Select("guid, source, story_id").Where("story_id IN ?", part).Scan(&rows).Error; err != nil {
			return fmt.Errorf("load guids of entries: %w", err)
		}
		own = append(own, rows...)
	}
	guids := make([]string, len(own))
	for i, g := range own {
		guids[i] = g.GUID
	}
	var later []linked
	for part := range chunks(guids) {
		var rows []linked
		err := db.Table("stories").Select("title, link, recalls, source_name AS source").
			Where("recalls <> ''").Where(s.d.inList("recalls", part)).Order("published, id").Scan(&rows).Error
		if err != nil {
			return fmt.Errorf("load recalling stories: %w", err)
		}
		later = append(later, rows...)
	}
	for i, st := range stories {
		for _, g := range own {
			if g.StoryID != st.ID {
				continue
			}
			for _, l := range later {
				if l.Recalls == g.GUID && l.Source == g.Source {
					out[i].RecalledBy = append(out[i].RecalledBy, watch.Related{Title: l.Title, Link: l.Link})
				}
			}
		}
	}
	return nil
}
