package decode_test

import (
	"testing"

	"golang.org/x/text/encoding/charmap"

	"github.com/vigie-watch/vigie/internal/decode"
)

func TestMixed(t *testing.T) {
	// "é" and "€" in Latin-9 bytes, then "é" and "œ" in UTF-8, in one body.
	body := []byte("Caf\xe9 \xa4 ; caf\xc3\xa9 \xc5\x93uvre ; \xc3") // a lone lead byte at the end
	got := string(decode.Mixed(charmap.ISO8859_15, body))
	if want := "Café € ; café œuvre ; Ã"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
