package server

import (
	"strings"
	"testing"
)

func TestLocate(t *testing.T) {
	long := strings.Repeat("mot ", 20)
	tests := []struct {
		keyword, field string
		hit, folded    string
		before, after  string // of the written passage, "" when not checked
	}{
		{"VSA", "Le Sénat et la «VSA», enfin", "VSA", "vsa", "Le Sénat et la «", "», enfin"},
		{"reconnaissance faciale", "<p>la Reconnaissance-<b>Faciale</b> arrive</p>", "Reconnaissance- Faciale", "reconnaissance faciale", "la ", " arrive"},
		{"caméra*", "Des caméras&nbsp;augmentées", "caméras", "cameras", "Des ", " augmentées"},
		{"l'IA", "Avec l’IA générative", "l’IA", "l ia", "Avec ", " générative"},
		{"cœur", "au COEUR du sujet", "COEUR", "coeur", "au ", " du sujet"},
		{"VSA", long + "la VSA " + long, "VSA", "vsa", "… mot mot mot mot mot mot mot mot mot mot mot la ", " mot mot mot mot mot mot mot mot mot mot mot mot …"},
	}
	for _, tt := range tests {
		w, f, ok := newPhrase(tt.keyword).locate(tt.field)
		if !ok {
			t.Errorf("%q in %q: not found", tt.keyword, tt.field)
			continue
		}
		if w.Hit != tt.hit || f.Hit != tt.folded {
			t.Errorf("%q in %q: got hit %q folded %q, want %q and %q", tt.keyword, tt.field, w.Hit, f.Hit, tt.hit, tt.folded)
		}
		if w.Before != tt.before || w.After != tt.after {
			t.Errorf("%q in %q: got around %q | %q, want %q | %q", tt.keyword, tt.field, w.Before, w.After, tt.before, tt.after)
		}
	}
	for _, miss := range []struct{ keyword, field string }{{"VSA", "Avsa et VSAT"}, {"reconnaissance faciale", "reconnaissance de la faciale"}} {
		if _, _, ok := newPhrase(miss.keyword).locate(miss.field); ok {
			t.Errorf("%q found in %q", miss.keyword, miss.field)
		}
	}
}
