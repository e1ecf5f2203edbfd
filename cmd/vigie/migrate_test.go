package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigie-watch/vigie/internal/config"
	"github.com/vigie-watch/vigie/internal/pgtest"
)

// TestMigrate copies a watch from SQLite into PostgreSQL and back: every
// feed exported from the copy is the one exported from the original, byte
// for byte (ids, dates, order); a non-empty target is refused without
// --force.
func TestMigrate(t *testing.T) {
	pgtest.Skip(t, testPG)
	configPath, _ := exportFixture(t)
	cfg, err := config.Load(configPath)
	if err != nil {
		t.Fatal(err)
	}
	sqlitePath := cfg.Database
	exports := func(database string) []string {
		t.Helper()
		raw, err := os.ReadFile(configPath)
		if err != nil {
			t.Fatal(err)
		}
		path := configPath + ".copy.yaml"
		replaceFile(t, path, strings.Replace(string(raw), "database: "+sqlitePath, "database: "+database, 1))
		var out []string
		for _, args := range [][]string{nil, {"--format", "json"}, {"--topic", "vsa"}} {
			var b, errb bytes.Buffer
			if err := Run(context.Background(), append([]string{"export", "--config", path}, args...), &b, &errb); err != nil {
				t.Fatalf("export %s: %v\n%s", database, err, &errb)
			}
			out = append(out, b.String())
		}
		return out
	}
	migrate := func(args ...string) (string, error) {
		var out, errb bytes.Buffer
		err := Run(context.Background(), append([]string{"migrate"}, args...), &out, &errb)
		return out.String(), err
	}
	want := exports(sqlitePath)

	pg := testPG.NewDatabase(t)
	out, err := migrate("--from", sqlitePath, "--to", pg)
	if err != nil {
		t.Fatalf("migrate to PostgreSQL: %v", err)
	}
	if !strings.HasPrefix(out, "copied "+sqlitePath+" to postgres://") || !strings.Contains(out, " stories,") {
		t.Errorf("summary: got %q", out)
	}
	for i, got := range exports(pg) {
		if got != want[i] {
			t.Errorf("export %d from PostgreSQL differs:\ngot  %s\nwant %s", i, got, want[i])
		}
	}

	if _, err := migrate("--from", sqlitePath, "--to", pg); err == nil || !strings.Contains(err.Error(), "--force") {
		t.Errorf("migrate into a non-empty target: got %v, want a refusal naming --force", err)
	}
	if _, err := migrate("--from", sqlitePath, "--to", pg, "--force"); err != nil {
		t.Errorf("migrate --force: %v", err)
	}

	back := t.TempDir() + "/back.db"
	if _, err := migrate("--from", pg, "--to", back); err != nil {
		t.Fatalf("migrate back to SQLite: %v", err)
	}
	for i, got := range exports(back) {
		if got != want[i] {
			t.Errorf("export %d from the SQLite copy differs:\ngot  %s\nwant %s", i, got, want[i])
		}
	}
	if _, err := migrate("--from", pg); exitCode(err) != 2 {
		t.Errorf("migrate without --to: got %v, want a usage error", err)
	}
}

// TestMigrateFromMissingFile: a mistyped --from is refused, naming it, and
// neither created nor allowed to empty the target with --force.
func TestMigrateFromMissingFile(t *testing.T) {
	configPath, _ := exportFixture(t)
	cfg, err := config.Load(configPath)
	if err != nil {
		t.Fatal(err)
	}
	target := cfg.Database
	before, err := os.ReadFile(target)
	if err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(t.TempDir(), "typo.db")
	var out, errb bytes.Buffer
	err = Run(context.Background(), []string{"migrate", "--from", missing, "--to", target, "--force"}, &out, &errb)
	if err == nil || !strings.Contains(err.Error(), missing) || !strings.Contains(err.Error(), "no such file") {
		t.Fatalf("got %v, want an error naming %s as missing", err, missing)
	}
	if _, serr := os.Stat(missing); serr == nil {
		t.Errorf("%s was created", missing)
	}
	if after, _ := os.ReadFile(target); !bytes.Equal(before, after) {
		t.Errorf("the target %s changed", target)
	}
}
