package store_test

import (
	"context"
	"testing"
	"time"
)

// TestLeases: of several instances on one database, one gets a source's
// lease; the others get it once it expires; its holder gets it back.
func TestLeases(t *testing.T) { both(t, testLeases) }

func testLeases(t *testing.T, eng engine) {
	ctx := context.Background()
	database := eng.database(t)
	a, b := openAt(t, database), openAt(t, database)
	if a.Instance() == b.Instance() {
		t.Fatalf("two stores named alike: %q", a.Instance())
	}
	claim := func(d *db, name string, ttl time.Duration) bool {
		t.Helper()
		got, err := d.Claim(ctx, name, ttl)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	if !claim(a, "franceinfo", time.Hour) {
		t.Fatal("first claim refused")
	}
	if claim(b, "franceinfo", time.Hour) {
		t.Error("second instance got a lease held for an hour")
	}
	if !claim(a, "franceinfo", time.Hour) {
		t.Error("holder refused its own lease")
	}
	if !claim(b, "senat", time.Hour) {
		t.Error("lease of another source refused")
	}
	holders, err := a.Holders(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(holders) != 2 || holders[0].Sources != 1 || holders[1].Sources != 1 {
		t.Errorf("holders: got %+v, want two, of one source each", holders)
	}

	// A lease that expires goes to whoever claims next.
	if !claim(a, "disclose", 100*time.Millisecond) {
		t.Fatal("claim refused")
	}
	deadline := time.Now().Add(10 * time.Second)
	for !claim(b, "disclose", time.Hour) {
		if time.Now().After(deadline) {
			t.Fatal("expired lease still refused 10 s later")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if claim(a, "disclose", time.Hour) {
		t.Error("former holder took back a lease now held by another")
	}
}

// TestLeaseRace: instances claiming one source at once: one gets it.
func TestLeaseRace(t *testing.T) { both(t, testLeaseRace) }

func testLeaseRace(t *testing.T, eng engine) {
	database := eng.database(t)
	const n = 6
	stores := make([]*db, n)
	for i := range stores {
		stores[i] = openAt(t, database)
	}
	got := make(chan bool, n)
	for _, d := range stores {
		go func() {
			ok, err := d.Claim(context.Background(), "franceinfo", time.Hour)
			if err != nil {
				t.Error(err)
			}
			got <- ok
		}()
	}
	winners := 0
	for range n {
		if <-got {
			winners++
		}
	}
	if winners != 1 {
		t.Errorf("instances given the lease: got %d, want 1", winners)
	}
}
