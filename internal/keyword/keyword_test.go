package keyword_test

import (
	"strings"
	"testing"

	"github.com/vigie-watch/vigie/internal/keyword"
)

func TestIndex(t *testing.T) {
	tests := []struct {
		keyword, words string
		want           int
	}{
		{"VSA", "le senat et la vsa enfin", 4},
		{"VSA", "avsa et vsat", -1},
		{"reconnaissance faciale", "la reconnaissance de la faciale", -1},
		{"Reconnaissance-Faciale", "la reconnaissance faciale arrive", 1},
		{"caméra*", "des cameras augmentees", 1},
		{"caméra*", "des camera", 1},
		{"caméra", "des cameras", -1},
		{"camé* intelligentes", "des cameras intelligentes", 1}, // a star inside a phrase, as the matcher reads it
		{"camé* intelligente", "des cameras intelligentes", -1},
		{"l'IA", "avec l ia generative", 1},
		{"cœur", "au coeur du sujet", 1},
		{"VSA", "", -1},
		{"  ", "vsa", -1},
		{"*", "vsa", -1},
		{"caf&eacute;", "un caf eacute", 1}, // keywords are plain text: no HTML step, as the matcher reads them
		{"cam*ra", "des cam ra", -1},        // the matcher rejects it: it matches nothing
	}
	for _, tt := range tests {
		if got := keyword.Parse(tt.keyword).Index(strings.Fields(tt.words)); got != tt.want {
			t.Errorf("%q in %q: got %d, want %d", tt.keyword, tt.words, got, tt.want)
		}
	}
}
