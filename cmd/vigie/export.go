package main

import (
	"context"
	"flag"
	"fmt"
	"io"
)

// cmdExport writes a feed to standard output.
func cmdExport(ctx context.Context, args []string, stdout io.Writer) error {
	var format, topic string
	configPath, _, err := flags("export", args, func(fs *flag.FlagSet) {
		fs.StringVar(&format, "format", "atom", "atom, rss or json")
		fs.StringVar(&topic, "topic", "", "a topic's name; the main feed when empty")
	})
	if err != nil {
		return err
	}
	_ = configPath
	return fmt.Errorf("export: not implemented yet")
}
