// Command vigie watches news and parliamentary feeds for keywords and
// republishes the matching items as one merged feed. See README.md.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := Run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "vigie:", err)
	}
	stop()
	os.Exit(exitCode(err))
}
