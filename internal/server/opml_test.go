package server_test

import (
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigie-watch/vigie/internal/vigietest"
)

// opmlOutline is what a reader keeps of an outline.
type opmlOutline struct {
	Text, Type, XMLURL, HTMLURL, URL string
}

// TestSourcesOPML reads /sources.opml with Python's XML parser (a parser
// that is not the one that wrote it) and, when installed, imports it in
// newsboat as a user would.
func TestSourcesOPML(t *testing.T) {
	h := activityHarness(t, 5, vigietest.Options{})
	u := h.up
	h.fetch()
	rec := h.Get(http.MethodGet, "/sources.opml")
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /sources.opml: got %d, want 200", rec.Code)
	}
	if got := rec.Header().Get("Content-Type"); !strings.HasPrefix(got, "text/x-opml") {
		t.Errorf("Content-Type: got %q, want text/x-opml", got)
	}
	path := filepath.Join(t.TempDir(), "sources.opml")
	if err := os.WriteFile(path, rec.Body.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	got := pythonOutlines(t, path)
	want := map[string]opmlOutline{
		"Sénat":         {Text: "Sénat", HTMLURL: u.URL("/senat.csv")}, // never read: its export
		"Actu récente":  {Text: "Actu récente", Type: "rss", XMLURL: u.URL("/recent.rss"), HTMLURL: "https://recent.example/"},
		"La Quadrature": {Text: "La Quadrature", Type: "rss", XMLURL: u.URL("/lqdn")},
		"franceinfo":    {Text: "franceinfo", Type: "rss", XMLURL: u.URL("/titres.rss"), HTMLURL: "https://www.francetvinfo.fr/titres/"},
		"Disclose":      {Text: "Disclose", Type: "rss", XMLURL: u.URL("/disclose"), HTMLURL: "https://disclose.ngo/fr"},
	}
	if len(got) != len(want) {
		t.Errorf("got %d outlines, want %d: %+v", len(got), len(want), got)
	}
	for _, o := range got {
		if w, ok := want[o.Text]; !ok || o != w {
			t.Errorf("outline %q:\n got %+v\nwant %+v", o.Text, o, w)
		}
	}
	newsboatImport(t, path, u)
}

// pythonOutlines parses an OPML file with python3's xml.etree and returns
// its leaf outlines.
func pythonOutlines(t *testing.T, path string) []opmlOutline {
	t.Helper()
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("skipping: no python3")
	}
	const script = `import json, sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == "opml" and root.get("version") == "2.0", root.tag
assert root.find("head/title").text
out = [{"Text": o.get("text", ""), "Type": o.get("type", ""), "XMLURL": o.get("xmlUrl", ""),
        "HTMLURL": o.get("htmlUrl", ""), "URL": o.get("url", "")}
       for o in root.iter("outline") if len(o) == 0]
json.dump(out, sys.stdout)`
	out, err := exec.Command("python3", "-c", script, path).Output()
	if err != nil {
		t.Fatalf("python3 could not read the OPML: %v", err)
	}
	var got []opmlOutline
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	return got
}

// newsboatImport imports the OPML in newsboat, which keeps the feeds
// (xmlUrl) and leaves the Senate's export, which is no feed.
func newsboatImport(t *testing.T, path string, u *vigietest.Upstream) {
	nb, err := exec.LookPath("newsboat")
	if err != nil {
		t.Log("newsboat not installed: import not tried (apt-get install newsboat)")
		return
	}
	urls := filepath.Join(t.TempDir(), "urls")
	cmd := exec.Command(nb, "-u", urls, "-c", filepath.Join(t.TempDir(), "cache.db"), "-i", path)
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir())
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("newsboat -i: %v\n%s", err, out)
	}
	b, err := os.ReadFile(urls)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{u.URL("/titres.rss"), u.URL("/disclose"), u.URL("/lqdn")} {
		if !strings.Contains(string(b), want) {
			t.Errorf("newsboat's urls lack %s:\n%s", want, b)
		}
	}
	if strings.Contains(string(b), "/senat.csv") {
		t.Errorf("newsboat subscribed to the Senate's CSV export as a feed:\n%s", b)
	}
}
