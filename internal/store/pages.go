package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/vigie-watch/vigie/internal/canon"

	"github.com/vigie-watch/vigie/internal/watch"
)

// PagesDue returns, oldest first, at most limit stories carried by the
// source named source whose page is due at now: new or changed stories of
// a full-text source, pages to retry, questions awaiting their answer.
// A story stays due until SavePages says otherwise, whether or not the
// source still carries it.
func (s *Store) PagesDue(ctx context.Context, source string, now time.Time, limit int) ([]watch.PageTask, error) {
	var rows []story
	err := s.db.WithContext(ctx).
		Select("id", "entry_id", "link", "title", "summary", "content", "categories", "page_tries").
		Where("page_due IS NOT NULL AND page_due <= ?", now.UTC()).
		Where("id IN (SELECT story_id FROM guids WHERE source = ?)", source).
		Order("page_due, id").Limit(limit).
		Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("load pages due for %s: %w", source, err)
	}
	out := make([]watch.PageTask, len(rows))
	for i, r := range rows {
		out[i] = watch.PageTask{
			EntryID: r.EntryID,
			Link:    r.Link,
			Text:    watch.Text{Title: r.Title, Summary: r.Summary, Content: r.Content, Categories: splitLines(r.Categories)},
			Tries:   r.PageTries,
		}
	}
	return out, nil
}

// SavePages stores what fetching the pages of a source's stories came to,
// in one transaction: each page's text (kept from an earlier fetch when
// this one failed), when it is due again (nil: done), the entry's update
// time when a public record changed, the story's matches with the
// page's text, and the source's page health. A failed page never touches
// its story's text or matches.
func (s *Store) SavePages(ctx context.Context, sourceName string, results []watch.PageResult, health watch.PageHealth, now time.Time) error {
	changed := false
	health.LastError = s.d.storable(health.LastError)
	err := s.write(ctx, func(tx *gorm.DB) error {
		for _, r := range results {
			r = storablePage(s.d, r)
			var due *time.Time
			if !r.NextDue.IsZero() {
				t := r.NextDue.UTC()
				due = &t
			}
			var st story
			if err := tx.Select("id", "page_text", "page_record").Where("entry_id = ?", r.EntryID).Take(&st).Error; err != nil {
				return fmt.Errorf("load story %s: %w", r.EntryID, err)
			}
			cols := map[string]any{"page_due": due, "page_tries": r.Tries, "page_error": r.Err}
			if r.Err == "" {
				cols["page_text"], cols["page_record"] = r.Text, r.Record
				// A public record is shown whole: when it changes (the
				// answer is published), the entry is updated.
				if r.Record && st.PageRecord && st.PageText != r.Text {
					cols["updated"] = now.UTC()
				}
			}
			if err := tx.Model(&story{}).Where("id = ?", st.ID).Updates(cols).Error; err != nil {
				return fmt.Errorf("save page of %s: %w", r.EntryID, err)
			}
			if r.Err != "" {
				continue
			}
			changed = changed || st.PageText != r.Text
			if err := writeMatches(tx, st.ID, r.Matches); err != nil {
				return err
			}
			if r.Announce != "" {
				if err := announce(tx, s.d, st.ID, r, now); err != nil {
					return err
				}
			}
		}
		err := tx.Model(&source{}).Where("name = ?", sourceName).
			Updates(map[string]any{"pages_failed": health.Failed, "last_page_error": health.LastError}).Error
		if err != nil {
			return fmt.Errorf("save page health of %s: %w", sourceName, err)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("save pages of %s: %w", sourceName, err)
	}
	if changed {
		s.gen.Add(1)
	}
	return nil
}

// storablePage is a page's result with its texts as the engine can store
// them: a page may lie about its charset, and an error may quote it.
func storablePage(d dialect, r watch.PageResult) watch.PageResult {
	for _, f := range []*string{&r.Text, &r.Err, &r.Announce} {
		*f = d.storable(*f)
	}
	return r
}

// announce creates, once, the entry announcing what the page of the story
// storyID now says: its own stable id (derived from the story's), the
// story's link and source, the page's text as a record, and the story's
// matches. No source carries it: it is never due for a fetch nor updated
// by a feed.
func announce(tx *gorm.DB, d dialect, storyID uint, r watch.PageResult, now time.Time) error {
	entryID := canon.EntryID("announce:" + r.EntryID)
	var n int64
	if err := tx.Model(&story{}).Where("entry_id = ?", entryID).Count(&n).Error; err != nil {
		return fmt.Errorf("look for announcement: %w", err)
	}
	if n > 0 {
		return nil
	}
	var q story
	if err := tx.Where("id = ?", storyID).Take(&q).Error; err != nil {
		return fmt.Errorf("load announced story: %w", err)
	}
	ids, err := d.storyIDs(tx, 1)
	if err != nil {
		return err
	}
	id := ids[0]
	now = now.UTC()
	a := &story{
		ID: id, EntryID: entryID, Link: q.Link, Title: r.Announce, Author: q.Author, Categories: q.Categories,
		Published: now, Updated: now, FirstSeen: now,
		SourceName: q.SourceName, SourceURL: q.SourceURL, SourceSite: q.SourceSite,
	}
	if err := insertStories(tx, d, []*story{a}); err != nil {
		return err
	}
	if err := tx.Model(a).Updates(map[string]any{"page_text": r.Text, "page_record": true}).Error; err != nil {
		return fmt.Errorf("write announcement: %w", err)
	}
	return insertMatches(tx, d, matchRows(id, r.Matches))
}
