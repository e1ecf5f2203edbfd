package fetch_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vigie-watch/vigie/internal/fetch"
)

// TestPerHostLimit sends 20 requests at once to a host that answers
// slowly: at most PerHost are in flight, and another host is answered
// while the slow one holds all its slots.
func TestPerHostLimit(t *testing.T) {
	var inFlight, most atomic.Int64
	release := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		<-release
		inFlight.Add(-1)
		w.Write([]byte("ok"))
	}))
	defer slow.Close()
	fast := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) }))
	defer fast.Close()

	c := fetch.NewClient(fetch.ClientOptions{PerHost: 3})
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			if _, err := c.Get(context.Background(), slow.URL, fetch.Validators{}); err != nil {
				t.Error(err)
			}
		})
	}
	for inFlight.Load() < 3 {
		time.Sleep(time.Millisecond)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := c.Get(ctx, fast.URL, fetch.Validators{}); err != nil {
		t.Errorf("another host while the slow one is saturated: %v", err)
	}
	close(release)
	wg.Wait()
	if got := most.Load(); got != 3 {
		t.Errorf("requests in flight to one host at most: got %d, want the limit 3", got)
	}
}

// TestReserveThenGet checks that a Get carrying a reserved slot uses it
// (with a limit of one, taking a second would never end), and that a
// reservation waits for its host's slot within its context.
func TestReserveThenGet(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) }))
	defer srv.Close()
	c := fetch.NewClient(fetch.ClientOptions{PerHost: 1})
	slot, err := c.Reserve(context.Background(), srv.URL+"/a")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := c.Get(slot.Context(ctx), srv.URL+"/a", fetch.Validators{}); err != nil {
		t.Fatalf("get with the reserved slot: %v", err)
	}
	short, cancelShort := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancelShort()
	if _, err := c.Reserve(short, srv.URL+"/b"); err == nil {
		t.Fatal("second reservation of a host limited to one: got a slot, want to wait")
	}
	slot.Release()
	slot.Release() // twice is harmless
	if _, err := c.Get(ctx, srv.URL+"/b", fetch.Validators{}); err != nil {
		t.Errorf("after release: %v", err)
	}
}
