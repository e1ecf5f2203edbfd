package match_test

import (
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/vigie-watch/vigie/internal/match"
)

// f builds the fields of an item: title, summary, content, categories.
func f(fields ...string) []string { return fields }

func TestMatchKeyword(t *testing.T) {
	tests := []struct {
		keyword string
		fields  []string
		want    bool
	}{
		// Case, hyphens, punctuation, line breaks, tags, entities.
		{"reconnaissance faciale", f("Reconnaissance-Faciale"), true},
		{"reconnaissance faciale", f("RECONNAISSANCE FACIALE"), true},
		{"reconnaissance faciale", f("", "<b>reconnaissance</b>\nfaciale"), true},
		{"reconnaissance faciale", f("", "reconnaissance&nbsp;faciale"), true},
		{"reconnaissance faciale", f("reconnaissance\u00a0faciale"), true},
		{"reconnaissance faciale", f("reconnaissance\u202ffaciale"), true},
		{"reconnaissance faciale", f("reconnaissance\t\r\n  faciale"), true},
		{"reconnaissance faciale", f("Reconnaissance faciale : la CNIL met en demeure la ville"), true},
		{"reconnaissance faciale", f("", "", "<p>La <em>reconnaissance faciale</em>, une technologie contestée.</p>"), true},
		{"reconnaissance faciale", f("", "", `<p>La <a href="https://example.org/?q=reconnaissance+faciale">technologie</a></p>`), false},
		{"reconnaissance faciale", f("« Reconnaissance faciale » : le Sénat adopte"), true},
		{"reconnaissance faciale", f("reconnaissance/faciale"), true},
		{"reconnaissance faciale", f("reconnaissance… faciale"), true},
		{"reconnaissance faciale", f("reconnaissance de dette"), false},
		{"reconnaissance faciale", f("la reconnaissance de la faciale"), false},
		{"reconnaissance faciale", f("faciale reconnaissance"), false},
		{"reconnaissance faciale", f("reconnaissances faciales"), false},
		{"reconnaissance faciale", f("reconnaissancefaciale"), false},
		{"reconnaissance faciale", f("Le débat sur la reconnaissance", "faciale, encore"), false},
		{"reconnaissance faciale", f("Le débat", "", "", "reconnaissance faciale"), true},
		{"reconnaissance faciale", f("reconnaissance", "faciale"), false},
		{"reconnaissance faciale", f(), false},
		{"reconnaissance faciale", f("", "", ""), false},
		// Accents, both ways.
		{"videosurveillance algorithmique", f("La vidéosurveillance algorithmique testée aux JO"), true},
		{"vidéosurveillance algorithmique", f("VIDEOSURVEILLANCE ALGORITHMIQUE"), true},
		{"vidéosurveillance algorithmique", f("vid&eacute;osurveillance algorithmique"), true},
		{"vidéosurveillance algorithmique", f("vide\u0301osurveillance algorithmique"), true},
		{"vidéosurveillance algorithmique", f("vidéo-surveillance algorithmique"), false},
		{"vidéo-surveillance", f("la vidéo surveillance"), true},
		{"vidéo surveillance", f("la vidéo-surveillance"), true},
		{"vidéosurveillance", f("la vidéo\u00adsurveillance"), true},
		{"vidéosurveillance", f("la vidéo&shy;surveillance"), true},
		{"reconnaissance biométrique", f("Reconnaissance BIOMÉTRIQUE"), true},
		{"identification biométrique", f("identification biometrique a distance"), true},
		// Whole words.
		{"VSA", f("la VSA"), true},
		{"VSA", f("Expérimentation de la vidéosurveillance algorithmique (VSA)"), true},
		{"VSA", f("VSA."), true},
		{"VSA", f("«VSA»"), true},
		{"VSA", f("vsa"), true},
		{"VSA", f("Avsa"), false},
		{"VSA", f("VSAT"), false},
		{"VSA", f("la V.S.A."), false},
		{"VSA", f("", "", "", "Politique", "VSA"), true},
		{"VSA", f("", "", `<img alt="VSA" src="vsa.png">`), false},
		{"BriefCam", f("Le logiciel Briefcam utilisé par la police"), true},
		{"BriefCam", f("Briefcam's software"), true},
		{"BriefCam", f("BRIEFCAM"), true},
		{"BriefCam", f("Brief Cam"), false},
		{"BriefCam", f("briefcams"), false},
		{"Technopolice", f("La campagne Technopolice de La Quadrature du Net"), true},
		{"Technopolice", f("#Technopolice"), true},
		{"Technopolice", f("technopolicier"), false},
		{"Technopolice", f("techno police"), false},
		// Wildcards.
		{"caméra*", f("des caméras"), true},
		{"caméra*", f("une camera"), true},
		{"caméra*", f("CAMÉRAS-PIÉTONS"), true},
		{"caméra*", f("la caméra"), true},
		{"caméra*", f("la cam"), false},
		{"caméra*", f("photocaméra"), false},
		{"caméras augmentées", f("Les caméras augmentées arrivent"), true},
		{"caméras augmentées", f("camera augmentee"), false},
		{"caméra* augmenté*", f("camera augmentee"), true},
		{"caméra* augmenté*", f("Caméras augmentées"), true},
		{"caméra* augmenté*", f("caméras très augmentées"), false},
		{"biométri*", f("données biométriques"), true},
		{"biométri*", f("biometrie"), true},
		{"biométri*", f("biomètre"), false},
		{"drone*", f("Des drones au-dessus des manifestations"), true},
		{"reconnaissance facial*", f("reconnaissances faciales"), false},
		{"reconnaissance* facial*", f("reconnaissances faciales"), true},
		{"l'IA*", f("l’IAG"), true},
		// Apostrophes, ligatures, letters that do not decompose.
		{"l’IA", f("l'IA"), true},
		{"l’IA", f("L IA"), true},
		{"l'IA", f("l’IA générative"), true},
		{"l'IA", f("lʼIA"), true},
		{"l'IA", f("l‘IA"), true},
		{"IA", f("l’IA dans la police"), true},
		{"IA", f("l'Iaso"), false},
		{"l'algorithme", f("L’algorithme de la RATP"), true},
		{"aujourd'hui", f("Aujourd’hui, le Sénat"), true},
		{"Sœur", f("la soeur"), true},
		{"soeur", f("SŒUR"), true},
		{"cœur", f("le c&oelig;ur"), true},
		{"ex aequo", f("ex æquo"), true},
		{"ex aequo", f("ex-aequo"), true},
		{"ex aequo", f("ex\u00a0Æquo"), true},
		{"aequo", f("æquo"), true},
		{"Straße", f("STRASSE"), true},
		{"Łódź", f("lodz"), true},
		{"Øresund", f("oresund"), true},
		{"Þór", f("thor"), true},
		{"ﬁchier", f("fichier"), true},
		{"fichier", f("ﬁchier"), true},
		// Numbers.
		{"article 9", f("L’article 9 du RGPD"), true},
		{"article 9", f("L’article 90 du RGPD"), false},
		{"loi n° 2023-380", f("la loi n° 2023-380 du 19 mai 2023"), true},
		{"loi 2023-380", f("loi n° 2023-380"), false},
		{"2023-380", f("loi n°2023-380"), true},
		{"2023-380", f("loi n°2023-3800"), false},
		{"JO 2024", f("les JO 2024"), true},
		{"JO 2024", f("les JO de 2024"), false},
		{"2024", f("JO-2024"), true},
		{"2024", f("20245"), false},
		{"Paris 2024", f("Paris&nbsp;2024"), true},
		{"Paris 2024", f("Paris2024"), false},
		{"COVID-19", f("covid 19"), true},
		{"1er", f("le 1<sup>er</sup> mai"), false},
		{"n° 09077", f("Question écrite n°09077"), true},
		{"09077", f("question n° 9077"), false},
		// Entities and HTML.
		{"la CNIL", f("la&#160;CNIL"), true},
		{"la CNIL", f("la&#xa0;CNIL"), true},
		{"la CNIL", f("la<br>CNIL"), true},
		{"la CNIL", f("la<br/>CNIL"), true},
		{"la CNIL", f("la<!-- commentaire -->CNIL"), true},
		{"CNIL", f("<!-- CNIL -->"), false},
		{"CNIL", f(`<script>var CNIL = 1;</script>`), false},
		{"CNIL", f(`<style>.CNIL{}</style>ok`), false},
		{"CNIL", f(`<SCRIPT type="x">CNIL</SCRIPT > la CNIL`), true},
		{"CNIL", f("&lt;CNIL&gt;"), true},
		{"CNIL", f("a<CNIL"), true},
		{"CNIL", f("1 < 2 CNIL"), true},
		{"police", f("l&#8217;police"), true},
		{"police", f("police&amp;justice"), true},
		{"AT&T", f("AT&amp;T"), true},
		{"AT&T", f("AT T"), true},
		{"justice", f("police &amp; justice"), true},
		{"Légifrance", f("L&Eacute;GIFRANCE"), true},
		{"détection", f("<p>d&eacute;tection</p>"), true},
		// Runs of separators between the words of a phrase, across the
		// 64-byte blocks the scanner reads, and at the end of the text.
		{"reconnaissance faciale", f("reconnaissance ,;:!? () faciale"), true},
		{"reconnaissance faciale", f("reconnaissance" + strings.Repeat(" ,", 40) + "faciale"), true},
		{"reconnaissance faciale", f(strings.Repeat("x", 50) + " reconnaissance .. ×× « » faciale"), true},
		{"reconnaissance faciale", f("reconnaissance ,, de ,, faciale"), false},
		{"reconnaissance faciale", f("la reconnaissance ,,,,,,,,"), false},
		{"reconnaissance faciale", f("la reconnaissance" + strings.Repeat(" ", 70)), false},
		{"police municipale", f("police" + strings.Repeat(";", 100) + "municipale ,,"), true},
		{"caméra* piéton*", f("Caméras ,  ;  Piétons."), true},
		{"caméra* piéton*", f("caméras , , , "), false},
		{"a b c", f("a, b.   c"), true},
		{"a b c", f("a, b.   d c"), false},
		// Other scripts stay, lower-cased.
		{"Москва", f("в МОСКВЕ"), false},
		{"Москва", f("МОСКВА сегодня"), true},
		{"Αθήνα", f("ΑΘΗΝΑ"), true},
		{"監視", f("監視カメラ"), false},
		{"監視", f("監視 カメラ"), true},
	}
	for _, tt := range tests {
		m, err := match.Compile([]string{tt.keyword}, nil)
		if err != nil {
			t.Fatalf("Compile(%q): %v", tt.keyword, err)
		}
		got := m.Match(tt.fields...)
		if (len(got.Keywords) > 0) != tt.want {
			t.Errorf("keyword %q in %q: got %v, want %v", tt.keyword, tt.fields, got.Keywords, tt.want)
		}
		if got.Published() != tt.want {
			t.Errorf("keyword %q in %q: Published() = %v, want %v", tt.keyword, tt.fields, got.Published(), tt.want)
		}
	}
}

// topic is the keyword list of the first topic, from SOURCES.md.
var topic = []string{
	"reconnaissance faciale", "reconnaissance biométrique", "identification biométrique",
	"vidéosurveillance algorithmique", "VSA", "caméras augmentées", "BriefCam", "Technopolice",
}

func TestMatchResult(t *testing.T) {
	tests := []struct {
		name     string
		keywords []string
		exclude  []string
		fields   []string
		want     match.Result
		publish  bool
	}{
		{
			name:     "several keywords in config order, once each",
			keywords: topic,
			fields: f("Technopolice : la VSA et la reconnaissance faciale",
				"BriefCam, VSA, reconnaissance faciale", "<p>Technopolice</p>"),
			want:    match.Result{Keywords: []string{"reconnaissance faciale", "VSA", "BriefCam", "Technopolice"}},
			publish: true,
		},
		{
			name:     "nothing",
			keywords: topic,
			fields:   f("Réforme des retraites : le Sénat vote", "Les sénateurs ont adopté le texte."),
			want:     match.Result{},
		},
		{
			name:     "exclude wins",
			keywords: topic,
			exclude:  []string{"Face ID"},
			fields:   f("iPhone : Face ID, la reconnaissance faciale d’Apple"),
			want:     match.Result{Keywords: []string{"reconnaissance faciale"}, Excluded: []string{"Face ID"}},
		},
		{
			name:     "exclude alone",
			keywords: topic,
			exclude:  []string{"Face ID", "horoscope*"},
			fields:   f("Horoscopes du jour", "", "", "face-id"),
			want:     match.Result{Excluded: []string{"Face ID", "horoscope*"}},
		},
		{
			name:     "exclude that does not match",
			keywords: topic,
			exclude:  []string{"Face ID"},
			fields:   f("Faceid", "FaceTime", "", "VSA"),
			want:     match.Result{Keywords: []string{"VSA"}},
			publish:  true,
		},
		{
			name:     "duplicates folded to one, first spelling kept",
			keywords: []string{"VSA", "vsa", "  V.S.A  ", "caméra*", "CAMERA*", "camera"},
			fields:   f("la vsa et les caméras, une caméra"),
			want:     match.Result{Keywords: []string{"VSA", "caméra*", "camera"}},
			publish:  true,
		},
		{
			name:     "same first word, different phrases",
			keywords: []string{"reconnaissance faciale", "reconnaissance biométrique", "reconnaissance", "reconnaissance* vocal*"},
			fields:   f("reconnaissances vocales et reconnaissance biométrique"),
			want:     match.Result{Keywords: []string{"reconnaissance biométrique", "reconnaissance", "reconnaissance* vocal*"}},
			publish:  true,
		},
		{
			name:     "prefix and exact first words share a path",
			keywords: []string{"cam*", "caméra piéton", "camé*"},
			fields:   f("caméra-piéton"),
			want:     match.Result{Keywords: []string{"cam*", "caméra piéton", "camé*"}},
			publish:  true,
		},
		{
			name:     "phrase at the very end of a field",
			keywords: []string{"police municipale"},
			fields:   f("Les agents de la police", "municipale", "la police municipale"),
			want:     match.Result{Keywords: []string{"police municipale"}},
			publish:  true,
		},
		{
			name:   "no keywords",
			fields: f("VSA"),
			want:   match.Result{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := match.Compile(tt.keywords, tt.exclude)
			if err != nil {
				t.Fatalf("Compile: %v", err)
			}
			got := m.Match(tt.fields...)
			if !slices.Equal(got.Keywords, tt.want.Keywords) {
				t.Errorf("Keywords: got %q, want %q", got.Keywords, tt.want.Keywords)
			}
			if !slices.Equal(got.Excluded, tt.want.Excluded) {
				t.Errorf("Excluded: got %q, want %q", got.Excluded, tt.want.Excluded)
			}
			if got.Published() != tt.publish {
				t.Errorf("Published: got %v, want %v", got.Published(), tt.publish)
			}
		})
	}
}

func TestMatchConcurrent(t *testing.T) {
	m, err := match.Compile(topic, []string{"Face ID"})
	if err != nil {
		t.Fatal(err)
	}
	items := [][]string{
		f("La VSA aux JO", "", "<p>vidéosurveillance algorithmique</p>"),
		f("Face ID", "reconnaissance faciale"),
		f("Rien à voir", strings.Repeat("texte sans rapport ", 200)),
	}
	want := make([]match.Result, len(items))
	for i, it := range items {
		want[i] = m.Match(it...)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for k := range 200 {
				i := (g + k) % len(items)
				got := m.Match(items[i]...)
				if !slices.Equal(got.Keywords, want[i].Keywords) || !slices.Equal(got.Excluded, want[i].Excluded) {
					t.Errorf("item %d: got %+v, want %+v", i, got, want[i])
					return
				}
			}
		})
	}
	wg.Wait()
}

func TestKeywords(t *testing.T) {
	m, err := match.Compile([]string{" VSA ", "vsa", "BriefCam"}, []string{"Face ID", "face-id"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := m.Keywords(), []string{"VSA", "BriefCam"}; !slices.Equal(got, want) {
		t.Errorf("Keywords: got %q, want %q", got, want)
	}
	if got, want := m.Excludes(), []string{"Face ID"}; !slices.Equal(got, want) {
		t.Errorf("Excludes: got %q, want %q", got, want)
	}
	m.Keywords()[0] = "changed"
	if got := m.Keywords()[0]; got != "VSA" {
		t.Errorf("Keywords after changing the returned slice: got %q, want %q", got, "VSA")
	}
}
