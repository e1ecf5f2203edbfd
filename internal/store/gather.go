package store

import "sync"

// gather is a queue of requests served in batches by whichever caller
// arrived first while none was being served (the leader): requests that
// arrive while it serves one batch wait and go in the next. No request
// waits for company: the first one goes alone.
type gather[T any] struct {
	mu      sync.Mutex
	queue   []T
	leading bool // a caller is serving the queue
}

// add queues r and reports whether the caller leads, and must serve the
// queue (take batches until none is left).
func (g *gather[T]) add(r T) (lead bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.queue = append(g.queue, r)
	lead = !g.leading
	g.leading = true
	return lead
}

// take removes and returns the next batch, at most limit requests; nil
// once the queue is empty, and the leader is done.
func (g *gather[T]) take(limit int) []T {
	g.mu.Lock()
	defer g.mu.Unlock()
	n := min(len(g.queue), limit)
	if n == 0 {
		g.leading = false
		return nil
	}
	batch := g.queue[:n:n]
	g.queue = g.queue[n:]
	return batch
}
