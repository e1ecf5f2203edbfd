package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/vigie-watch/vigie/internal/dburl"
	"github.com/vigie-watch/vigie/internal/store"
)

// openStore opens the database at path. SQLite reports a database it
// could not create in a directory it may not write to as "no such file or
// directory"; the error then names the real cause.
func openStore(ctx context.Context, path string) (*store.Store, error) {
	st, err := store.Open(ctx, path)
	if err != nil {
		return nil, explainOpen(path, err)
	}
	return st, nil
}

// openExistingStore opens the database at path for a command that reads
// it. Opening an SQLite path creates the file: a mistyped path or a wrong
// working directory would read an empty watch (export an empty feed over
// a good one, migrate nothing, or with --force empty the target), so an
// SQLite file that does not exist is an error. PostgreSQL URLs are opened
// as they are.
func openExistingStore(ctx context.Context, path string) (*store.Store, error) {
	if !dburl.IsPostgres(path) {
		if _, err := os.Stat(path); err != nil {
			return nil, err
		}
	}
	return openStore(ctx, path)
}

// explainOpen adds to err why the database at path could not be created,
// when it does not exist and its directory is not writable.
func explainOpen(path string, err error) error {
	if strings.Contains(path, "://") {
		return err
	}
	if _, serr := os.Stat(path); !errors.Is(serr, fs.ErrNotExist) {
		return err
	}
	dir := filepath.Dir(path)
	if aerr := unix.Access(dir, unix.W_OK|unix.X_OK); aerr != nil {
		return fmt.Errorf("cannot create database %s: directory %s: %w (%w)", path, dir, aerr, err)
	}
	return err
}
