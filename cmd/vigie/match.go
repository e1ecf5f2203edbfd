package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/vigie-watch/vigie/aggregator"
	"github.com/vigie-watch/vigie/internal/config"
	"github.com/vigie-watch/vigie/internal/match"
	"github.com/vigie-watch/vigie/internal/watch"
)

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
	st, err := openStore(ctx, cfg.Database)
	if err != nil {
		return err
	}
	defer st.Close()
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "PUBLISHED\tSOURCE\tKEYWORDS\tTITLE")
	n := 0
	err = st.ForEach(ctx, func(t watch.Text, e watch.Summary) error {
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
