package config_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/vigie-watch/vigie/internal/config"
)

func TestAuth(t *testing.T) {
	hash, err := bcrypt.GenerateFromPassword([]byte("correct horse"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	good := valid + `auth:
  users:
    - name: alice
      password_hash: "` + string(hash) + `"
  tokens:
    - 3f1c9a7be2d84c05a1f6
`
	cfg, err := config.Parse(strings.NewReader(good))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if !cfg.Auth.Enabled() || cfg.Auth.Users[0].Name != "alice" || cfg.Auth.Tokens[0] != "3f1c9a7be2d84c05a1f6" {
		t.Errorf("auth: got %+v", cfg.Auth)
	}
	if c, _ := config.Parse(strings.NewReader(valid)); c.Auth.Enabled() {
		t.Errorf("no auth section: got auth enabled")
	}

	bad := valid + `auth:
  users:
    - name: alice
      password_hash: "{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g="
    - name: "bob:smith"
      password_hash: "` + string(hash) + `"
    - name: ""
      password_hash: "` + string(hash)[:40] + `"
  tokens:
    - ""
    - short
    - "with a space inside it"
  passwords: [x]
`
	_, err = config.Parse(strings.NewReader(bad))
	var cerr *config.Error
	if !errors.As(err, &cerr) {
		t.Fatalf("got %v, want a config error", err)
	}
	want := []string{
		"line 23: auth.users[0].password_hash: not a bcrypt hash",
		`line 24: auth.users[1].name: "bob:smith": a user name cannot hold a colon`,
		"line 26: auth.users[2].name: must not be empty",
		"line 27: auth.users[2].password_hash: not a bcrypt hash",
		"line 29: auth.tokens[0]: empty token",
		"line 30: auth.tokens[1]: too short (5 characters)",
		"line 31: auth.tokens[2]: a token cannot hold spaces",
		`line 32: auth.passwords: unknown key`,
	}
	if len(cerr.Problems) != len(want) {
		t.Errorf("got %d problems, want %d:\n%s", len(cerr.Problems), len(want), fmt.Sprint(cerr.Problems))
	}
	for i, w := range want {
		if i < len(cerr.Problems) && !strings.HasPrefix(cerr.Problems[i].String(), w) {
			t.Errorf("problem %d:\n got %s\nwant %s...", i, cerr.Problems[i], w)
		}
	}
}

// TestAuthDuplicates: a user name or a token given twice is refused, naming
// the entry it repeats (a second alice would never be checked).
func TestAuthDuplicates(t *testing.T) {
	hash, err := bcrypt.GenerateFromPassword([]byte("correct horse"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	dup := valid + `auth:
  users:
    - name: alice
      password_hash: "` + string(hash) + `"
    - name: alice
      password_hash: "` + string(hash) + `"
  tokens:
    - 3f1c9a7be2d84c05a1f6
    - 3f1c9a7be2d84c05a1f6
`
	_, err = config.Parse(strings.NewReader(dup))
	var cerr *config.Error
	if !errors.As(err, &cerr) {
		t.Fatalf("got %v, want a config error", err)
	}
	want := []string{
		`auth.users[1].name: "alice" is already the name of auth.users[0]`,
		"auth.tokens[1]: same token as auth.tokens[0]",
	}
	if len(cerr.Problems) != len(want) {
		t.Fatalf("got %d problems, want %d:\n%s", len(cerr.Problems), len(want), fmt.Sprint(cerr.Problems))
	}
	for i, w := range want {
		if !strings.Contains(cerr.Problems[i].String(), w) {
			t.Errorf("problem %d:\n got %s\nwant %s", i, cerr.Problems[i], w)
		}
	}
}
