package store

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"gorm.io/gorm"

	"github.com/vigie-watch/vigie/internal/pgtest"
)

// These tests run the migrator over lists of steps of their own: what a
// later migration does when it is added, and when it fails.

// onBoth runs a test on a new SQLite database, then on a new PostgreSQL
// one when PostgreSQL is installed.
func onBoth(t *testing.T, run func(t *testing.T, s *Store)) {
	t.Run("sqlite", func(t *testing.T) { run(t, openForSteps(t, filepath.Join(t.TempDir(), "vigie.db"))) })
	t.Run("postgresql", func(t *testing.T) {
		pgtest.Skip(t, testPG)
		run(t, openForSteps(t, testPG.NewDatabase(t)))
	})
}

func openForSteps(t *testing.T, database string) *Store {
	t.Helper()
	s, err := Open(context.Background(), database)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func withStep(up func(tx *gorm.DB) error) []migration {
	steps := append([]migration(nil), migrations...)
	return append(steps, migration{len(steps) + 1, "test step", up})
}

func TestLaterMigrationAppliedOnce(t *testing.T) { onBoth(t, testLaterMigrationAppliedOnce) }

func testLaterMigrationAppliedOnce(t *testing.T, s *Store) {
	ctx := context.Background()
	runs := 0
	steps := withStep(func(tx *gorm.DB) error {
		runs++
		return tx.Exec("ALTER TABLE stories ADD COLUMN test_step TEXT NOT NULL DEFAULT ''").Error
	})
	for range 2 {
		if err := migrate(ctx, s.db, s.d, steps); err != nil {
			t.Fatal(err)
		}
	}
	if runs != 1 {
		t.Errorf("runs of the new step: got %d, want 1", runs)
	}
	if v, err := s.SchemaVersion(ctx); err != nil || v != len(steps) {
		t.Errorf("version: got %d, %v, want %d", v, err, len(steps))
	}
	if !s.db.Migrator().HasColumn("stories", "test_step") {
		t.Error("column test_step not added")
	}
}

func TestFailedMigrationRollsBack(t *testing.T) { onBoth(t, testFailedMigrationRollsBack) }

func testFailedMigrationRollsBack(t *testing.T, s *Store) {
	ctx := context.Background()
	before, err := s.SchemaVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	steps := withStep(func(tx *gorm.DB) error {
		if err := tx.Exec("CREATE TABLE half_done (id INTEGER)").Error; err != nil {
			return err
		}
		return boom
	})
	if err := migrate(ctx, s.db, s.d, steps); !errors.Is(err, boom) {
		t.Fatalf("migrate: got %v, want %v", err, boom)
	}
	if s.db.Migrator().HasTable("half_done") {
		t.Error("table of the failed step kept")
	}
	if v, err := s.SchemaVersion(ctx); err != nil || v != before {
		t.Errorf("version: got %d, %v, want %d", v, err, before)
	}
}

func TestMisnumberedMigrationsRefused(t *testing.T) {
	s := openForSteps(t, filepath.Join(t.TempDir(), "vigie.db"))
	steps := withStep(func(*gorm.DB) error { return nil })
	steps[len(steps)-1].version++
	if err := migrate(context.Background(), s.db, s.d, steps); err == nil {
		t.Error("migrations with a gap accepted")
	}
}
