// Command feedgen serves synthetic French news feeds on a loopback address
// for vigie's benchmarks, and writes a vigie configuration listing them.
//
//	go run ./cmd/feedgen -listen 127.0.0.1:9000 -feeds 500 -items 50 -config /tmp/bench-config.yaml
//
// With -ignore-conditional it answers 200 with the same bytes whatever the
// request's validators, as servers that never honour them do.
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

// options are feedgen's command-line flags.
type options struct {
	listen                string
	feeds, items          int
	seed                  uint64
	matchRate, repeatRate float64
	configPath, database  string
	vigieListen           string
	concurrency           int
	maxTime               time.Duration
	ignoreConditional     bool
}

func parseFlags(args []string, stderr io.Writer) (*options, error) {
	o := &options{}
	fs := flag.NewFlagSet("feedgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.listen, "listen", "127.0.0.1:9000", "loopback address to serve the feeds on")
	fs.IntVar(&o.feeds, "feeds", 500, "number of feeds")
	fs.IntVar(&o.items, "items", 50, "items per feed")
	fs.Uint64Var(&o.seed, "seed", 1, "random seed: the same seed serves the same bytes")
	fs.Float64Var(&o.matchRate, "match", feedgen.DefaultMatchRate, "share of stories carrying a default keyword")
	fs.Float64Var(&o.repeatRate, "repeat", feedgen.DefaultRepeatRate, "share of each feed's items also carried by another feed")
	fs.StringVar(&o.configPath, "config", "", "write a vigie configuration listing every feed to this file")
	fs.StringVar(&o.database, "database", filepath.Join(os.TempDir(), "vigie-bench.db"), "database of the written configuration")
	fs.StringVar(&o.vigieListen, "vigie-listen", "127.0.0.1:8081", "listen address of the written configuration")
	fs.IntVar(&o.concurrency, "concurrency", 8, "concurrency of the written configuration")
	fs.DurationVar(&o.maxTime, "max-time", time.Hour, "stop serving after this long")
	fs.BoolVar(&o.ignoreConditional, "ignore-conditional", false, "answer 200 with the same bytes whatever If-None-Match and If-Modified-Since say (never 304)")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	return o, nil
}

func run(ctx context.Context, args []string, stderr io.Writer) error {
	o, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	if err := loopback(o.listen); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", o.listen)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	defer ln.Close()

	start := time.Now()
	set, err := feedgen.Generate(feedgen.Options{
		Feeds: o.feeds, Items: o.items, Seed: o.seed,
		MatchRate: orNone(o.matchRate), RepeatRate: orNone(o.repeatRate),
		BaseURL: "http://" + ln.Addr().String(),
	})
	if err != nil {
		return err
	}
	st := set.Stats()
	fmt.Fprintf(stderr, "feedgen: %d feeds, %d items (%d stories), %.1f %% matching, %.1f %% repeated across feeds, %.1f MB (%.1f MB gzipped), generated in %s\n",
		st.Feeds, st.Items, st.Stories, st.MatchingPercent, st.RepeatedPercent,
		float64(st.Bytes)/1e6, float64(st.GzBytes)/1e6, time.Since(start).Round(time.Millisecond))

	if o.configPath != "" {
		opts := feedgen.ConfigOptions{Listen: o.vigieListen, Database: o.database, Concurrency: o.concurrency}
		if err := writeConfig(o.configPath, set, opts); err != nil {
			return err
		}
	}
	how := "conditional requests answered 304"
	if o.ignoreConditional {
		how = "conditional requests ignored: always 200 with the same bytes"
	}
	fmt.Fprintf(stderr, "feedgen: serving http://%s/feeds/0.rss … /feeds/%d.rss for at most %s, %s\n", ln.Addr(), o.feeds-1, o.maxTime, how)
	return serve(ctx, ln, set.HandlerWith(feedgen.ServeOptions{IgnoreConditional: o.ignoreConditional}), o.maxTime)
}

// writeConfig writes a vigie configuration listing the feeds of set to
// path, whole then renamed: a script waiting for the file never reads half
// of it.
func writeConfig(path string, set *feedgen.Set, opts feedgen.ConfigOptions) error {
	var b bytes.Buffer
	if err := set.WriteConfig(&b, opts); err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b.Bytes(), 0o644); err != nil {
		return fmt.Errorf("write config: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("write config: %w", err)
	}
	return nil
}

// serve serves h on ln until ctx is done or maxTime has passed.
func serve(ctx context.Context, ln net.Listener, h http.Handler, maxTime time.Duration) error {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	timer := time.NewTimer(maxTime)
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
