package fetch

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"sync"
)

// DefaultPerHost is how many requests a Client sends to one host at once
// when ClientOptions leaves PerHost unset: enough for franceinfo's dozen
// feeds, few enough that a stalled host only ever holds its own share.
const DefaultPerHost = 8

// HostSlot is one of the slots of a host's limit, taken with
// Client.Reserve. A Get whose context carries it (see Context) to that
// host uses it instead of taking another.
type HostSlot struct {
	host    string
	release func()
	once    sync.Once
}

// Release gives the slot back; it may be called more than once.
func (s *HostSlot) Release() { s.once.Do(s.release) }

// Context returns ctx carrying the slot.
func (s *HostSlot) Context(ctx context.Context) context.Context {
	return context.WithValue(ctx, hostSlotKey{}, s)
}

type hostSlotKey struct{}

// Reserve waits, at most until ctx is done, for a slot of rawURL's host.
// Call it before taking any slot shared with other hosts: waiting here
// holds nothing that others need.
func (c *Client) Reserve(ctx context.Context, rawURL string) (*HostSlot, error) {
	host, err := hostOf(rawURL)
	if err != nil {
		return nil, err
	}
	release, err := c.hosts.acquire(ctx, host)
	if err != nil {
		return nil, fmt.Errorf("wait for a request slot of %s (its other requests are slow): %w", host, err)
	}
	return &HostSlot{host: host, release: release}, nil
}

// slotFor returns a release for a slot of rawURL's host: the one ctx
// carries, or a new one.
func (c *Client) slotFor(ctx context.Context, rawURL string) (release func(), err error) {
	host, err := hostOf(rawURL)
	if err != nil {
		return nil, err
	}
	if s, ok := ctx.Value(hostSlotKey{}).(*HostSlot); ok && s.host == host {
		return func() {}, nil
	}
	release, err = c.hosts.acquire(ctx, host)
	if err != nil {
		return nil, fmt.Errorf("wait for a request slot of %s (its other requests are slow): %w", host, err)
	}
	return release, nil
}

// hostOf returns the host and port a URL is fetched from, lower case.
func hostOf(rawURL string) (string, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "", fmt.Errorf("create request: %w", err)
	}
	return strings.ToLower(u.Host), nil
}

// hostLimits bounds the requests in flight to each host.
type hostLimits struct {
	per   int
	mu    sync.Mutex
	hosts map[string]*hostSlots
}

// hostSlots are the slots of one host and how many requests use or wait
// for them, so that an idle host is forgotten.
type hostSlots struct {
	slots chan struct{}
	users int
}

func newHostLimits(per int) *hostLimits {
	return &hostLimits{per: per, hosts: map[string]*hostSlots{}}
}

func (l *hostLimits) acquire(ctx context.Context, host string) (release func(), err error) {
	l.mu.Lock()
	h := l.hosts[host]
	if h == nil {
		h = &hostSlots{slots: make(chan struct{}, l.per)}
		l.hosts[host] = h
	}
	h.users++
	l.mu.Unlock()
	select {
	case h.slots <- struct{}{}:
		var once sync.Once
		return func() {
			once.Do(func() {
				<-h.slots
				l.leave(host, h)
			})
		}, nil
	case <-ctx.Done():
		l.leave(host, h)
		return nil, ctx.Err()
	}
}

func (l *hostLimits) leave(host string, h *hostSlots) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if h.users--; h.users == 0 {
		delete(l.hosts, host)
	}
}
