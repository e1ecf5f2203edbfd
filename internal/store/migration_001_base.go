package store

import (
	"fmt"
	"time"

	"gorm.io/gorm"
)

// migrateBase creates the schema as it was when migrations were first
// numbered. A database created before then, by AutoMigrate, already has
// its tables: this adds what it lacks and drops the indexes early versions
// created that no query uses (each cost a page written per story stored,
// their keys coming in random order).
//
// The tables are declared here as they were at version 1, not with the
// models of models.go, which later migrations change.
func migrateBase(tx *gorm.DB) error {
	if err := tx.AutoMigrate(&storyV1{}, &guidV1{}, &matchV1{}, &tombstoneV1{}, &sourceV1{}); err != nil {
		return err
	}
	m := tx.Migrator()
	for _, name := range []string{"idx_stories_link_key", "idx_stories_published"} {
		if !m.HasIndex(&storyV1{}, name) {
			continue
		}
		if err := m.DropIndex(&storyV1{}, name); err != nil {
			return fmt.Errorf("drop index %s: %w", name, err)
		}
	}
	return nil
}

type storyV1 struct {
	ID                                uint   `gorm:"primaryKey"`
	EntryID                           string `gorm:"uniqueIndex;not null"`
	LinkKey, Link, Title, Summary     string
	Content, Author, Categories       string
	Published, Updated                time.Time
	FirstSeen                         time.Time `gorm:"index"`
	SourceName, SourceURL, SourceSite string
}

func (storyV1) TableName() string { return "stories" }

type guidV1 struct {
	ID      uint   `gorm:"primaryKey"`
	Source  string `gorm:"uniqueIndex:idx_guid_source_guid;not null"`
	GUID    string `gorm:"uniqueIndex:idx_guid_source_guid;not null"`
	StoryID uint   `gorm:"index:idx_guids_story_id;not null"`
	Hash    string
}

func (guidV1) TableName() string { return "guids" }

type matchV1 struct {
	StoryID  uint   `gorm:"primaryKey;autoIncrement:false"`
	Topic    string `gorm:"primaryKey;index:idx_match_topic"`
	Keywords string
}

func (matchV1) TableName() string { return "matches" }

type tombstoneV1 struct {
	Key     string `gorm:"primaryKey"`
	Removed time.Time
}

func (tombstoneV1) TableName() string { return "tombstones" }

type sourceV1 struct {
	Name                     string `gorm:"primaryKey"`
	URL, SiteURL             string
	ETag, LastModified       string
	LastAttempt, LastSuccess time.Time
	LastStatus               int
	LastError                string
	ConsecutiveFailures      int
	NextAttempt              time.Time
	ItemsSeen                int
	Gone                     bool
}

func (sourceV1) TableName() string { return "sources" }
