// Command cycle measures one vigie cycle over many feeds against the time
// gofeed alone takes to fetch and parse the same feeds:
//
//	go run ./cmd/feedgen -feeds 500 -items 50 -config /tmp/bench-config.yaml &
//	go run ./bench/cycle -config /tmp/bench-config.yaml
//
// It alternates, for -rounds rounds, (a) gofeed alone — plain net/http and
// gofeed.NewParser().Parse, with the config's concurrency — and (b) a vigie
// cold cycle on a fresh database (store.Open, fetch.NewClient,
// aggregator.New, Engine.FetchAll, as `vigie fetch` wires them); then runs
// -warm warm cycles (every source answers 304), and a sequential cold
// cycle that times each stage (fetch, parse, match, store) on its own.
// With -same-bytes (feeds served by feedgen -ignore-conditional), the
// rounds alternate gofeed alone and vigie's cycle when every source
// answers 200 with the bytes it gave last time, instead.
// -cpuprofile and -memprofile profile one more cold cycle, not counted.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/vigie-watch/vigie/internal/config"
	"github.com/vigie-watch/vigie/internal/pgtest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "cycle:", err)
		stop()
		os.Exit(1)
	}
}

type options struct {
	cfg        *config.Config
	rounds     int
	warm       int
	dir        string
	cpuProfile string
	memProfile string
	stages     bool
	sameBytes  bool
	fetchBound int
	pg         *pgtest.Server // when set, the databases are PostgreSQL ones on it
}

// database returns a fresh database named name: an SQLite file in o.dir,
// or a new database on the PostgreSQL server.
func (o options) database(ctx context.Context, name string) (string, error) {
	if o.pg == nil {
		return filepath.Join(o.dir, name+".db"), nil
	}
	return o.pg.CreateDatabase(ctx, strings.ReplaceAll(name, "-", "_"))
}

// openFresh wires vigie on a fresh database named name.
func (o options) openFresh(ctx context.Context, name string) (*vigieRun, error) {
	db, err := o.database(ctx, name)
	if err != nil {
		return nil, err
	}
	return openVigie(ctx, o.cfg, db, o.fetchBound)
}

// urls lists the URLs of the configured sources.
func (o options) urls() []string {
	urls := make([]string, len(o.cfg.Sources))
	for i, s := range o.cfg.Sources {
		urls[i] = s.URL
	}
	return urls
}

func run(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("cycle", flag.ContinueOnError)
	configPath := fs.String("config", "/tmp/bench-config.yaml", "vigie configuration written by feedgen")
	var o options
	fs.IntVar(&o.rounds, "rounds", 3, "alternating rounds of gofeed alone and vigie cold")
	fs.IntVar(&o.warm, "warm", 3, "warm cycles (all 304) after the last cold one")
	fs.StringVar(&o.dir, "dir", "", "directory for the fresh databases (a temporary one by default)")
	fs.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile of one extra cold cycle to this file")
	fs.StringVar(&o.memProfile, "memprofile", "", "write a heap profile taken at the end of one extra cold cycle")
	fs.IntVar(&o.fetchBound, "fetch-bound", 0, "at most this many fetches at once in vigie's cycles (0: as the engine does)")
	fs.BoolVar(&o.stages, "stages", true, "run the sequential cycle that times each stage")
	fs.BoolVar(&o.sameBytes, "same-bytes", false, "instead of the cold and warm rounds: the feeds answer 200 with the same bytes (feedgen -ignore-conditional); alternate gofeed alone and vigie's cycle on them after one cold cycle")
	deadline := fs.Duration("max-time", 20*time.Minute, "give up after this long")
	postgres := fs.Bool("postgres", false, "store in a throwaway PostgreSQL server (Debian's postgresql, fsync on) instead of SQLite")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg, err := config.Load(*configPath)
	if err != nil {
		return err
	}
	o.cfg = cfg
	if o.dir == "" {
		d, err := os.MkdirTemp("", "vigie-cycle-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(d)
		o.dir = d
	}
	ctx, cancel := context.WithTimeout(ctx, *deadline)
	defer cancel()
	if *postgres {
		if o.pg, err = pgtest.Start(ctx, pgtest.Options{Durable: true}); err != nil {
			return err
		}
		defer o.pg.Stop()
	}

	engine := "SQLite"
	if o.pg != nil {
		engine = "PostgreSQL"
	}
	fmt.Fprintf(out, "%d sources, concurrency %d, GOMAXPROCS %d, %s, %s\n\n", len(cfg.Sources), cfg.Concurrency, runtime.GOMAXPROCS(0), engine, loadavg())
	compare := alternate
	if o.sameBytes {
		compare = sameBytes
	}
	if err := compare(ctx, o, out); err != nil {
		return err
	}
	if o.stages {
		if err := stages(ctx, o, out); err != nil {
			return err
		}
	}
	if o.cpuProfile != "" || o.memProfile != "" {
		if err := profile(ctx, o, out); err != nil {
			return err
		}
	}
	return nil
}

// loadavg reads the load average, to judge whether figures were taken on a
// quiet machine.
func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "load unknown"
	}
	var l1, l5, l15 float64
	fmt.Sscan(string(b), &l1, &l5, &l15)
	return fmt.Sprintf("load %.2f %.2f %.2f", l1, l5, l15)
}
