package fetch_test

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/vigie-watch/vigie/internal/fetch"
)

// redirector serves /hop/N, redirecting with code to /hop/N-1, and /hop/0.
func redirector(t *testing.T, code int) *httptest.Server {
	return serve(t, func(w http.ResponseWriter, r *http.Request) {
		n, err := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/hop/"))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		if n == 0 {
			fmt.Fprint(w, "arrived")
			return
		}
		http.Redirect(w, r, fmt.Sprintf("/hop/%d", n-1), code)
	})
}

func TestGetRedirectLimit(t *testing.T) {
	srv := redirector(t, http.StatusFound)
	c := newTestClient(0)

	resp, err := c.Get(t.Context(), srv.URL+"/hop/5", fetch.Validators{})
	if err != nil {
		t.Fatalf("5 redirects: %v", err)
	}
	if string(resp.Body) != "arrived" || resp.URL != srv.URL+"/hop/0" {
		t.Errorf("5 redirects: got body %q at %q, want arrived at /hop/0", resp.Body, resp.URL)
	}
	if resp.MovedTo != "" {
		t.Errorf("temporary redirects: got MovedTo %q, want none", resp.MovedTo)
	}

	_, err = c.Get(t.Context(), srv.URL+"/hop/6", fetch.Validators{})
	if !errors.Is(err, fetch.ErrTooManyRedirects) {
		t.Errorf("6 redirects: got error %v, want ErrTooManyRedirects", err)
	}
	if want := `"` + srv.URL + "/hop/0" + `"`; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("6 redirects: got error %v, want it to name the absolute URL %s", err, want)
	}
}

func TestGetPermanentRedirect(t *testing.T) {
	// hops maps a path to the redirect it answers with; /new is the page.
	hops := map[string]struct {
		to   string
		code int
	}{
		"/301":     {"/new", http.StatusMovedPermanently},
		"/308":     {"/new", http.StatusPermanentRedirect},
		"/302":     {"/new", http.StatusFound},
		"/301-301": {"/308", http.StatusMovedPermanently},
		"/301-302": {"/302", http.StatusMovedPermanently},
		"/302-301": {"/301", http.StatusFound},
	}
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if hop, ok := hops[r.URL.Path]; ok {
			http.Redirect(w, r, hop.to, hop.code)
			return
		}
		if r.URL.Path == "/new" {
			fmt.Fprint(w, "ok")
		}
	})
	base := srv.URL
	tests := []struct{ path, wantMoved string }{
		{"/301", base + "/new"},
		{"/308", base + "/new"},
		{"/302", ""},
		{"/301-301", base + "/new"},
		{"/301-302", base + "/302"},
		{"/302-301", ""},
	}
	c := newTestClient(0)
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			resp, err := c.Get(t.Context(), base+tt.path, fetch.Validators{})
			if err != nil {
				t.Fatal(err)
			}
			if resp.MovedTo != tt.wantMoved {
				t.Errorf("MovedTo: got %q, want %q", resp.MovedTo, tt.wantMoved)
			}
			if resp.URL != base+"/new" {
				t.Errorf("URL: got %q, want %q", resp.URL, base+"/new")
			}
		})
	}
}
