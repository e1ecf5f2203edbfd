package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"strings"

	"github.com/vigie-watch/vigie/feeds"
	"github.com/vigie-watch/vigie/internal/config"
	"github.com/vigie-watch/vigie/internal/server"
)

// cmdExport writes a feed to standard output, byte for byte what the daemon
// serves at its address under feed.url, for those who publish a static file
// with their own web server.
func cmdExport(ctx context.Context, args []string, stdout io.Writer) error {
	var formatName, topic string
	configPath, rest, err := flags("export", args, func(fs *flag.FlagSet) {
		fs.StringVar(&formatName, "format", "atom", "atom, rss, json, or opml (the sources)")
		fs.StringVar(&topic, "topic", "", "a topic's name; the main feed when empty")
	})
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usageError{fmt.Sprintf("export: unexpected argument %q", rest[0])}
	}
	if formatName == "opml" {
		return exportOPML(configPath, topic, stdout)
	}
	format, err := feeds.ParseFormat(formatName)
	if err != nil {
		return usageError{fmt.Sprintf("export: --format %q: want atom, rss, json or opml", formatName)}
	}
	cfg, err := config.Load(configPath)
	if err != nil {
		return err
	}
	st, err := openExistingStore(ctx, cfg.Database)
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("export: database %s: %w (has vigie fetched yet?)", cfg.Database, err)
	}
	if err != nil {
		return err
	}
	defer st.Close()
	body, err := server.RenderFeed(ctx, st, cfg, topic, format)
	if errors.Is(err, server.ErrUnknownTopic) {
		return usageError{fmt.Sprintf("export: --topic %q: %s", topic, exportTopics(cfg))}
	}
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if _, err := stdout.Write(body); err != nil {
		return fmt.Errorf("export: write: %w", err)
	}
	return nil
}

// exportTopics says which topics the config defines.
func exportTopics(cfg *config.Config) string {
	if len(cfg.Topics) == 0 {
		return "the config defines no topics"
	}
	names := make([]string, len(cfg.Topics))
	for i, t := range cfg.Topics {
		names[i] = t.Name
	}
	return "the config defines " + strings.Join(names, ", ")
}

// exportOPML writes the sources of the config as OPML: it needs no
// database.
func exportOPML(configPath, topic string, stdout io.Writer) error {
	if topic != "" {
		return usageError{"export: --topic does not apply to --format opml (the sources are shared)"}
	}
	cfg, err := config.Load(configPath)
	if err != nil {
		return err
	}
	body, err := server.RenderOPML(cfg, nil)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if _, err := stdout.Write(body); err != nil {
		return fmt.Errorf("export: write: %w", err)
	}
	return nil
}
