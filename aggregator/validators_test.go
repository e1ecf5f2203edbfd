package aggregator_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/vigie-watch/vigie/internal/vigietest"
)

// An upstream that changes its validators in a 304 (RFC 9111, 4.3.4: the
// stored response is updated with them) is asked with the new ones next
// time; a validator the 304 does not repeat is kept.
func TestNotModifiedUpdatesValidators(t *testing.T) {
	const lastMod = "Mon, 02 Jun 2025 08:00:00 GMT"
	up := vigietest.NewUpstream(t)
	up.HandleFunc("/feed", func(w http.ResponseWriter, r *http.Request) {
		switch r.Header.Get("If-None-Match") {
		case `"v1"`, `"v2"`:
			// The server moved to a new entity tag without a new body,
			// and repeats only the entity tag.
			w.Header().Set("ETag", `"v2"`)
			w.WriteHeader(http.StatusNotModified)
			return
		}
		vigietest.Body("application/rss+xml", okFeed, "ETag", `"v1"`, "Last-Modified", lastMod)(w, r)
	})
	h, clk := onClock(t, up.URL("/feed"))
	ctx := context.Background()
	src := h.Config.Sources[0]

	for i := range 3 {
		clk.Add(time.Hour)
		if r := h.Engine.FetchSource(ctx, src); r.Err != nil {
			t.Fatalf("fetch %d: %v", i+1, r.Err)
		}
	}
	req := up.Last("/feed")
	if got := req.Header.Get("If-None-Match"); got != `"v2"` {
		t.Errorf("third request: got If-None-Match %q, want the entity tag of the 304, %q", got, `"v2"`)
	}
	if got := req.Header.Get("If-Modified-Since"); got != lastMod {
		t.Errorf("third request: got If-Modified-Since %q, want %q kept", got, lastMod)
	}
	st := sourceState(t, h, "src")
	if st.ETag != `"v2"` || st.LastModified != lastMod {
		t.Errorf("state: got ETag %q, Last-Modified %q; want %q, %q", st.ETag, st.LastModified, `"v2"`, lastMod)
	}
}
