package store_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/vigie-watch/vigie/internal/watch"
)

func TestActivityQueries(t *testing.T) { both(t, testActivityQueries) }

func testActivityQueries(t *testing.T, eng engine) {
	d := eng.open(t)
	ctx := context.Background()
	old := pub("old", "https://a.example/old", "Old story", day(-60))
	drone := pub("d", "https://a.example/drone", "Drone story", day(-2))
	drone.Matches = map[string][]string{"": {"VSA", "BriefCam"}, "drones": {"drone*"}}
	d.ingest("a", day(0),
		old, drone,
		pub("n", "https://a.example/new", "New story", day(-1)),
		unpub("x", "https://a.example/nothing", "Matches nothing", day(-1)),
	)
	// b carries the new story too, under its own GUID and a tracking link.
	d.ingest("b", day(0), pub("b1", "https://a.example/new?utm_source=rss", "New story", day(-1)))

	hits, err := d.Hits(ctx, day(-30))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, h := range hits {
		got = append(got, h.Topic+"|"+h.Published.Format("01-02")+"|"+strings.Join(h.Keywords, ","))
	}
	slices.Sort(got)
	want := []string{"drones|02-27|drone*", "|02-27|VSA,BriefCam", "|02-28|reconnaissance faciale"}
	if !slices.Equal(got, want) {
		t.Errorf("hits since day -30:\n got %q\nwant %q", got, want)
	}

	by, err := d.PublishedBySource(ctx, day(-30))
	if err != nil {
		t.Fatal(err)
	}
	if by["a"] != 2 || by["b"] != 1 || len(by) != 2 {
		t.Errorf("published by source: got %v, want a:2 b:1", by)
	}

	var titles []string
	err = d.ForEachSince(ctx, day(-30), func(tx watch.Text, s watch.Summary) bool {
		titles = append(titles, tx.Title)
		return true
	})
	if err != nil {
		t.Fatal(err)
	}
	// Newest first; the old story was stored today (first seen) so it counts as recent too.
	if len(titles) != 4 || titles[len(titles)-1] != "Old story" {
		t.Errorf("recent stories: got %q", titles)
	}
	n := 0
	if err := d.ForEachSince(ctx, day(-30), func(watch.Text, watch.Summary) bool { n++; return n < 2 }); err != nil || n != 2 {
		t.Errorf("stopping early: got %d calls, %v; want 2, nil", n, err)
	}
}
