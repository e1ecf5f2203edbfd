package server_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/mmcdole/gofeed"
	"golang.org/x/crypto/bcrypt"

	"github.com/vigie-watch/vigie/internal/vigietest"
)

const token = "f3b1c2d9e8a7b6c5d4e3f2a1"

func authConfig(t *testing.T, u *vigietest.Upstream, password string) string {
	t.Helper()
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	return baseConfig(u, `auth:
  users:
    - name: alice
      password_hash: "`+string(hash)+`"
  tokens: [`+token+`]
`)
}

func TestAuth(t *testing.T) {
	u := newUpstream(t)
	h := newHarness(t, authConfig(t, u, "correct horse"))
	h.FetchAll()
	paths := []string{"/", "/feed.atom", "/feed.rss", "/feed.json", "/topics/drones.atom", "/sources.opml", "/try?q=VSA"}
	for _, p := range paths {
		rec := h.Get(http.MethodGet, p)
		if rec.Code != http.StatusUnauthorized {
			t.Errorf("GET %s without credentials: got %d, want 401", p, rec.Code)
		}
		if got := rec.Header().Get("WWW-Authenticate"); !strings.HasPrefix(got, "Basic ") {
			t.Errorf("GET %s: WWW-Authenticate: got %q, want a Basic challenge", p, got)
		}
		if strings.Contains(rec.Body.String(), "BriefCam") {
			t.Errorf("GET %s: a refused request shows the watch", p)
		}
		for _, bad := range [][]string{
			{"Authorization", basic("alice", "wrong")},
			{"Authorization", basic("bob", "correct horse")},
			{"Authorization", basic("alice", "")},
		} {
			if rec := h.Get(http.MethodGet, p, bad...); rec.Code != http.StatusUnauthorized {
				t.Errorf("GET %s with %v: got %d, want 401", p, bad, rec.Code)
			}
		}
		sep := "?"
		if strings.Contains(p, "?") {
			sep = "&"
		}
		if rec := h.Get(http.MethodGet, p+sep+"token=f3b1c2d9e8a7b6c5d4e3f2a2"); rec.Code != http.StatusUnauthorized {
			t.Errorf("GET %s with a wrong token: got %d, want 401", p, rec.Code)
		}
		for i := 0; i < 2; i++ { // the second answer comes from the cache of verified credentials
			if rec := h.Get(http.MethodGet, p, "Authorization", basic("alice", "correct horse")); rec.Code != http.StatusOK {
				t.Errorf("GET %s as alice: got %d, want 200", p, rec.Code)
			}
		}
		if rec := h.Get(http.MethodGet, p+sep+"token="+token); rec.Code != http.StatusOK {
			t.Errorf("GET %s with the token: got %d, want 200", p, rec.Code)
		}
	}
	if rec := h.Get(http.MethodGet, "/healthz"); rec.Code == http.StatusUnauthorized {
		t.Errorf("GET /healthz: got 401, want it open")
	}

	t.Run("the page passes the token on to its links", func(t *testing.T) {
		body := string(h.GetBody("/?token=" + token))
		for _, want := range []string{
			`href="http://vigie.example/feed.atom?token=` + token + `"`,
			`href="http://vigie.example/sources.opml?token=` + token + `"`,
			`<input type="hidden" name="token" value="` + token + `">`, // the form of /try
		} {
			if !strings.Contains(body, want) {
				t.Errorf("the page lacks %s", want)
			}
		}
		body = string(h.GetBody("/", "Authorization", basic("alice", "correct horse")))
		if strings.Contains(body, "token=") {
			t.Errorf("a page shown to a Basic user carries a token")
		}
	})

	t.Run("feed readers", func(t *testing.T) {
		srv := httptest.NewServer(h.Handler)
		t.Cleanup(srv.Close)
		for _, url := range []string{
			strings.Replace(srv.URL, "http://", "http://alice:correct%20horse@", 1) + "/feed.atom",
			srv.URL + "/topics/vsa.rss?token=" + token,
		} {
			f, err := gofeed.NewParser().ParseURLWithContext(url, context.Background())
			if err != nil {
				t.Errorf("gofeed %s: %v", url, err)
				continue
			}
			if len(f.Items) == 0 {
				t.Errorf("gofeed %s: no items", url)
			}
		}
	})

	t.Run("reload", func(t *testing.T) {
		if err := h.Engine.Apply(context.Background(), vigietest.ParseConfig(t, authConfig(t, u, "battery staple"))); err != nil {
			t.Fatal(err)
		}
		if rec := h.Get(http.MethodGet, "/feed.atom", "Authorization", basic("alice", "correct horse")); rec.Code != http.StatusUnauthorized {
			t.Errorf("old password after a reload: got %d, want 401", rec.Code)
		}
		if rec := h.Get(http.MethodGet, "/feed.atom", "Authorization", basic("alice", "battery staple")); rec.Code != http.StatusOK {
			t.Errorf("new password after a reload: got %d, want 200", rec.Code)
		}
		if err := h.Engine.Apply(context.Background(), vigietest.ParseConfig(t, baseConfig(u, ""))); err != nil {
			t.Fatal(err)
		}
		if rec := h.Get(http.MethodGet, "/feed.atom"); rec.Code != http.StatusOK {
			t.Errorf("auth removed: got %d, want 200", rec.Code)
		}
	})
}

func basic(user, pass string) string {
	r, _ := http.NewRequest(http.MethodGet, "/", nil)
	r.SetBasicAuth(user, pass)
	return r.Header.Get("Authorization")
}
