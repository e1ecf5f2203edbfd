package watch

import "time"

// Hit is a story published in a feed (topic "" is the main feed), as the
// activity charts count it.
type Hit struct {
	Topic     string
	Published time.Time
	Keywords  []string // those that made it match, in config order
}
