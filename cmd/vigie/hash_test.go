package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"
)

// TestHashPassword checks that the hash printed is accepted by vigie check
// and matches the password typed, without its line break.
func TestHashPassword(t *testing.T) {
	var out bytes.Buffer
	if err := cmdHashPassword(nil, strings.NewReader("correct horse\n"), &out); err != nil {
		t.Fatal(err)
	}
	hash := strings.TrimSpace(out.String())
	if err := bcrypt.CompareHashAndPassword([]byte(hash), []byte("correct horse")); err != nil {
		t.Errorf("the hash does not match the password: %v", err)
	}
	if cost, _ := bcrypt.Cost([]byte(hash)); cost != hashCost {
		t.Errorf("cost: got %d, want %d", cost, hashCost)
	}
	path := filepath.Join(t.TempDir(), "config.yaml")
	cfg := "sources:\n  - name: a\n    url: https://a.example/feed\nkeywords: [VSA]\nauth:\n  users:\n    - name: alice\n      password_hash: \"" + hash + "\"\n"
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	var check bytes.Buffer
	if err := Run(context.Background(), []string{"check", "--config", path}, &check, &check); err != nil {
		t.Errorf("vigie check refuses the hash: %v", err)
	}
	if err := cmdHashPassword(nil, strings.NewReader("\n"), &out); exitCode(err) != 2 {
		t.Errorf("empty password: got %v, want a usage error", err)
	}
}
