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
