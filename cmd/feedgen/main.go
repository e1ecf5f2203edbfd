// Command feedgen serves synthetic French news feeds on a loopback address
// for vigie's benchmarks, and writes a vigie configuration listing them.
//
//	go run ./cmd/feedgen -listen 127.0.0.1:9000 -feeds 500 -items 50 -config /tmp/bench-config.yaml
//
// The configuration is written once the server listens, so a script can wait
// for the file. feedgen stops on SIGINT/SIGTERM, or after -max-time.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/vigie-watch/vigie/internal/feedgen"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "feedgen:", err)
		stop()
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("feedgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	listen := fs.String("listen", "127.0.0.1:9000", "loopback address to serve the feeds on")
	nFeeds := fs.Int("feeds", 500, "number of feeds")
	nItems := fs.Int("items", 50, "items per feed")
	seed := fs.Uint64("seed", 1, "random seed: the same seed serves the same bytes")
	matchRate := fs.Float64("match", feedgen.DefaultMatchRate, "share of stories carrying a default keyword")
	repeatRate := fs.Float64("repeat", feedgen.DefaultRepeatRate, "share of each feed's items also carried by another feed")
	configPath := fs.String("config", "", "write a vigie configuration listing every feed to this file")
	database := fs.String("database", filepath.Join(os.TempDir(), "vigie-bench.db"), "database of the written configuration")
	vigieListen := fs.String("vigie-listen", "127.0.0.1:8081", "listen address of the written configuration")
	concurrency := fs.Int("concurrency", 8, "concurrency of the written configuration")
	maxTime := fs.Duration("max-time", time.Hour, "stop serving after this long")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := loopback(*listen); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	defer ln.Close()

	start := time.Now()
	set, err := feedgen.Generate(feedgen.Options{
		Feeds: *nFeeds, Items: *nItems, Seed: *seed,
		MatchRate: orNone(*matchRate), RepeatRate: orNone(*repeatRate),
		BaseURL: "http://" + ln.Addr().String(),
	})
	if err != nil {
		return err
	}
	st := set.Stats()
	fmt.Fprintf(stderr, "feedgen: %d feeds, %d items (%d stories), %.1f %% matching, %.1f %% repeated across feeds, %.1f MB (%.1f MB gzipped), generated in %s\n",
		st.Feeds, st.Items, st.Stories, st.MatchingPercent, st.RepeatedPercent,
		float64(st.Bytes)/1e6, float64(st.GzBytes)/1e6, time.Since(start).Round(time.Millisecond))

	if *configPath != "" {
		var b bytes.Buffer
		if err := set.WriteConfig(&b, feedgen.ConfigOptions{Listen: *vigieListen, Database: *database, Concurrency: *concurrency}); err != nil {
			return err
		}
		// Written whole then renamed: a script waiting for the file never
		// reads half of it.
		tmp := *configPath + ".tmp"
		if err := os.WriteFile(tmp, b.Bytes(), 0o644); err != nil {
			return fmt.Errorf("write config: %w", err)
		}
		if err := os.Rename(tmp, *configPath); err != nil {
			return fmt.Errorf("write config: %w", err)
		}
	}

	srv := &http.Server{
		Handler:           set.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	fmt.Fprintf(stderr, "feedgen: serving http://%s/feeds/0.rss … /feeds/%d.rss for at most %s\n", ln.Addr(), *nFeeds-1, *maxTime)

	timer := time.NewTimer(*maxTime)
	defer timer.Stop()
	select {
	case <-ctx.Done():
	case <-timer.C:
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// loopback refuses any address but the loopback range: feedgen is a load
// source for this machine only.
func loopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("listen address %q: %w", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("listen address %q: only loopback addresses (127.0.0.0/8, ::1, localhost) are allowed", addr)
}

// orNone maps a rate of 0 given on the command line to "none" (the
// library reads 0 as its default).
func orNone(v float64) float64 {
	if v == 0 {
		return -1
	}
	return v
}
