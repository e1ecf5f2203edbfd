package server

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"net/url"
	"sync"

	"golang.org/x/crypto/bcrypt"

	"github.com/vigie-watch/vigie/internal/config"
)

// maxVerified bounds the cache of credentials bcrypt already accepted.
const maxVerified = 256

// guard enforces the auth section of the running configuration on every
// path but /healthz. A request passes with a user's HTTP Basic credentials
// or with one of the tokens as ?token=.
//
// bcrypt costs tens of milliseconds by design, and feed readers send their
// credentials with every poll: credentials bcrypt accepted are remembered,
// as a salted SHA-256, until the configuration changes.
type guard struct {
	salt [32]byte
	// dummy is compared against when the user is unknown, so that an
	// unknown name takes as long as a wrong password.
	dummy     []byte
	dummyOnce sync.Once

	mu       sync.Mutex
	auth     *config.Auth // the section verified holds for
	verified map[[sha256.Size]byte]bool
}

func newGuard() *guard {
	g := &guard{verified: map[[sha256.Size]byte]bool{}}
	rand.Read(g.salt[:])
	return g
}

// authorize wraps next with the auth of the configuration cfg returns.
func (g *guard) authorize(cfg func() *config.Config, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth := &cfg().Auth
		if r.URL.Path == "/healthz" || !auth.Enabled() || g.allowed(auth, r) {
			next.ServeHTTP(w, r)
			return
		}
		h := w.Header()
		if len(auth.Users) > 0 {
			h.Set("WWW-Authenticate", `Basic realm="vigie", charset="UTF-8"`)
		}
		h.Set("Cache-Control", "no-store")
		http.Error(w, "401 Unauthorized: this watch needs a user name and password, or its address with ?token=", http.StatusUnauthorized)
	})
}

// allowed reports whether r carries a token or credentials of auth.
func (g *guard) allowed(auth *config.Auth, r *http.Request) bool {
	if tok := r.URL.Query().Get("token"); tok != "" && validToken(auth.Tokens, tok) {
		return true
	}
	user, pass, ok := r.BasicAuth()
	return ok && len(auth.Users) > 0 && g.validUser(auth, user, pass)
}

// validToken compares tok with every token in constant time: digests of
// equal length, all of them compared.
func validToken(tokens []string, tok string) bool {
	got := sha256.Sum256([]byte(tok))
	found := 0
	for _, t := range tokens {
		want := sha256.Sum256([]byte(t))
		found |= subtle.ConstantTimeCompare(got[:], want[:])
	}
	return found == 1
}

func (g *guard) validUser(auth *config.Auth, user, pass string) bool {
	key := g.key(user, pass)
	g.mu.Lock()
	if g.auth != auth { // the configuration changed
		g.auth, g.verified = auth, map[[sha256.Size]byte]bool{}
	}
	ok := g.verified[key]
	g.mu.Unlock()
	if ok {
		return true
	}
	g.dummyOnce.Do(func() { g.dummy, _ = bcrypt.GenerateFromPassword(g.salt[:16], bcrypt.DefaultCost) })
	hash := g.dummy
	known := 0
	for _, u := range auth.Users {
		if subtle.ConstantTimeCompare([]byte(u.Name), []byte(user)) == 1 {
			hash, known = []byte(u.PasswordHash), 1
		}
	}
	if bcrypt.CompareHashAndPassword(hash, []byte(pass)) != nil || known == 0 {
		return false
	}
	g.mu.Lock()
	if g.auth == auth {
		if len(g.verified) >= maxVerified {
			clear(g.verified)
		}
		g.verified[key] = true
	}
	g.mu.Unlock()
	return true
}

func (g *guard) key(user, pass string) [sha256.Size]byte {
	h := sha256.New()
	h.Write(g.salt[:])
	h.Write([]byte(user))
	h.Write([]byte{0})
	h.Write([]byte(pass))
	var k [sha256.Size]byte
	h.Sum(k[:0])
	return k
}

// tokenQuery returns "?token=..." when r was let in by a token, so that the
// links of the page carry it to the feed reader; "" otherwise.
func tokenQuery(cfg *config.Config, r *http.Request) string {
	if tok := tokenValue(cfg, r); tok != "" {
		return "?" + url.Values{"token": {tok}}.Encode()
	}
	return ""
}

// tokenValue returns the token r was let in with, for a form to carry; ""
// when r came in without one, or with credentials.
func tokenValue(cfg *config.Config, r *http.Request) string {
	if r == nil || len(cfg.Auth.Tokens) == 0 {
		return ""
	}
	if tok := r.URL.Query().Get("token"); tok != "" && validToken(cfg.Auth.Tokens, tok) {
		return tok
	}
	return ""
}
