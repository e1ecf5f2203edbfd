package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/vigie-watch/vigie/internal/config"
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
	return tw.Flush()
}
