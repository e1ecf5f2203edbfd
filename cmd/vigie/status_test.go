package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestStatusAfterAFetch(t *testing.T) {
	path := sourcesConfig(t, "/ok", "/500", "/never")
	ctx := context.Background()
	var out, errb bytes.Buffer
	// /never is not served: a 404, which fails like the 500.
	if err := Run(ctx, []string{"fetch", "--config", path}, &out, &errb); err != nil {
		t.Fatalf("fetch: %v\n%s%s", err, &out, &errb)
	}
	out.Reset()
	if err := Run(ctx, []string{"status", "--config", path}, &out, &errb); err != nil {
		t.Fatalf("status: %v\n%s", err, &errb)
	}
	t.Logf("vigie status:\n%s", &out)
	header := strings.Fields(strings.SplitN(out.String(), "\n", 2)[0])
	for _, col := range []string{"SOURCE", "STATUS", "HTTP", "SUCCESS", "FAILURES", "ITEMS", "NEXT", "ERROR"} {
		if !strings.Contains(strings.Join(header, " "), col) {
			t.Errorf("header: got %q, want a column %s", header, col)
		}
	}

	ok := strings.Fields(lineOf(out.String(), "srcok"))
	// SOURCE STATUS HTTP LAST-SUCCESS(2) LAST-ATTEMPT(2) FAILURES ITEMS NEXT-FETCH(2)
	if len(ok) != 11 || ok[1] != "ok" || ok[2] != "200" || ok[3] == "-" || ok[7] != "0" || ok[8] != "2" || ok[9] == "-" {
		t.Errorf("healthy source: got %q, want ok, HTTP 200, a last success, 0 failures, 2 items, a next fetch and no error", ok)
	}
	bad := lineOf(out.String(), "src500")
	f := strings.Fields(bad)
	if len(f) < 11 || f[1] != "failing" || f[2] != "500" || f[3] != "-" || f[6] != "1" || f[7] != "0" || f[8] == "-" || !strings.Contains(bad, "500 Internal Server Error") {
		t.Errorf("failing source: got %q, want failing, HTTP 500, no last success, 1 failure, 0 items, a next fetch and the 500 error", bad)
	}
	if l := lineOf(out.String(), "srcnever"); !strings.Contains(l, "404 Not Found") {
		t.Errorf("404 source: got %q, want its error", l)
	}
	if l := lineOf(out.String(), "database:"); !strings.Contains(l, "sqlite") || !strings.Contains(l, "vigie.db") {
		t.Errorf("database line: got %q, want the engine and the file", l)
	}
}
