package vigietest

import (
	"fmt"
	"net/http"
	"sync"
	"time"
)

// Validating is a handler serving one document at a time with an ETag and
// a Last-Modified, answering 304 to a request that sends the current ETag
// back, as data.senat.fr's web server does. Mount it on an Upstream with
// Handle; its zero value serves an empty body until Set.
type Validating struct {
	mu      sync.Mutex
	body    []byte
	ctype   string
	etag    string
	mod     time.Time
	version int
	ignore  bool
	ifNone  []string // If-None-Match of each request, "" when absent
	answers []int    // status of each answer
}

// Set publishes a new version of the document under a new ETag and a later
// Last-Modified.
func (v *Validating) Set(body []byte, ctype string) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.version++
	v.body, v.ctype = body, ctype
	v.etag = fmt.Sprintf("%q", fmt.Sprintf("v%d-%d", v.version, len(body)))
	v.mod = time.Date(2024, 3, 15, 4, 0, 0, 0, time.UTC).Add(time.Duration(v.version) * time.Hour)
}

// IgnoreValidators makes it answer 200 whatever the request's validators,
// as servers that send an ETag but never honour it do.
func (v *Validating) IgnoreValidators() {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.ignore = true
}

// Last returns the If-None-Match and the status of the latest request, or
// "" and 0 if there was none.
func (v *Validating) Last() (ifNoneMatch string, status int) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if len(v.answers) == 0 {
		return "", 0
	}
	return v.ifNone[len(v.ifNone)-1], v.answers[len(v.answers)-1]
}

// ServeHTTP implements http.Handler.
func (v *Validating) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	v.mu.Lock()
	defer v.mu.Unlock()
	inm := r.Header.Get("If-None-Match")
	v.ifNone = append(v.ifNone, inm)
	w.Header().Set("ETag", v.etag)
	w.Header().Set("Last-Modified", v.mod.Format(http.TimeFormat))
	if !v.ignore && inm != "" && inm == v.etag {
		v.answers = append(v.answers, http.StatusNotModified)
		w.WriteHeader(http.StatusNotModified)
		return
	}
	v.answers = append(v.answers, http.StatusOK)
	w.Header().Set("Content-Type", v.ctype)
	w.Write(v.body)
}
