package match

import (
	"strings"
	"testing"

	"github.com/vigie-watch/vigie/internal/plaintext"
)

// TestSimpleTagSkipsDropped checks that foldRun's fast path for tags leaves
// every element whose contents plaintext drops to the TagScanner, in any
// case and with a closing slash: otherwise Fold would match words that
// plaintext.FromHTML drops.
func TestSimpleTagSkipsDropped(t *testing.T) {
	for _, name := range plaintext.DroppedElements() {
		for _, tag := range []string{"<" + name + ">", "<" + strings.ToUpper(name) + ">", "</" + name + ">", "<" + name + "/>"} {
			s := tag + "mot"
			if end := simpleTag(s, 0); end != 0 {
				t.Errorf("simpleTag(%q): got %d, want 0 (left to the TagScanner)", s, end)
			}
		}
		if got := Fold("<" + name + ">mot</" + name + ">texte"); got != "texte" {
			t.Errorf("Fold of a %s element: got %q, want %q", name, got, "texte")
		}
	}
	if end := simpleTag("<p>mot", 0); end != 3 {
		t.Errorf(`simpleTag("<p>mot"): got %d, want 3`, end)
	}
}
