package pagetext

import "strings"

// Answered reports whether the text of a Senate question's page carries
// the ministry's answer: "Réponse du Ministère de ... publiée dans le JO
// Sénat du ...", rather than "En attente de réponse du Ministère ...".
func Answered(text string) bool {
	for line := range strings.Lines(text) {
		l := strings.ToLower(strings.TrimSpace(line))
		if strings.HasPrefix(l, "réponse du ministère") || strings.HasPrefix(l, "réponse de ") && strings.Contains(l, "publiée dans le jo") {
			return true
		}
	}
	return false
}
