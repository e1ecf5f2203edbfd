package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/vigie-watch/vigie/aggregator"
	"github.com/vigie-watch/vigie/internal/config"
	"github.com/vigie-watch/vigie/internal/match"
	"github.com/vigie-watch/vigie/internal/store"
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
		case "error":
			failed++
			result = "error: " + r.Err.Error()
		case "skipped":
			result = "skipped: " + r.Skipped
		case "not_modified":
			result = "not modified"
		}
		if r.RowErrors > 0 {
			result += fmt.Sprintf(" (%d rows skipped)", r.RowErrors)
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t%s\n", r.Source, oneLine(result), r.Fetched, r.New, r.Updated, r.Published, r.Duration.Round(time.Millisecond))
	}
	tw.Flush()
	if failed == len(reports) && failed > 0 {
		return exitError{1}
	}
	return nil
}

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

// cmdMatch shows which keywords match a text, or, without a text, which
// stored items the configuration would publish.
func cmdMatch(ctx context.Context, args []string, stdout io.Writer) error {
	configPath, rest, err := flags("match", args, nil)
	if err != nil {
		return err
	}
	cfg, err := config.Load(configPath)
	if err != nil {
		return err
	}
	rules, err := aggregator.CompileRules(cfg)
	if err != nil {
		return fmt.Errorf("%s: %w", configPath, err)
	}
	if len(rest) > 0 {
		text := strings.Join(rest, " ")
		res := rules.Explain(text)
		fmt.Fprintf(stdout, "folded:   %s\n", match.Fold(text))
		fmt.Fprintf(stdout, "keywords: %s\n", listOrNone(res.Keywords))
		fmt.Fprintf(stdout, "excluded: %s\n", listOrNone(res.Excluded))
		if res.Published() {
			fmt.Fprintln(stdout, "published: yes")
		} else {
			fmt.Fprintln(stdout, "published: no")
		}
		return nil
	}
	st, err := store.Open(ctx, cfg.Database)
	if err != nil {
		return err
	}
	defer st.Close()
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "PUBLISHED\tSOURCE\tKEYWORDS\tTITLE")
	n := 0
	err = st.ForEach(ctx, func(t store.Text, e store.Summary) error {
		m := rules.Match(t.Title, t.Summary, t.Content, t.Categories)
		kws, ok := m[aggregator.MainTopic]
		if !ok {
			return nil
		}
		n++
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", e.Published.Format("2006-01-02"), e.Source, strings.Join(kws, ", "), oneLine(t.Title))
		return nil
	})
	if err != nil {
		return err
	}
	tw.Flush()
	fmt.Fprintf(stdout, "%d stored items would be published\n", n)
	return nil
}

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
	byName := map[string]store.SourceState{}
	for _, s := range states {
		byName[s.Name] = s
	}
	now := time.Now()
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SOURCE\tSTATUS\tLAST SUCCESS\tLAST ATTEMPT\tFAILURES\tITEMS\tNEXT FETCH\tLAST ERROR")
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
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%d\t%s\t%s\n", src.Name, status, when(s.LastSuccess), when(s.LastAttempt),
			s.ConsecutiveFailures, s.ItemsSeen, when(nextFetch(src, s, now)), oneLine(s.LastError))
	}
	return tw.Flush()
}

// nextFetch is when the daemon will fetch src next: its schedule, or later
// while it backs off.
func nextFetch(src config.Source, s store.SourceState, now time.Time) time.Time {
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

func when(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.Local().Format("2006-01-02 15:04")
}

func listOrNone(l []string) string {
	if len(l) == 0 {
		return "(none)"
	}
	return strings.Join(l, ", ")
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 100 {
		s = string(r[:99]) + "…"
	}
	return s
}
