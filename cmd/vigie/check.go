package main

import (
	"fmt"
	"io"

	"github.com/vigie-watch/vigie/aggregator"
	"github.com/vigie-watch/vigie/internal/config"
)

// cmdCheck validates the configuration and says what it holds.
func cmdCheck(args []string, stdout io.Writer) error {
	configPath, _, err := flags("check", args, nil)
	if err != nil {
		return err
	}
	cfg, err := config.Load(configPath)
	if err != nil {
		return err
	}
	if _, err := aggregator.CompileRules(cfg); err != nil {
		return fmt.Errorf("%s: %w", configPath, err)
	}
	fmt.Fprintf(stdout, "%s: ok (%d sources, %d keywords, %d exclusions, %d topics)\n",
		configPath, len(cfg.Sources), len(cfg.Keywords), len(cfg.Exclude), len(cfg.Topics))
	return nil
}
