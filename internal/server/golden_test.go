package server_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// TestFeedGolden compares the served feeds, built from the fixtures, with
// the files in testdata/golden (the upstream's random port written as
// http://upstream.test). Run with -update after a deliberate change, and
// read the diff.
func TestFeedGolden(t *testing.T) {
	u := newUpstream(t)
	h := newHarness(t, baseConfig(u, ""))
	h.FetchAll()
	tests := map[string]string{
		"/feed.atom":         "feed.atom",
		"/feed.rss":          "feed.rss",
		"/feed.json":         "feed.json",
		"/topics/vsa.atom":   "topic-vsa.atom",
		"/topics/drones.rss": "topic-drones.rss",
	}
	for path, file := range tests {
		t.Run(file, func(t *testing.T) {
			got := bytes.ReplaceAll(h.GetBody(path), []byte(u.URL("")), []byte("http://upstream.test"))
			golden := filepath.Join("testdata", "golden", file)
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from %s:\n%s", path, golden, lineDiff(string(got), string(want)))
			}
		})
	}
}

// lineDiff shows the first lines that differ.
func lineDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < max(len(g), len(w)); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return "line " + strconv.Itoa(i+1) + ":\n got " + gl + "\nwant " + wl
		}
	}
	return "(same lines)"
}
