package config

import (
	"fmt"
	"strings"

	"golang.org/x/crypto/bcrypt"
)

// MinTokenLength is the shortest secret token accepted: a token is a
// password that travels in URLs, so it must be long and random.
const MinTokenLength = 16

// Auth restricts who may read the feeds, the page, /try and the OPML: every
// path but /healthz. Without users or tokens, everyone may.
type Auth struct {
	Users  []User   `yaml:"users"`  // HTTP Basic
	Tokens []string `yaml:"tokens"` // accepted as ?token=
}

// User is an HTTP Basic account; its password is stored as a bcrypt hash
// (htpasswd -nBC 12 NAME, or vigie hash-password).
type User struct {
	Name         string `yaml:"name"`
	PasswordHash string `yaml:"password_hash"`
}

// Enabled reports whether the configuration restricts access.
func (a Auth) Enabled() bool { return len(a.Users) > 0 || len(a.Tokens) > 0 }

// auth checks the users and tokens of the auth section.
func (v *validator) auth(a Auth) {
	names := map[string]int{}
	for i, u := range a.Users {
		key := fmt.Sprintf("auth.users[%d]", i)
		switch {
		case strings.TrimSpace(u.Name) == "":
			v.add(key+".name", "must not be empty")
		case strings.ContainsAny(u.Name, ":\r\n"):
			v.add(key+".name", "%q: a user name cannot hold a colon or a line break (HTTP Basic)", u.Name)
		default:
			if j, dup := names[u.Name]; dup {
				v.add(key+".name", "%q is already the name of auth.users[%d]", u.Name, j)
			}
			names[u.Name] = i
		}
		if _, err := bcrypt.Cost([]byte(u.PasswordHash)); err != nil {
			v.add(key+".password_hash", "not a bcrypt hash (want $2a$, $2b$ or $2y$ and 60 characters, from htpasswd -nBC 12 NAME or vigie hash-password): %v", err)
		}
	}
	seen := map[string]int{}
	for i, tok := range a.Tokens {
		key := fmt.Sprintf("auth.tokens[%d]", i)
		switch {
		case strings.TrimSpace(tok) == "":
			v.add(key, "empty token")
		case len(tok) < MinTokenLength:
			v.add(key, "too short (%d characters): a token must have at least %d, random (openssl rand -hex 24)", len(tok), MinTokenLength)
		case strings.ContainsFunc(tok, func(r rune) bool { return r <= ' ' || r == 0x7f }):
			v.add(key, "a token cannot hold spaces or control characters (it travels in URLs)")
		default:
			if j, dup := seen[tok]; dup {
				v.add(key, "same token as auth.tokens[%d]", j)
			}
			seen[tok] = i
		}
	}
}
