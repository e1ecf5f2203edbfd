package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/vigie-watch/vigie/internal/config"
	"github.com/vigie-watch/vigie/internal/watch"
)

// cmdFetch runs one pass over every source and prints a line per source. It
// fails (exit 1) only when every source failed.
func cmdFetch(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	configPath, _, err := flags("fetch", args, nil)
	if err != nil {
		return err
	}
	cfg, err := config.Load(configPath)
	if err != nil {
		return err
	}
	a, err := open(ctx, cfg, newLogger(&config.Config{LogFormat: cfg.LogFormat, LogLevel: "warn"}, stderr), nil)
	if err != nil {
		return err
	}
	defer a.close()
	if err := a.engine.Rematch(ctx); err != nil {
		return err
	}
	reports := a.engine.FetchAll(ctx)
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SOURCE\tRESULT\tITEMS\tNEW\tUPDATED\tPUBLISHED\tTIME")
	failed := 0
	for _, r := range reports {
		result := "ok"
		switch r.Outcome() {
		case watch.OutcomeError:
			failed++
			result = "error: " + r.Err.Error()
		case watch.OutcomeSkipped:
			result = "skipped: " + r.Skipped
		case watch.OutcomeNotModified:
			result = "not modified"
		case watch.OutcomeSameBody:
			result = "same body (200, not parsed again)"
		}
		if r.RowErrors > 0 {
			result += fmt.Sprintf(" (%d rows skipped)", r.RowErrors)
		}
		if r.Pages != (watch.PageHealth{}) {
			result += fmt.Sprintf(" (pages: %d read, %d not)", r.Pages.Fetched, r.Pages.Failed)
		}
		if r.BadCharRefs > 0 {
			result += fmt.Sprintf(" (%d invalid character references dropped)", r.BadCharRefs)
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t%s\n", r.Source, oneLine(result), r.Fetched, r.New, r.Updated, r.Published, r.Duration.Round(time.Millisecond))
	}
	tw.Flush()
	if failed == len(reports) && failed > 0 {
		return exitError{1}
	}
	return nil
}
