package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/robfig/cron/v3"
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
	st, err := store.Open(ctx, cfg.Database)
	if err != nil {
		return err
	}
	defer st.Close()
	states, err := st.Sources(ctx)
	if err != nil {
		return err
	}
	byName := map[string]watch.SourceState{}
	for _, s := range states {
		byName[s.Name] = s
	}
	now := time.Now()
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SOURCE\tSTATUS\tHTTP\tLAST SUCCESS\tLAST ATTEMPT\tFAILURES\tITEMS\tNEXT FETCH\tLAST ERROR")
	for _, src := range cfg.Sources {
		s := byName[src.Name]
		status := "ok"
		switch {
		case s.URL != "" && s.URL != src.URL, s.LastAttempt.IsZero():
			status = "never fetched"
		case s.Gone:
			status = "gone"
		case s.LastError != "":
			status = "failing"
		}
		httpStatus := "-"
		if s.LastStatus != 0 {
			httpStatus = fmt.Sprint(s.LastStatus)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%d\t%s\t%s\n", src.Name, status, httpStatus, when(s.LastSuccess), when(s.LastAttempt),
			s.ConsecutiveFailures, s.ItemsSeen, when(nextFetch(src, s, now)), oneLine(s.LastError))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	return printDatabase(ctx, stdout, st)
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

// nextFetch is when the daemon will fetch src next: its schedule, or later
// while it backs off.
func nextFetch(src config.Source, s watch.SourceState, now time.Time) time.Time {
	if s.Gone {
		return time.Time{}
	}
	sched, err := cron.ParseStandard(src.Schedule)
	if err != nil {
		return time.Time{}
	}
	next := sched.Next(now)
	for next.Before(s.NextAttempt) {
		next = sched.Next(next)
	}
	return next
}
