package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestCommandHelp: `vigie COMMAND --help` lists the command's flags on
// standard output and exits 0; match's include --url and --selector.
func TestCommandHelp(t *testing.T) {
	for _, cmd := range []string{"run", "fetch", "check", "match", "status", "export", "migrate"} {
		var out, errb bytes.Buffer
		if err := Run(context.Background(), []string{cmd, "--help"}, &out, &errb); err != nil {
			t.Errorf("%s --help: %v", cmd, err)
			continue
		}
		if !strings.Contains(out.String(), "Flags of vigie "+cmd) || !strings.Contains(out.String(), "-config") {
			t.Errorf("%s --help printed %q, want its flags", cmd, out.String())
		}
	}
	var out, errb bytes.Buffer
	if err := Run(context.Background(), []string{"match", "-h"}, &out, &errb); err != nil {
		t.Fatal(err)
	}
	for _, flag := range []string{"-url", "-selector"} {
		if !strings.Contains(out.String(), flag) {
			t.Errorf("match -h printed %q, want %s", out.String(), flag)
		}
	}
}
