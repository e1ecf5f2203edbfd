package pagetext

import "strings"

// SenateQuestion trims the text extracted from a Senate question's page to
// the question and its answer: from the line that opens the question
// ("Question écrite n° 09077 de M. ...", "Question de M. ...") to the end
// of the answer, or to "En attente de réponse du Ministère ...". What
// precedes (breadcrumb, "Document précédent", "S'abonner à cette
// recherche") is the site's. A text without those lines is returned as is.
func SenateQuestion(text string) string {
	lines := strings.Split(text, "\n")
	start := -1
	for i, l := range lines {
		if strings.HasPrefix(l, "Question écrite n°") || strings.HasPrefix(l, "Question orale n°") || strings.HasPrefix(l, "Question de ") {
			start = i
			break
		}
	}
	if start < 0 {
		return text
	}
	end := len(lines)
	for i := start; i < len(lines); i++ {
		if strings.HasPrefix(lines[i], "En attente de réponse") {
			end = i + 1
			break
		}
	}
	return strings.Join(lines[start:end], "\n")
}

// Answered reports whether the text of a Senate question's page carries
// the ministry's answer: "Réponse du Ministère de ... publiée dans le JO
// Sénat du ...", rather than "En attente de réponse du Ministère ...".
func Answered(text string) bool {
	for line := range strings.Lines(text) {
		l := strings.ToLower(strings.TrimSpace(line))
		if strings.HasPrefix(l, "réponse du ministère") || strings.HasPrefix(l, "réponse de ") {
			return true
		}
	}
	return false
}
