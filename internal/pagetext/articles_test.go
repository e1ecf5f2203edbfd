package pagetext_test

import "github.com/vigie-watch/vigie/internal/feedgen"

// longArticle has "reconnaissance faciale" in its fourth paragraph only.
var longArticle = feedgen.Article{
	Title: "Des logiciels d'analyse d'images testés par la police nationale",
	Chapo: "Une enquête révèle l'usage d'un logiciel israélien par plusieurs services depuis 2015.",
	Paragraphs: []string{
		"Depuis 2015, plusieurs services de la police nationale utilisent un logiciel d'analyse d'images vidéo acquis sans publicité, selon des documents internes consultés par nos confrères.",
		"Le ministère de l'Intérieur assure que l'outil sert uniquement à retrouver des véhicules et des silhouettes dans des heures d'enregistrements, une tâche longue et fastidieuse pour les enquêteurs.",
		"Les documents montrent pourtant que des formations ont été organisées dans une dizaine de départements, et que le logiciel a été mis à jour à plusieurs reprises depuis son acquisition.",
		"Une option de reconnaissance faciale, désactivée par défaut, pouvait être activée par les administrateurs locaux, ce qu'interdit la loi en dehors de cas très encadrés.",
		"La Commission nationale de l'informatique et des libertés a annoncé l'ouverture d'une procédure de contrôle. Le ministre a demandé une inspection administrative dont les conclusions sont attendues dans trois mois.",
		"Plusieurs associations de défense des libertés publiques réclament la suspension immédiate de l'outil et la publication de la liste des services qui l'ont utilisé.",
	},
}

// shortArticle is well under Readability's 500 characters.
var shortArticle = feedgen.Article{
	Title:      "Nice : la mairie renonce à son expérimentation",
	Chapo:      "La ville abandonne le dispositif.",
	Paragraphs: []string{"La mairie a renoncé lundi à tester la reconnaissance faciale aux abords du stade, après un avis défavorable de la Cnil."},
}

// plainArticle says nothing a watch on surveillance looks for.
var plainArticle = feedgen.Article{
	Title: "Le prix du gazole repart à la hausse",
	Chapo: "Les prix à la pompe ont augmenté de quatre centimes en une semaine.",
	Paragraphs: []string{
		"Le prix moyen du litre de gazole a atteint 1,82 euro cette semaine, selon les chiffres publiés lundi par le ministère de la Transition énergétique.",
		"Les distributeurs expliquent cette hausse par la remontée des cours du pétrole brut depuis le début du mois et par la faiblesse de l'euro face au dollar.",
		"Les automobilistes qui parcourent de longues distances pour aller travailler sont les premiers touchés, rappellent les associations de consommateurs.",
	},
}
