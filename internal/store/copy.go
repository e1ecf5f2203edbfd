package store

import (
	"context"
	"errors"
	"fmt"
	"reflect"

	"gorm.io/gorm"
)

// ErrTargetNotEmpty is returned by Copy when the target database already
// holds a watch and replacing it was not asked for.
var ErrTargetNotEmpty = errors.New("target database is not empty")

// Copied counts the rows Copy wrote.
type Copied struct {
	Stories, GUIDs, Matches, Tombstones, Sources int
}

// Copy copies the watch of from into to (SQLite to PostgreSQL, or back),
// in one transaction of to: stories and GUIDs keep their ids, sources
// their state, and to will never give an id that from gave, even to a
// story retention deleted since. Sources' fetch leases, which belong to
// running instances, are not copied. Copy refuses a target that holds
// stories, sources or tombstones (ErrTargetNotEmpty) unless replace is
// set, in which case they are deleted first.
func Copy(ctx context.Context, from, to *Store, replace bool) (Copied, error) {
	var n Copied
	src := from.db.WithContext(ctx)
	err := to.write(ctx, func(tx *gorm.DB) error {
		if err := emptyTarget(tx, replace); err != nil {
			return err
		}
		var err error
		if n.Stories, err = copyRows[story](src, tx, to.d); err != nil {
			return err
		}
		if n.GUIDs, err = copyRows[guid](src, tx, to.d); err != nil {
			return err
		}
		if n.Matches, err = copyRows[match](src, tx, to.d); err != nil {
			return err
		}
		if n.Tombstones, err = copyRows[tombstone](src, tx, to.d); err != nil {
			return err
		}
		if n.Sources, err = copyRows[source](src, tx, to.d); err != nil {
			return err
		}
		for _, table := range []string{"stories", "guids"} {
			last, err := from.d.lastID(src, table)
			if err != nil {
				return err
			}
			if err := to.d.setLastID(tx, table, last); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return Copied{}, fmt.Errorf("copy %s to %s: %w", from.name, to.name, err)
	}
	to.gen.Add(1)
	return n, nil
}

// emptyTarget checks that the target holds no watch, or empties it.
func emptyTarget(tx *gorm.DB, replace bool) error {
	tables := []string{"matches", "guids", "stories", "tombstones", "sources", "source_leases"}
	if !replace {
		for _, table := range tables[2:5] {
			var n int64
			if err := tx.Table(table).Count(&n).Error; err != nil {
				return fmt.Errorf("count %s: %w", table, err)
			}
			if n > 0 {
				return fmt.Errorf("%w: it has %d rows in %s (replace them with --force)", ErrTargetNotEmpty, n, table)
			}
		}
		return nil
	}
	for _, table := range tables {
		if err := tx.Exec("DELETE FROM " + table).Error; err != nil {
			return fmt.Errorf("empty %s: %w", table, err)
		}
	}
	return nil
}

// copyRows copies every row of a model's table, read with one cursor and
// written in batches, its texts as the target's engine can store them.
func copyRows[T any](from, to *gorm.DB, d dialect) (int, error) {
	rows, err := from.Model(new(T)).Rows()
	if err != nil {
		return 0, fmt.Errorf("read %T: %w", *new(T), err)
	}
	defer rows.Close()
	batch := make([]T, 0, copyBatch)
	n := 0
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		if err := to.Create(&batch).Error; err != nil {
			return fmt.Errorf("write %T: %w", *new(T), err)
		}
		n += len(batch)
		batch = batch[:0]
		return nil
	}
	for rows.Next() {
		var row T
		if err := from.ScanRows(rows, &row); err != nil {
			return 0, fmt.Errorf("read %T: %w", row, err)
		}
		storableRow(d, &row)
		if batch = append(batch, row); len(batch) == copyBatch {
			if err := flush(); err != nil {
				return 0, err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("read %T: %w", *new(T), err)
	}
	return n, flush()
}

// storableRow makes every text of the model row points to storable by d:
// SQLite keeps any bytes, PostgreSQL's text does not (see storable).
func storableRow(d dialect, row any) {
	v := reflect.ValueOf(row).Elem()
	for i := range v.NumField() {
		if f := v.Field(i); f.Kind() == reflect.String {
			f.SetString(d.storable(f.String()))
		}
	}
}

// copyBatch is how many rows go in one INSERT: 15 columns each stay far
// below SQLite's limit on variables.
const copyBatch = 200
