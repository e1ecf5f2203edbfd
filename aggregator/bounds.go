package aggregator

// The bounds a cycle goes through, in order: a slot of the requests in
// flight (fetchBound; given back after stallGrace without an answer, or
// once the body has a parsing slot), a parsing slot (parseBound), then a
// share of the bytes of parsed sources waiting for the writer
// (storeBudget), the parsing slot given back meanwhile: parsing goes on
// while the writer commits, and the writes waiting together share one
// commit (the store's group commit).

import (
	"context"
	"runtime"
	"sync"
	"time"

	"github.com/vigie-watch/vigie/internal/fetch"
	"golang.org/x/sync/semaphore"
)

// bounds returns the bounds in force: of cycles parsing and storing, and of
// requests in flight. Apply replaces them when concurrency changes.
func (e *Engine) bounds() (parsing, fetching chan struct{}) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.sem, e.fetching
}

// storeSlot returns the bound of parsed sources waiting for the writer,
// and how much of it a body of size bytes takes (see storeBudget).
func (e *Engine) storeSlot(size int) (*semaphore.Weighted, int64) {
	e.mu.Lock()
	defer e.mu.Unlock()
	budget := storeBudget(e.cfg.Concurrency)
	return e.storing, min(max(int64(size), storeShare), budget)
}

// take waits for a slot of bound, or for ctx to end. The slot goes back to
// the bound it was taken from, even if Apply has replaced it since; release
// may be called more than once.
func take(ctx context.Context, bound chan struct{}) (release func(), err error) {
	select {
	case bound <- struct{}{}:
		var once sync.Once
		return func() { once.Do(func() { <-bound }) }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// stallGrace is how long a request holds its slot of the shared bound of
// requests in flight: past it the request is stalled (or very slow) and
// lets others go, bounded only by its host's share (fetch.Client's
// per-host limit), so that stalled hosts never starve healthy ones.
const stallGrace = time.Second

// hostReserver is implemented by a Fetcher that limits requests per host
// (fetch.Client).
type hostReserver interface {
	Reserve(ctx context.Context, url string) (*fetch.HostSlot, error)
}

// takeFetchSlot waits for a slot of the shared bound of cycles fetching
// (not counted against any timeout) and returns its release, idempotent.
// The slot is given back by the caller once the body has a parsing slot,
// so that bodies never pile up waiting to be parsed, or by fetch when the
// request waits longer than stallGrace on its host or the network.
func (e *Engine) takeFetchSlot(ctx context.Context) (release func(), err error) {
	_, fetching := e.bounds()
	return take(ctx, fetching)
}

// storeBudget is how many bytes of bodies may wait for the writer once
// parsed: 256 KiB for each of four sources per parsing slot. A source
// counts for its body's size, and at least 256 KiB, so that at most four
// per parsing slot wait (a full group of the store's group commit at the
// default concurrency); a body larger than the whole budget waits alone.
func storeBudget(concurrency int) int64 {
	return 4 * int64(concurrency) * storeShare
}

// storeShare is the least a parsed source counts for in storeBudget.
const storeShare = 256 << 10

// fetchBound is how many requests may be in flight for a given
// concurrency: four per parsing slot, and never fewer than 16.
func fetchBound(concurrency int) int {
	return max(16, 4*concurrency)
}

// parseBound is how many sources parse at once for a given concurrency:
// parsing a body already in memory is work for a CPU alone, so more at
// once than the Go scheduler runs only adds their garbage to the heap.
func parseBound(concurrency int) int {
	return max(1, min(concurrency, runtime.GOMAXPROCS(0)))
}

// fetchedBody is a body to parse: the response, its digest (see
// bodyDigest) and the release of its parsing slot.
type fetchedBody struct {
	resp   *fetch.Response
	digest string
	parsed func()
}
