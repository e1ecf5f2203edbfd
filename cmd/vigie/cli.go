package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/debug"
	"strings"

	"github.com/vigie-watch/vigie/internal/config"
)

// usageError is a mistake on the command line: exit code 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// exitError carries an exit code chosen by a command, its message already
// printed.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

func exitCode(err error) int {
	var ue usageError
	var ee exitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		return ee.code
	case errors.As(err, &ue):
		return 2
	default:
		return 1
	}
}

const usage = `vigie watches feeds for keywords and republishes the matches as one feed.

Usage:
  vigie run    [--config FILE]               the daemon: fetch on schedule, serve HTTP
  vigie fetch  [--config FILE]               fetch every source once, print a summary
  vigie check  [--config FILE]               validate the configuration
  vigie match  [--config FILE] [TEXT]        which keywords match TEXT, or which stored items are published
  vigie match  [--config FILE] --url URL [--selector CSS]
                                             the text extracted from one page, and what it matches
  vigie status [--config FILE]               health of each source
  vigie export [--config FILE] [--format atom|rss|json|opml] [--topic NAME]
                                             write a feed (or, opml, the sources) to standard output
  vigie hash-password < PASSWORD             a bcrypt hash for auth.users[].password_hash
  vigie migrate --from DB --to DB [--force]  copy a watch between SQLite and PostgreSQL, ids kept
  vigie version

--config defaults to config.yaml. vigie COMMAND --help lists a command's flags.
`

// Run runs the vigie command line with args (without the program name).
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	err := run(ctx, args, stdout, stderr)
	var h helpRequested
	if errors.As(err, &h) {
		fmt.Fprint(stdout, h.text)
		return nil
	}
	return err
}

// helpRequested is returned by flags for --help: the command's flags,
// printed on standard output.
type helpRequested struct{ text string }

func (h helpRequested) Error() string { return "help requested" }

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return usageError{"no command given"}
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "run":
		return cmdRun(ctx, rest, stderr)
	case "fetch":
		return cmdFetch(ctx, rest, stdout, stderr)
	case "check":
		return cmdCheck(rest, stdout)
	case "match":
		return cmdMatch(ctx, rest, stdout)
	case "status":
		return cmdStatus(ctx, rest, stdout)
	case "export":
		return cmdExport(ctx, rest, stdout)
	case "hash-password":
		return cmdHashPassword(rest, os.Stdin, stdout)
	case "migrate":
		return cmdMigrate(ctx, rest, stdout)
	case "version", "--version", "-version":
		fmt.Fprintln(stdout, "vigie", version())
		return nil
	case "help", "-h", "--help", "-help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return usageError{fmt.Sprintf("unknown command %q", cmd)}
}

// flags parses a command's flags: --config, plus what add declares.
func flags(name string, args []string, add func(fs *flag.FlagSet)) (configPath string, rest []string, err error) {
	fs := flag.NewFlagSet("vigie "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&configPath, "config", "config.yaml", "configuration file")
	if add != nil {
		add(fs)
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			var b strings.Builder
			fmt.Fprintf(&b, "Flags of vigie %s:\n", name)
			fs.SetOutput(&b)
			fs.PrintDefaults()
			return "", nil, helpRequested{b.String()}
		}
		return "", nil, usageError{fmt.Sprintf("%s: %v", name, err)}
	}
	return configPath, fs.Args(), nil
}

// newLogger builds the logger the config asks for, writing to w.
func newLogger(cfg *config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// version is the module version vigie was built as, or "dev".
func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

func userAgent() string {
	return "vigie/" + strings.TrimPrefix(version(), "v") + " (+https://github.com/vigie-watch/vigie)"
}
