package fetch_test

import (
	"net/http"
	"testing"

	"github.com/vigie-watch/vigie/internal/fetch"
)

// A 304 updates the validators it carries and keeps those it does not.
func TestNotModifiedMergesValidators(t *testing.T) {
	sent := fetch.Validators{ETag: `"v1"`, LastModified: "Wed, 07 Oct 2026 10:00:00 GMT"}
	cases := []struct {
		name   string
		header map[string]string
		want   fetch.Validators
	}{
		{"none repeated", nil, sent},
		{"new entity tag only", map[string]string{"ETag": `"v2"`}, fetch.Validators{ETag: `"v2"`, LastModified: sent.LastModified}},
		{"new date only", map[string]string{"Last-Modified": "Thu, 08 Oct 2026 10:00:00 GMT"}, fetch.Validators{ETag: sent.ETag, LastModified: "Thu, 08 Oct 2026 10:00:00 GMT"}},
		{"both", map[string]string{"ETag": `"v3"`, "Last-Modified": "Fri, 09 Oct 2026 10:00:00 GMT"}, fetch.Validators{ETag: `"v3"`, LastModified: "Fri, 09 Oct 2026 10:00:00 GMT"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
				for k, v := range tc.header {
					w.Header().Set(k, v)
				}
				w.WriteHeader(http.StatusNotModified)
			})
			resp, err := newTestClient(0).Get(t.Context(), srv.URL, sent)
			if err != nil {
				t.Fatal(err)
			}
			if !resp.NotModified || resp.Validators != tc.want {
				t.Errorf("got not modified %v, validators %+v; want true, %+v", resp.NotModified, resp.Validators, tc.want)
			}
		})
	}
}
