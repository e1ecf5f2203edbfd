package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/vigie-watch/vigie/internal/config"
	"github.com/vigie-watch/vigie/internal/store"
	"github.com/vigie-watch/vigie/internal/watch"
)

// cmdStatus prints the health of each configured source.
func cmdStatus(ctx context.Context, args []string, stdout io.Writer) error {
	configPath, _, err := flags("status", args, nil)
	if err != nil {
		return err
	}
	cfg, err := config.Load(configPath)
	if err != nil {
		return err
	}
	a, err := open(ctx, cfg, nil, nil)
	if err != nil {
		return err
	}
	defer a.close()
	health, err := a.engine.Health(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SOURCE\tSTATUS\tHTTP\tLAST SUCCESS\tLAST ATTEMPT\tFAILURES\tITEMS\tNEXT FETCH\tLAST ERROR")
	for _, h := range health {
		s := h.State
		httpStatus := "-"
		if s.LastStatus != 0 {
			httpStatus = fmt.Sprint(s.LastStatus)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%d\t%s\t%s\n", h.Name, h.Status, httpStatus, when(s.LastSuccess), when(s.LastAttempt),
			s.ConsecutiveFailures, s.ItemsSeen, when(h.Next), oneLine(s.LastError))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if err := pageProblems(stdout, health); err != nil {
		return err
	}
	return printDatabase(ctx, stdout, a.store)
}

// pageProblems lists the full-text sources whose last pages could not all
// be read: their items are stored and matched on the feed's text, and
// the pages retried, so the sources themselves are not failing.
func pageProblems(w io.Writer, health []watch.Health) error {
	header := false
	for _, h := range health {
		s := h.State
		if s.PagesFailed == 0 {
			continue
		}
		if !header {
			header = true
			if _, err := fmt.Fprintln(w, "\nPAGES NOT READ (items kept, matched on their feed's text, pages retried):"); err != nil {
				return err
			}
		}
		if _, err := fmt.Fprintf(w, "  %s: %d, last: %s\n", h.Name, s.PagesFailed, oneLine(s.LastPageError)); err != nil {
			return err
		}
	}
	return nil
}

// printDatabase says which engine and database the watch is in, and the
// instances that share it (those holding a lease on a source).
func printDatabase(ctx context.Context, w io.Writer, st *store.Store) error {
	version, err := st.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\ndatabase: %s %s (schema version %d)\n", st.Engine(), st.Name(), version)
	holders, err := st.Holders(ctx)
	if err != nil {
		return err
	}
	for _, h := range holders {
		fmt.Fprintf(w, "instance: %s, %d sources, last claim %s\n", h.Instance, h.Sources, when(h.Last))
	}
	return nil
}
