package watch

import "time"

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
	// Pages of full-text items, as of the source's last page fetches:
	// their failures never make the source itself failing.
	PagesFailed   int    // pages that could not be read
	LastPageError string // the last of those failures
	// BodyDigest identifies the last body parsed and stored, with the
	// source's settings that shape its items: the same bytes again are
	// not parsed again. Empty when there is none.
	BodyDigest string
	// EmptySince is when the source's feed was first seen empty, in the
	// run of successful fetches that gave no item; zero when its last
	// parsed feed had items.
	EmptySince time.Time
	// FailingSince is when the current run of failed attempts began; zero
	// when the last attempt succeeded.
	FailingSince time.Time
}
