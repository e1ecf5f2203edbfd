package store_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestBackgroundCheckpoint: what a source wrote reaches the database file
// in the background, while the store stays open, without the writer
// copying the WAL itself.
func TestBackgroundCheckpoint(t *testing.T) {
	path := filepath.Join(t.TempDir(), "vigie.db")
	d := openAt(t, path)
	before := fileSize(t, path)
	text := strings.Repeat("La vidéosurveillance algorithmique s’étend. ", 50)
	for i := range 100 {
		it := pub(fmt.Sprint(i), fmt.Sprintf("https://example.org/%d", i), "Reconnaissance faciale "+text, day(1))
		d.ingest("a", day(1), it)
	}
	if wal := fileSize(t, path+"-wal"); wal < 200<<10 {
		t.Fatalf("WAL after 100 writes: got %d bytes, want them there first", wal)
	}
	deadline := time.Now().Add(10 * time.Second)
	for fileSize(t, path) < before+200<<10 {
		if time.Now().After(deadline) {
			t.Fatalf("database file still %d bytes 10 s after the writes (was %d), want the WAL copied into it", fileSize(t, path), before)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}
