package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/vigie-watch/vigie/internal/config"
	"github.com/vigie-watch/vigie/internal/store"
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
	return printDatabase(ctx, stdout, a.store)
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
