package dburl_test

import (
	"strings"
	"testing"

	"github.com/vigie-watch/vigie/internal/dburl"
)

func TestIsPostgres(t *testing.T) {
	for database, want := range map[string]bool{
		"postgres://vigie@db.example/vigie":   true,
		"postgresql://vigie@db.example/vigie": true,
		"POSTGRES://vigie@db.example/vigie":   true,
		"vigie.db":                            false,
		"/var/lib/vigie/postgres.db":          false,
		"file:postgres://x":                   false,
		"mysql://vigie@db.example/vigie":      false,
	} {
		if got := dburl.IsPostgres(database); got != want {
			t.Errorf("IsPostgres(%q): got %v, want %v", database, got, want)
		}
	}
}

// TestValidateURL checks URLs without connecting, and never shows a
// password in its errors.
func TestValidateURL(t *testing.T) {
	for database, wantErr := range map[string]string{
		"postgres://vigie:s3cret@db.example:5432/vigie?sslmode=require": "",
		"postgresql://vigie@/vigie?host=/run/postgresql":                "",
		"postgres://vigie:s3cret@/vigie":                                "no host",
		"postgres://vigie:s3cret@db.example":                            "no database name",
		"postgres://vigie:s3cret@db.example/vigie?sslmode=sometimes":    "db.example",
		"postgres://vigie:s3cret@db.example:notaport/vigie":             "not a valid URL",
	} {
		err := dburl.Validate(database)
		if wantErr == "" {
			if err != nil {
				t.Errorf("%s: %v", database, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), wantErr) {
			t.Errorf("%s: got %v, want an error saying %q", database, err, wantErr)
			continue
		}
		if strings.Contains(err.Error(), "s3cret") {
			t.Errorf("%s: error shows the password: %v", database, err)
		}
	}
}
