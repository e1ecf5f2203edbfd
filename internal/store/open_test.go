package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/vigie-watch/vigie/internal/store"
)

// TestOpenUnreachable: a server that does not answer is an error naming
// its host, never the password.
func TestOpenUnreachable(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s, err := store.Open(ctx, "postgres://vigie:s3cret@127.0.0.1:1/vigie?connect_timeout=5")
	if err == nil {
		s.Close()
		t.Fatal("opened a database nobody serves")
	}
	if !strings.Contains(err.Error(), "127.0.0.1") {
		t.Errorf("error does not name the host: %v", err)
	}
	if strings.Contains(err.Error(), "s3cret") {
		t.Errorf("error shows the password: %v", err)
	}
}

// TestWrongCredentials: a refused login is an error that shows no
// password.
func TestWrongCredentials(t *testing.T) {
	both(t, func(t *testing.T, eng engine) {
		if eng != "postgresql" {
			t.Skip("SQLite has no credentials")
		}
		url := strings.Replace(eng.database(t), "postgres://postgres@", "postgres://nobody:s3cret@", 1)
		s, err := store.Open(context.Background(), url)
		if err == nil {
			s.Close()
			t.Fatal("opened a database as a user that does not exist")
		}
		if !strings.Contains(err.Error(), "nobody") || strings.Contains(err.Error(), "s3cret") {
			t.Errorf("error: got %v, want it to name the user and not show the password", err)
		}
	})
}
