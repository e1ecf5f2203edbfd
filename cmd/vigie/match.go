package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/vigie-watch/vigie/aggregator"
	"github.com/vigie-watch/vigie/internal/config"
	"github.com/vigie-watch/vigie/internal/match"
	"github.com/vigie-watch/vigie/internal/watch"
)

// cmdMatch shows which keywords match a text, or the text extracted from
// a page (--url), or, without either, which stored items the
// configuration would publish and in which of their fields each keyword
// was found.
func cmdMatch(ctx context.Context, args []string, stdout io.Writer) error {
	var pageURL, selector string
	configPath, rest, err := flags("match", args, func(fs *flag.FlagSet) {
		fs.StringVar(&pageURL, "url", "", "fetch this page, extract its main text and match it")
		fs.StringVar(&selector, "selector", "", "CSS selector of the article's text (default: the full_text_selector of a source on the page's host)")
	})
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
	switch {
	case pageURL != "":
		return matchURL(ctx, cfg, rules, pageURL, selector, stdout)
	case len(rest) > 0:
		text := strings.Join(rest, " ")
		fmt.Fprintf(stdout, "folded:   %s\n", match.Fold(text))
		explain(stdout, rules.Explain(text))
		return nil
	}
	return matchStored(ctx, cfg, rules, stdout)
}

// explain prints what the main feed's rules make of a text.
func explain(w io.Writer, res match.Result) {
	fmt.Fprintf(w, "keywords: %s\n", listOrNone(res.Keywords))
	fmt.Fprintf(w, "excluded: %s\n", listOrNone(res.Excluded))
	if res.Published() {
		fmt.Fprintln(w, "published: yes")
	} else {
		fmt.Fprintln(w, "published: no")
	}
}

// matchStored lists the stored items the configuration would publish,
// with the keywords found in each and where: title, summary, content,
// categories or page.
func matchStored(ctx context.Context, cfg *config.Config, rules *aggregator.Rules, stdout io.Writer) error {
	st, err := openStore(ctx, cfg.Database)
	if err != nil {
		return err
	}
	defer st.Close()
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "PUBLISHED\tSOURCE\tKEYWORDS\tFOUND IN\tTITLE")
	n := 0
	err = st.ForEach(ctx, func(t watch.Text, e watch.Summary) error {
		kws, ok := rules.MatchText(t)[aggregator.MainTopic]
		if !ok {
			return nil
		}
		n++
		found := rules.FoundIn(t)
		where := make([]string, len(kws))
		for i, kw := range kws {
			where[i] = kw + ": " + strings.Join(found[kw], "+")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", e.Published.Format("2006-01-02"), e.Source, strings.Join(kws, ", "),
			strings.Join(where, "; "), oneLine(t.Title))
		return nil
	})
	if err != nil {
		return err
	}
	tw.Flush()
	fmt.Fprintf(stdout, "%d stored items would be published\n", n)
	return nil
}
