package store_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigie-watch/vigie/internal/watch"
)

// poison makes the database refuse the state of a source whose ETag is
// "poison", as a constraint the store does not know of would: the
// source's stories are written by then.
func poison(d *db, e engine) {
	if e == "postgresql" {
		d.exec(`CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
			IF NEW.e_tag = '"poison"' THEN RAISE EXCEPTION 'poisoned story'; END IF; RETURN NEW; END $$`)
		d.exec(`CREATE TRIGGER poison BEFORE INSERT ON sources FOR EACH ROW EXECUTE FUNCTION refuse_poison()`)
		return
	}
	d.exec(`CREATE TRIGGER poison BEFORE INSERT ON sources WHEN NEW.e_tag = '"poison"'
		BEGIN SELECT RAISE(ABORT, 'poisoned story'); END`)
}

// TestGroupedIngestsFailAlone: the ingests of sources that wait for the
// write lock together are committed together, yet a source whose ingest
// fails stores nothing (neither its stories nor its state), and every other source of
// its group is stored whole, its result reported.
func TestGroupedIngestsFailAlone(t *testing.T) {
	both(t, func(t *testing.T, e engine) {
		d := e.open(t)
		poison(d, e)
		ctx := context.Background()
		const n = 12
		bad := map[int]bool{3: true, 7: true, 11: true}

		release := d.HoldWrites()
		var wg sync.WaitGroup
		results := make([]watch.IngestResult, n)
		errs := make([]error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				name := fmt.Sprintf("src%02d", i)
				items := []watch.Incoming{
					pub(name+"-1", "https://news.example/"+name+"/1", "Reconnaissance faciale à "+name, t0),
					unpub(name+"-2", "https://news.example/"+name+"/2", "Météo de "+name, t0),
				}
				st := source(name)
				st.ETag = `"` + name + `"`
				if bad[i] {
					st.ETag = `"poison"`
				}
				results[i], errs[i] = d.Ingest(ctx, st, items, t0)
			}()
			if i == 0 { // the first waits for the lock alone; the others gather behind it
				waitFor(t, d.WritesLeading)
			}
		}
		waitFor(t, func() bool { return d.QueuedWrites() == n-1 })
		release()
		wg.Wait()

		for i := range n {
			name := fmt.Sprintf("src%02d", i)
			stories := d.count("SELECT COUNT(*) FROM stories WHERE source_name = ?", name)
			st, err := d.Source(ctx, name)
			if err != nil {
				t.Fatal(err)
			}
			if bad[i] {
				if errs[i] == nil || !strings.Contains(errs[i].Error(), "poisoned story") {
					t.Errorf("%s: err = %v, want the database's refusal", name, errs[i])
				}
				if stories != 0 || st.ETag != "" {
					t.Errorf("%s failed, yet %d stories and state %+v are stored", name, stories, st)
				}
				continue
			}
			if errs[i] != nil {
				t.Errorf("%s: %v", name, errs[i])
			}
			wantResult(t, name, results[i], watch.IngestResult{Seen: 2, New: 2, Published: 1})
			if stories != 2 || st.ETag != `"`+name+`"` {
				t.Errorf("%s: %d stories, etag %q stored; want 2 and its etag", name, stories, st.ETag)
			}
		}
		if err := d.Check(ctx); err != nil {
			t.Error(err)
		}
	})
}

// TestConcurrentStateReads: states read at the same time, some never
// stored, each come back as their own.
func TestConcurrentStateReads(t *testing.T) {
	both(t, func(t *testing.T, e engine) {
		d := e.open(t)
		ctx := context.Background()
		for i := range 10 {
			st := source(fmt.Sprintf("s%d", i))
			st.ETag = fmt.Sprintf(`"e%d"`, i)
			if err := d.SaveSource(ctx, st); err != nil {
				t.Fatal(err)
			}
		}
		var wg sync.WaitGroup
		for i := range 20 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				name := fmt.Sprintf("s%d", i)
				st, err := d.Source(ctx, name)
				switch {
				case err != nil:
					t.Errorf("%s: %v", name, err)
				case st.Name != name:
					t.Errorf("read %s, got the state of %q", name, st.Name)
				case i < 10 && st.ETag != fmt.Sprintf(`"e%d"`, i):
					t.Errorf("%s: etag %q, want \"e%d\"", name, st.ETag, i)
				case i >= 10 && (st.ETag != "" || st.URL != ""):
					t.Errorf("%s was never stored, got %+v", name, st)
				}
			}()
		}
		wg.Wait()
	})
}

// waitFor polls cond until it holds, failing the test after a generous
// bound.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached in 30 s")
		}
		time.Sleep(time.Millisecond)
	}
}
