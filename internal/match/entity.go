package match

import "html"

// entity decodes the character reference at the start of s (s[0] == '&')
// the way html.UnescapeString does. It returns the decoded text as one
// rune, or as a string when it is not one rune, and how many bytes of s it
// used; n == 0 when s does not start a reference.
func entity(s string) (r rune, str string, n int) {
	end := 1
	numeric := len(s) > 1 && s[1] == '#'
	if numeric {
		end = 2
		if end < len(s) && (s[end] == 'x' || s[end] == 'X') {
			end++
		}
	}
	for end < len(s) && isAlnum(s[end]) {
		end++
	}
	semi := end < len(s) && s[end] == ';'
	if semi {
		end++
	}
	if end == 1 {
		return 0, "", 0
	}
	if semi {
		if numeric {
			if r, ok := numericRef(s[2 : end-1]); ok {
				return r, "", end
			}
		} else if r, ok := commonRefs[s[1:end-1]]; ok {
			return r, "", end
		}
	}
	ref := s[:end]
	d := html.UnescapeString(ref)
	if d == ref {
		return 0, "", 0
	}
	return 0, d, end
}

// numericRef decodes the digits of "&#233;" or "&#xE9;" when the value is
// plain: not one html.UnescapeString would replace.
func numericRef(digits string) (rune, bool) {
	base := rune(10)
	if len(digits) > 0 && (digits[0] == 'x' || digits[0] == 'X') {
		base, digits = 16, digits[1:]
	}
	if len(digits) == 0 || len(digits) > 6 {
		return 0, false
	}
	var x rune
	for i := 0; i < len(digits); i++ {
		c := digits[i]
		var d rune
		switch {
		case '0' <= c && c <= '9':
			d = rune(c - '0')
		case base == 16 && 'a' <= c|0x20 && c|0x20 <= 'f':
			d = rune(c|0x20-'a') + 10
		default:
			return 0, false
		}
		x = x*base + d
	}
	if x == 0 || 0x80 <= x && x <= 0x9f || 0xd800 <= x && x <= 0xdfff || x > 0x10ffff {
		return 0, false
	}
	return x, true
}

// commonRefs are the named references frequent in French feeds, decoded
// without a call to html.UnescapeString.
var commonRefs = map[string]rune{
	"nbsp": '\u00a0', "amp": '&', "lt": '<', "gt": '>', "quot": '"', "apos": '\'',
	"rsquo": '’', "lsquo": '‘', "rdquo": '”', "ldquo": '“', "laquo": '«', "raquo": '»',
	"hellip": '…', "mdash": '—', "ndash": '–', "shy": '\u00ad', "deg": '°',
	"eacute": 'é', "egrave": 'è', "ecirc": 'ê', "euml": 'ë', "agrave": 'à', "acirc": 'â',
	"ccedil": 'ç', "icirc": 'î', "iuml": 'ï', "ocirc": 'ô', "ucirc": 'û', "ugrave": 'ù',
	"oelig": 'œ', "Eacute": 'É', "Agrave": 'À', "Ccedil": 'Ç', "OElig": 'Œ',
}

func isAlnum(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c|0x20 && c|0x20 <= 'z'
}

func isASCIILetter(c byte) bool {
	return c|0x20 >= 'a' && c|0x20 <= 'z'
}
