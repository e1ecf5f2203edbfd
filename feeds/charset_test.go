package feeds_test

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/vigie-watch/vigie/feeds"
)

func TestToUTF8(t *testing.T) {
	const latin9Prolog = `<?xml version="1.0" encoding="iso-8859-15"?>`
	tests := []struct {
		name        string
		body        string
		contentType string
		want        string
	}{
		{
			name: "latin-9 declared in prolog: € and œ, not ¤ and ½",
			body: latin9Prolog + "<t>3 \xa4, c\xbdur, \xe9t\xe9</t>",
			want: `<?xml version="1.0" encoding="UTF-8"?><t>3 €, cœur, été</t>`,
		},
		{
			name:        "latin-9 declared in header only",
			body:        "<t>3 \xa4, c\xbdur</t>",
			contentType: "text/xml; charset=ISO-8859-15",
			want:        "<t>3 €, cœur</t>",
		},
		{
			name:        "prolog wins over header",
			body:        latin9Prolog + "<t>\xa4</t>",
			contentType: "text/xml; charset=iso-8859-1",
			want:        `<?xml version="1.0" encoding="UTF-8"?><t>€</t>`,
		},
		{
			name:        "latin-1 label read as windows-1252",
			body:        "<t>\xa4 \x93x\x94</t>",
			contentType: "text/xml; charset=iso-8859-1",
			want:        "<t>¤ “x”</t>",
		},
		{
			name: "undeclared legacy bytes default to windows-1252",
			body: `<?xml version="1.0"?><t>L` + "\x92\x9cil \x93cam\xe9ras\x94\x85</t>",
			want: `<?xml version="1.0"?><t>L’œil “caméras”…</t>`,
		},
		{
			name:        "UTF-8 mislabelled in prolog and header is trusted",
			body:        latin9Prolog + "<t>Sénat : 3 €, cœur</t>",
			contentType: "application/rss+xml; charset=iso-8859-15",
			want:        `<?xml version="1.0" encoding="UTF-8"?><t>Sénat : 3 €, cœur</t>`,
		},
		{
			name: "UTF-8 with stray latin-9 bytes keeps both",
			body: latin9Prolog + "<t>Sénat c\xbdur \xe9t\xe9</t>",
			want: `<?xml version="1.0" encoding="UTF-8"?><t>Sénat cœur été</t>`,
		},
		{
			name: "declared UTF-8 but legacy bytes",
			body: `<?xml version='1.0' encoding='utf-8'?><t>caf` + "\xe9 \x80</t>",
			want: `<?xml version='1.0' encoding='utf-8'?><t>café €</t>`,
		},
		{
			name:        "unknown labels fall through to windows-1252",
			body:        `<?xml version="1.0" encoding="klingon"?><t>` + "\xe9</t>",
			contentType: "text/xml; charset=x-bogus",
			want:        `<?xml version="1.0" encoding="UTF-8"?><t>é</t>`,
		},
		{
			name:        "malformed header still read",
			body:        "<t>\xa4</t>",
			contentType: "text/xml; charset=latin9;;",
			want:        "<t>€</t>",
		},
		{
			name: "UTF-8 BOM stripped",
			body: "\xef\xbb\xbf" + `<?xml version="1.0" encoding="utf-8"?><t>é</t>`,
			want: `<?xml version="1.0" encoding="utf-8"?><t>é</t>`,
		},
		{
			name: "UTF-16 LE with BOM",
			body: "\xff\xfe" + utf16le(`<?xml version="1.0" encoding="UTF-16"?><t>œ €</t>`),
			want: `<?xml version="1.0" encoding="UTF-8"?><t>œ €</t>`,
		},
		{
			name: "UTF-16 BE with BOM",
			body: "\xfe\xff" + utf16be(`<?xml version="1.0" encoding="UTF-16"?><t>œ €</t>`),
			want: `<?xml version="1.0" encoding="UTF-8"?><t>œ €</t>`,
		},
		{
			name: "UTF-16 LE without BOM",
			body: utf16le(`<?xml version="1.0" encoding="UTF-16"?><t>é</t>`),
			want: `<?xml version="1.0" encoding="UTF-8"?><t>é</t>`,
		},
		{
			name:        "JSON untouched",
			body:        `{"title":"Sénat"}`,
			contentType: "application/feed+json; charset=iso-8859-15",
			want:        `{"title":"Sénat"}`,
		},
		{
			name: "encoding after standalone, single quotes",
			body: `<?xml version="1.0" standalone='yes' encoding='ISO-8859-15' ?><t>` + "\xa4</t>",
			want: `<?xml version="1.0" standalone='yes' encoding="UTF-8" ?><t>€</t>`,
		},
		{
			name: "only the prolog is rewritten",
			body: `<t>encoding="latin1"</t>`,
			want: `<t>encoding="latin1"</t>`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := feeds.ToUTF8([]byte(tt.body), tt.contentType)
			if err != nil {
				t.Fatalf("ToUTF8: %v", err)
			}
			if string(got) != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestToUTF8Fixtures(t *testing.T) {
	tests := []struct {
		file, contentType string
		want              []string
	}{
		{"in-senat-latin9.rss", "", []string{"Sénat - Textes", "cœur", "3 €", "l'Œuvre"}},
		{"in-senat-utf8.rss", "text/xml; charset=iso-8859-15", []string{"Sénat - Textes", "cœur", "3 €", "l'Œuvre"}},
		{"in-windows1252.rss", "", []string{"“Technopolice”", "L’œil", "Marseille…", "2 M€"}},
		{"in-bom-utf8.rss", "", []string{"l’État"}},
		{"in-utf16le.rss", "", []string{"Caméras « intelligentes » : l’œil du Sénat"}},
		{"in-utf16be.rss", "", []string{"Caméras « intelligentes » : l’œil du Sénat"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := feeds.ToUTF8(inFixture(t, tt.file), tt.contentType)
			if err != nil {
				t.Fatalf("ToUTF8: %v", err)
			}
			if !utf8.Valid(got) {
				t.Fatalf("got invalid UTF-8")
			}
			if !bytes.HasPrefix(got, []byte("<?xml")) {
				t.Errorf("got prefix %q, want the XML declaration first (BOM stripped)", got[:min(len(got), 10)])
			}
			if decl, _, _ := strings.Cut(string(got), "?>"); strings.Contains(decl, "encoding") &&
				!strings.Contains(strings.ToLower(decl), `encoding="utf-8"`) {
				t.Errorf("got declaration %q, want encoding UTF-8", decl)
			}
			for _, w := range tt.want {
				if !bytes.Contains(got, []byte(w)) {
					t.Errorf("got no %q in output", w)
				}
			}
		})
	}
}

func FuzzToUTF8(f *testing.F) {
	f.Add([]byte(`<?xml version="1.0" encoding="iso-8859-15"?>`+"\xa4"), "")
	f.Add([]byte("\xff\xfe<\x00?\x00"), "text/xml; charset=utf-16")
	f.Add([]byte("caf\xe9"), "text/plain; charset=shift_jis")
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		got, err := feeds.ToUTF8(body, contentType)
		if err != nil {
			return
		}
		if !utf8.Valid(got) {
			t.Errorf("ToUTF8(%q, %q) = %q: invalid UTF-8", body, contentType, got)
		}
		if utf8.Valid(body) && !bytes.HasPrefix(body, []byte("\xef\xbb\xbf")) &&
			!bytes.HasPrefix(body, []byte("<\x00")) && !bytes.HasPrefix(body, []byte("\x00<")) &&
			!bytes.Contains(body, []byte("encoding")) && !bytes.Equal(got, body) {
			t.Errorf("ToUTF8 changed valid UTF-8 %q into %q", body, got)
		}
	})
}

func utf16le(s string) string {
	var b []byte
	for _, r := range s {
		b = append(b, byte(r), byte(r>>8))
	}
	return string(b)
}

func utf16be(s string) string {
	var b []byte
	for _, r := range s {
		b = append(b, byte(r>>8), byte(r))
	}
	return string(b)
}
