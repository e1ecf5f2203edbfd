package store

import "time"

// The models below are how the code reads and writes the tables; the
// tables themselves are created and changed by the numbered migrations
// (migrate.go), never from these structs.

// story is one story of the merged feed: an article or question, whatever
// the number of sources and GUIDs it was seen under.
type story struct {
	ID         uint   `gorm:"primaryKey"`
	EntryID    string // permanent Atom id: canon.EntryID(LinkKey), or of its first GUID when no link
	LinkKey    string // canonical link, "" when none; stories are found by link through EntryID
	Link       string
	Title      string
	Summary    string
	Content    string
	Author     string
	Categories string    // one per line
	Published  time.Time // not indexed: Entries reads the few matches of a topic and sorts them
	Updated    time.Time
	FirstSeen  time.Time // retention
	SourceName string    // the source that carried it first
	SourceURL  string
	SourceSite string

	// The page the story links to, for full-text sources.
	PageText   string     // its main text, once read
	PageRecord bool       // the text is a public record shown whole (a Senate question)
	PageDue    *time.Time // when to fetch it (again); nil when nothing is due (indexed)
	PageTries  int        // failed attempts since the story last changed
	PageError  string     // the last failure

	Recalls string // GUID, at SourceName, of an earlier story this one takes up again
}

// guid records that a source carried a story under a GUID, and the hash of
// the text that source last gave for it: a story is updated only when one
// of its sources changes its own text, never because two sources word it
// differently.
type guid struct {
	ID      uint `gorm:"primaryKey"`
	Source  string
	GUID    string
	StoryID uint
	Hash    string
}

// match records that a story is published in a topic's feed ("" is the main
// feed) because of the keywords listed, one per line.
type match struct {
	StoryID  uint   `gorm:"primaryKey;autoIncrement:false"`
	Topic    string `gorm:"primaryKey"`
	Keywords string
}

// tombstone remembers the identity of a story deleted by retention, so that
// it is never ingested again as new.
type tombstone struct {
	Key     string `gorm:"primaryKey"`
	Removed time.Time
}

// source holds what vigie knows of an upstream source: its conditional
// request validators and its health.
type source struct {
	Name                string `gorm:"primaryKey"`
	URL                 string
	SiteURL             string
	ETag                string
	LastModified        string
	LastAttempt         time.Time
	LastSuccess         time.Time
	LastStatus          int
	LastError           string
	ConsecutiveFailures int
	NextAttempt         time.Time
	ItemsSeen           int
	Gone                bool
	PagesFailed         int
	LastPageError       string
	BodyDigest          string
	EmptySince          time.Time
	FailingSince        time.Time
}
