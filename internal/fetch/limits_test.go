package fetch_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vigie-watch/vigie/internal/fetch"
)

func TestGetBodyCap(t *testing.T) {
	const limit = 1024
	tests := []struct {
		name    string
		size    int
		chunked bool
		gzipped bool
		wantErr bool
	}{
		{"at the limit", limit, false, false, false},
		{"over, announced", limit + 1, false, false, true},
		{"over, chunked", limit + 1, true, false, true},
		{"at the limit, chunked", limit, true, false, false},
		{"over once decompressed", 100 * limit, false, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := bytes.Repeat([]byte("a"), tt.size)
			srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
				switch {
				case tt.gzipped:
					w.Header().Set("Content-Encoding", "gzip")
					zw := gzip.NewWriter(w)
					zw.Write(body)
					zw.Close()
				case tt.chunked:
					w.Write(body[:10])
					w.(http.Flusher).Flush()
					w.Write(body[10:])
				default:
					w.Header().Set("Content-Length", strconv.Itoa(len(body)))
					w.Write(body)
				}
			})
			resp, err := newTestClient(limit).Get(t.Context(), srv.URL, fetch.Validators{})
			if !tt.wantErr {
				if err != nil || len(resp.Body) != tt.size {
					t.Fatalf("got err %v, want %d bytes", err, tt.size)
				}
				return
			}
			if !errors.Is(err, fetch.ErrTooLarge) {
				t.Fatalf("got error %v, want ErrTooLarge", err)
			}
			if !strings.Contains(err.Error(), "1 KiB") {
				t.Errorf("got error %q, want it to name the 1 KiB limit", err)
			}
		})
	}
}

func TestGetEndlessBody(t *testing.T) {
	const limit = 1 << 20
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		chunk := bytes.Repeat([]byte("<item>endless</item>"), 1600)
		for r.Context().Err() == nil {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	})
	// The deadline only stops a client that would read forever; such a
	// client fails below on the error and on memory.
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()

	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := newTestClient(limit).Get(ctx, srv.URL, fetch.Validators{})
	runtime.ReadMemStats(&after)

	if !errors.Is(err, fetch.ErrTooLarge) {
		t.Errorf("got error %v, want ErrTooLarge", err)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 16*limit {
		t.Errorf("allocated %d bytes for a %d-byte cap, want at most %d", alloc, limit, 16*limit)
	}
}

func TestGetDeadline(t *testing.T) {
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/mid-body" {
			w.Write([]byte("<rss><channel>"))
			w.(http.Flusher).Flush()
		}
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	c := newTestClient(0)
	for _, path := range []string{"/no-headers", "/mid-body"} {
		t.Run(path, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
			defer cancel()
			resp, err := c.Get(ctx, srv.URL+path, fetch.Validators{})
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("got %+v, error %v; want context.DeadlineExceeded", resp, err)
			}
		})
	}
}
