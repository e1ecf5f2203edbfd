package feedgen

import (
	"math/rand/v2"
	"strings"

	"github.com/vigie-watch/vigie/internal/match"
)

// The vocabulary avoids every word of the default keywords, so that only the
// stories chosen to match do.
var (
	sections = []struct{ tag, title, path string }{
		{"societe", "Société", "societe"},
		{"politique", "Politique", "politique"},
		{"economie", "Économie", "economie"},
		{"sante", "Santé", "sante"},
		{"justice", "Justice", "societe/justice"},
		{"environnement", "Environnement", "environnement"},
		{"culture", "Culture", "culture"},
		{"monde", "Monde", "monde"},
		{"faits-divers", "Faits divers", "faits-divers"},
		{"internet", "Internet", "internet"},
		{"sports", "Sports", "sports"},
		{"education", "Éducation", "societe/education"},
	}
	subjects = []string{
		"Le gouvernement", "La préfecture de police", "Le Conseil d’État", "La Cour des comptes",
		"Les élus écologistes", "Le maire de Nice", "La SNCF", "Les syndicats d’enseignants",
		"L’Assemblée nationale", "Le Sénat", "La ministre de la Santé", "Les agriculteurs",
		"Une association de consommateurs", "Le tribunal administratif de Marseille",
		"La mairie de Lyon", "Les sapeurs-pompiers", "Météo-France", "L’Insee",
		"Le procureur de la République", "La Commission européenne", "Les chauffeurs routiers",
		"Le Premier ministre", "Une sœur et son frère", "Les infirmières libérales",
		"Le président du conseil départemental", "Un collectif d’habitants", "La RATP",
	}
	verbs = [][2]string{ // singular, plural
		{"annonce", "annoncent"}, {"dénonce", "dénoncent"}, {"prolonge", "prolongent"},
		{"suspend", "suspendent"}, {"présente", "présentent"}, {"rejette", "rejettent"},
		{"valide", "valident"}, {"conteste", "contestent"}, {"publie", "publient"},
		{"examine", "examinent"}, {"lance", "lancent"}, {"repousse", "repoussent"},
		{"défend", "défendent"}, {"critique", "critiquent"}, {"dévoile", "dévoilent"},
	}
	objects = []string{
		"un plan de relance pour les hôpitaux", "la réforme de l’assurance chômage",
		"un projet de loi sur le logement", "le budget de la Sécurité sociale",
		"une enquête sur des œuvres d’art volées", "la fermeture d’une usine à Belfort",
		"des mesures contre la sécheresse", "le cœur du dispositif d’aide aux familles",
		"la hausse du prix de l’électricité", "un nouveau calendrier des vacances scolaires",
		"la rénovation des écoles de Seine-Saint-Denis", "un accord sur les salaires",
		"la fusion de deux régions viticoles", "l’extension de la ligne 18 du métro",
		"le recrutement de 3 000 soignants", "une manœuvre jugée « dangereuse »",
		"des vœux de fin d’année très politiques", "le prix du gazole à la pompe",
		"la création d’un fonds pour le patrimoine", "un rapport sur l’œuvre de Colette",
	}
	// topical objects each carry one default keyword.
	topical = []string{
		"l’usage de la reconnaissance faciale dans les gares",
		"la vidéosurveillance algorithmique pendant les grands événements",
		"l’expérimentation de la VSA au-delà de 2025",
		"le logiciel BriefCam acquis par la police nationale",
		"des caméras augmentées installées à Marseille",
		"les révélations du collectif Technopolice",
		"un système d’identification biométrique à l’aéroport",
		"la reconnaissance biométrique aux frontières",
	}
	tails = []string{
		"Selon nos informations, le texte sera examiné avant l’été.",
		"Les opposants dénoncent une décision « prise à la hâte ».",
		"D’après l’Insee, la tendance se confirme depuis trois trimestres.",
		"Une réunion est prévue jeudi à la préfecture.",
		"Le ministère n’a pas souhaité répondre à nos questions.",
		"Plusieurs centaines de personnes se sont rassemblées devant la mairie.",
		"L’opération coûterait près de 12&nbsp;millions d’euros.",
		"« C’est une première étape », a réagi l’adjointe au maire.",
		"Les syndicats appellent à une nouvelle journée de mobilisation mardi.",
		"Le dossier doit revenir devant le Conseil d’État à l’automne.",
		"Franceinfo fait le point sur ce que l’on sait.",
		"Des cœurs de ville entiers sont concernés, de Brest à Strasbourg.",
	}
	quotes = []string{
		"On ne lâchera rien", "Ce n’est qu’un début", "Nous avons été entendus",
		"La situation est intenable", "Il faut aller plus vite", "C’est inacceptable",
	}
)

// story is the text of one story, whatever feed carries it.
type story struct {
	section  int
	title    string
	slug     string
	summary  string
	category string
	matching bool
	ageMin   int // minutes before Options.Now
}

func pick(r *rand.Rand, list []string) string { return list[r.IntN(len(list))] }

// verb picks a verb agreeing with subj.
func verb(r *rand.Rand, subj string) string {
	v := verbs[r.IntN(len(verbs))]
	if strings.HasPrefix(subj, "Les ") || strings.Contains(subj, " et ") {
		return v[1]
	}
	return v[0]
}

// newStory writes a story from its own random stream.
func newStory(r *rand.Rand, matchRate float64, window int) story {
	s := story{section: r.IntN(len(sections)), matching: r.Float64() < matchRate, ageMin: r.IntN(window)}
	obj := pick(r, objects)
	inTitle := r.IntN(2) == 0
	if s.matching && inTitle {
		obj = pick(r, topical)
	}
	subj := pick(r, subjects)
	vb := verb(r, subj)
	switch r.IntN(3) {
	case 0:
		s.title = sections[s.section].title + "&nbsp;: " + strings.ToLower(subj[:1]) + subj[1:] + " " + vb + " " + obj
	case 1:
		s.title = "«&nbsp;" + pick(r, quotes) + "&nbsp;»&nbsp;: " + subj + " " + vb + " " + obj
	default:
		s.title = subj + " " + vb + " " + obj
	}
	s.slug = slugify(subj + " " + vb + " " + obj)

	var b strings.Builder
	b.WriteString("<p>")
	other := pick(r, subjects)
	b.WriteString(other + " " + verb(r, other) + " " + pick(r, objects) + ". ")
	if s.matching && !inTitle {
		b.WriteString("Le débat porte aussi sur " + pick(r, topical) + ". ")
	}
	for n := 1 + r.IntN(3); n > 0; n-- {
		b.WriteString(pick(r, tails) + " ")
	}
	b.WriteString("</p>")
	if r.IntN(3) == 0 {
		b.WriteString(`<p><a href="https://www.francetvinfo.fr/` + sections[s.section].path + `/">Lire aussi nos articles ` + sections[s.section].title + `</a></p>`)
	}
	s.summary = b.String()
	s.category = sections[s.section].title
	return s
}

// slugify makes a franceinfo-like URL slug: the words of s folded as
// vigie folds text for matching (lower case ASCII, no accents), joined by
// hyphens, cut after about 80 bytes.
func slugify(s string) string {
	slug := strings.ReplaceAll(match.Fold(s), " ", "-")
	if len(slug) > 81 {
		slug = slug[:81]
	}
	return strings.TrimRight(slug, "-")
}
