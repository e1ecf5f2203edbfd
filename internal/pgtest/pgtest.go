// Package pgtest starts a throwaway PostgreSQL server for tests: initdb and
// pg_ctl (Debian's postgresql package) into a temporary directory, reached
// on a Unix socket in that directory only. One server serves a whole test
// package (start it in TestMain with Main); each test gets a database of
// its own.
package pgtest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the admin connection
)

// ErrNotInstalled is returned by Start when PostgreSQL's server binaries
// are not on this machine.
var ErrNotInstalled = errors.New("PostgreSQL server binaries (initdb, pg_ctl) not found: apt-get install postgresql")

// Server is a running throwaway PostgreSQL server.
type Server struct {
	bin   string // directory of initdb, pg_ctl
	dir   string // data directory, and the socket's
	owner string // the user the server runs as when started by root, "" otherwise
	opts  string // the server's options
	admin *sql.DB
	n     atomic.Int64
}

// Options tune a server.
type Options struct {
	// Durable keeps fsync on, as in production (for benchmarks). Tests run
	// without: a commit still waits for its WAL to reach the system, so it
	// survives the server's crash (not the machine's).
	Durable bool
}

// Start creates and starts a server. It returns ErrNotInstalled when the
// binaries are missing.
func Start(ctx context.Context, o Options) (*Server, error) {
	bin, err := findBin()
	if err != nil {
		return nil, err
	}
	s := &Server{bin: bin}
	if os.Geteuid() == 0 {
		s.owner = "postgres" // initdb refuses to run as root
	}
	if s.dir, err = os.MkdirTemp("", "vigie-pg-"); err != nil {
		return nil, err
	}
	if err := s.chown(); err != nil {
		s.removeDir()
		return nil, err
	}
	if err := s.run(ctx, "initdb", "-D", s.dir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"); err != nil {
		s.removeDir()
		return nil, err
	}
	opts := "-k " + s.dir + " -c listen_addresses='' -c max_connections=300"
	if !o.Durable {
		opts += " -c fsync=off -c full_page_writes=off"
	}
	s.opts = opts
	if err := s.run(ctx, "pg_ctl", "-D", s.dir, "-l", filepath.Join(s.dir, "server.log"), "-w", "-o", opts, "start"); err != nil {
		s.removeDir()
		return nil, err
	}
	if s.admin, err = sql.Open("pgx", s.URL("postgres")); err != nil {
		s.Stop()
		return nil, err
	}
	return s, nil
}

func findBin() (string, error) {
	found, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	slices.SortFunc(found, func(a, b string) int { return version(b) - version(a) })
	for _, p := range found {
		return filepath.Dir(p), nil
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p), nil
	}
	return "", ErrNotInstalled
}

// version is the major version in a Debian path /usr/lib/postgresql/N/bin/initdb.
func version(path string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(path))))
	return n
}

func (s *Server) chown() error {
	if s.owner == "" {
		return nil
	}
	u, err := user.Lookup(s.owner)
	if err != nil {
		return fmt.Errorf("user %s: %w", s.owner, err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return os.Chown(s.dir, uid, gid)
}

func (s *Server) run(ctx context.Context, tool string, args ...string) error {
	path := filepath.Join(s.bin, tool)
	var cmd *exec.Cmd
	if s.owner != "" {
		cmd = exec.CommandContext(ctx, "runuser", append([]string{"-u", s.owner, "--", path}, args...)...)
	} else {
		cmd = exec.CommandContext(ctx, path, args...)
	}
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%s: %w: %s", tool, err, out)
	}
	return nil
}

// URL is the postgres:// URL of a database of the server.
func (s *Server) URL(database string) string {
	return "postgres://postgres@/" + database + "?host=" + s.dir
}

// Dir is the server's data directory, where its socket is.
func (s *Server) Dir() string { return s.dir }

// CreateDatabase creates an empty database and returns its URL.
func (s *Server) CreateDatabase(ctx context.Context, name string) (string, error) {
	if _, err := s.admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		return "", fmt.Errorf("create database %s: %w", name, err)
	}
	return s.URL(name), nil
}

// NewDatabase creates an empty database for one test and returns its URL;
// it is dropped when the test ends.
func (s *Server) NewDatabase(t testing.TB) string {
	t.Helper()
	name := fmt.Sprintf("t%d_%d", os.Getpid(), s.n.Add(1))
	url, err := s.CreateDatabase(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		s.admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	})
	return url
}

// Restart stops the server, cutting every connection (as a crash or a
// failover does to its clients), and starts it again.
func (s *Server) Restart(ctx context.Context) error {
	return s.run(ctx, "pg_ctl", "-D", s.dir, "-l", filepath.Join(s.dir, "server.log"), "-m", "immediate", "-w", "-o", s.opts, "restart")
}

// Stop stops the server and removes its files.
func (s *Server) Stop() error {
	if s.admin != nil {
		s.admin.Close()
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	err := s.run(ctx, "pg_ctl", "-D", s.dir, "-m", "immediate", "-w", "stop")
	s.removeDir()
	return err
}

func (s *Server) removeDir() { os.RemoveAll(s.dir) }

// Main runs a test package's tests with a server, stored in *server before
// they run (nil when the binaries are missing: tests on PostgreSQL then
// skip, saying so). Use it as TestMain's body:
//
//	os.Exit(pgtest.Main(m, &testPG))
func Main(m *testing.M, server **Server) int {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	s, err := Start(ctx, Options{})
	cancel()
	if err != nil && !errors.Is(err, ErrNotInstalled) {
		fmt.Fprintf(os.Stderr, "pgtest: start PostgreSQL: %v\n", err)
		return 1
	}
	*server = s
	code := m.Run()
	if s != nil {
		if err := s.Stop(); err != nil {
			fmt.Fprintf(os.Stderr, "pgtest: stop PostgreSQL: %v\n", err)
		}
	}
	return code
}

// Skip skips a test on PostgreSQL when no server could be started.
func Skip(t testing.TB, s *Server) {
	t.Helper()
	if s == nil {
		t.Skip("PostgreSQL not installed (apt-get install postgresql): test on PostgreSQL skipped")
	}
}
