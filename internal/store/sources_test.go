package store_test

import (
	"context"
	"testing"

	"github.com/vigie-watch/vigie/internal/watch"
)

// TestSourceStatesTheEngineCannotHold: states saved one by one or in a
// batch (the 304 saver) store an upstream's NUL bytes and invalid UTF-8
// as the engine can hold them, instead of failing the save.
func TestSourceStatesTheEngineCannotHold(t *testing.T) {
	both(t, testSourceStatesTheEngineCannotHold)
}

func testSourceStatesTheEngineCannotHold(t *testing.T, eng engine) {
	d := eng.open(t)
	hostile := func(name string) watch.SourceState {
		st := source(name)
		st.ETag = "\"a\x00b\xff\""
		st.LastError = "parse: bad byte \x00 in \xc3("
		return st
	}
	if err := d.SaveSource(context.Background(), hostile("one")); err != nil {
		t.Fatalf("SaveSource: %v", err)
	}
	if err := d.SaveSources(context.Background(), []watch.SourceState{hostile("two"), hostile("three")}); err != nil {
		t.Fatalf("SaveSources: %v", err)
	}
	states, err := d.Sources(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(states) != 3 {
		t.Fatalf("sources stored: got %d, want 3", len(states))
	}
	for _, st := range states {
		if st.LastError == "" || st.ETag == "" {
			t.Errorf("%s: got error %q and ETag %q, want them kept", st.Name, st.LastError, st.ETag)
		}
	}
}
