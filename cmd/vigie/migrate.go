package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/vigie-watch/vigie/internal/store"
)

// cmdMigrate copies a watch from one database to another (SQLite to
// PostgreSQL, or back), ids kept.
func cmdMigrate(ctx context.Context, args []string, stdout io.Writer) error {
	var from, to string
	var force bool
	_, rest, err := flags("migrate", args, func(fs *flag.FlagSet) {
		fs.StringVar(&from, "from", "", "database to copy: an SQLite file or a postgres:// URL")
		fs.StringVar(&to, "to", "", "database to copy into")
		fs.BoolVar(&force, "force", false, "replace what the target database holds")
	})
	if err != nil {
		return err
	}
	if from == "" || to == "" || len(rest) > 0 {
		return usageError{"migrate: want --from DB --to DB [--force]"}
	}
	if from == to {
		return usageError{"migrate: --from and --to name the same database"}
	}
	src, err := openExistingStore(ctx, from)
	if err != nil {
		return fmt.Errorf("migrate: --from %s: %w", from, err)
	}
	defer src.Close()
	dst, err := openStore(ctx, to)
	if err != nil {
		return err
	}
	defer dst.Close()
	n, err := store.Copy(ctx, src, dst, force)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "copied %s to %s: %d stories, %d GUIDs, %d matches, %d tombstones, %d sources\n",
		src.Name(), dst.Name(), n.Stories, n.GUIDs, n.Matches, n.Tombstones, n.Sources)
	return nil
}
