package match

import (
	"errors"
	"fmt"
)

// Errors a [KeywordError] wraps.
var (
	ErrEmpty    = errors.New("empty keyword")
	ErrNoWord   = errors.New("no letter or digit")
	ErrWildcard = errors.New(`"*" is only allowed at the end of a word, as in "caméra*"`)
)

// KeywordError names a keyword or exclude entry that cannot be compiled.
type KeywordError struct {
	List    string // "keywords" or "exclude"
	Index   int    // position in that list, from 0
	Keyword string // the entry as written
	Err     error  // ErrEmpty, ErrNoWord or ErrWildcard
}

func (e *KeywordError) Error() string {
	return fmt.Sprintf("%s[%d] %q: %v", e.List, e.Index, e.Keyword, e.Err)
}

func (e *KeywordError) Unwrap() error { return e.Err }
