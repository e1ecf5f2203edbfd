//go:build unix

package aggregator_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"

	"github.com/vigie-watch/vigie/aggregator"
	"github.com/vigie-watch/vigie/feeds"
	"github.com/vigie-watch/vigie/internal/vigietest"
	"github.com/vigie-watch/vigie/internal/watch"
)

const senatHeader = "Sort;Nature;Numéro;Référence;Titre;Nom;Prénom;Civilité;Circonscription;Groupe;" +
	"Type Appartenance;Date de publication JO;Ministère de dépôt;Date de transmission;" +
	"Ministère de transmission;Ministère de réponse;Date de réponse JO;" +
	"Référence de la question rappelée;Thème(s);Thème QC;URL Question"

var (
	benchSubjects = []string{
		"Utilisation par la police nationale du logiciel de reconnaissance faciale BriefCam",
		"Fermeture de classes en milieu rural",
		"Soutien aux commerces de proximité en zone rurale",
		"Mise en œuvre de l’expérimentation des caméras augmentées dans les transports",
		`Avenir des espaces « France services » ; l'"accompagnement numérique" des usagers`,
		"Conservation des images de vidéoprotection filmées sur la voie publique",
		"Protection des données de santé hébergées par des prestataires étrangers",
		"Déserts médicaux et installation des jeunes médecins",
		"Prix de l'électricité pour les collectivités territoriales",
		"Bilan de la vidéosurveillance algorithmique pendant les jeux Olympiques",
		"Entretien des ponts communaux",
		"Situation des accompagnants d'élèves en situation de handicap",
	}
	benchSenators = [][4]string{ // civilité, prénom, nom, circonscription
		{"M.", "Jérôme", "Durain", "Saône-et-Loire"},
		{"Mme", "Mélanie", "Vogel", "Français établis hors de France"},
		{"M.", "Guy", "Benarroche", "Bouches-du-Rhône"},
		{"Mme", "Nathalie", "Delattre", "Hauts-de-Seine"},
		{"M.", "Franck", "Montaugé", "Gers"},
		{"Mme", "Évelyne", "Perrot", "Yonne"},
		{"M.", "Loïc", "Hervé", "Haute-Savoie"},
	}
	benchGroups     = []string{"SER", "GEST", "Les Républicains", "UC", "RDPI", "CRCE-K", "RDSE"}
	benchMinistries = []string{"Intérieur et outre-mer", "Éducation nationale et jeunesse", "Santé et prévention",
		"Transports", "Justice", "Économie, finances, souveraineté industrielle et numérique"}
	benchThemes = []string{"Police et sécurité", "Éducation", "Questions sociales et santé",
		"Transports", "Justice / Police et sécurité", "PME, commerce et artisanat / Aménagement du territoire"}
)

// senateExport generates a windows-1252 export of n questions, like the
// real one: comment lines, a header, quoted titles, about a quarter of the
// questions answered, one row in 5 000 malformed. answered(i) gives an
// answer to question i on top of those.
func senateExport(tb testing.TB, n int, answered func(i int) bool) []byte {
	tb.Helper()
	var b strings.Builder
	b.WriteString("% Questions écrites et orales des sénateurs depuis un an\r\n% Source : Sénat, data.senat.fr\r\n\r\n")
	b.WriteString(senatHeader + "\r\n")
	for i := range n {
		num := fmt.Sprintf("%05d", 1000+i)
		day, month, year := 1+i%28, 1+i/28%12, 2023+i/(28*12)%2
		ref := fmt.Sprintf("SEQ%02d%02d%s", year%100, month, num)
		if i%5000 == 4999 {
			fmt.Fprintf(&b, "En attente de réponse;QE;%s;%s;Ligne tronquée\r\n", num, ref)
			continue
		}
		s := benchSenators[i%len(benchSenators)]
		subject := benchSubjects[i%len(benchSubjects)]
		title := fmt.Sprintf(`"%s (%d)"`, strings.ReplaceAll(subject, `"`, `""`), i)
		ministry := benchMinistries[i%len(benchMinistries)]
		sort, answerMinistry, answerDate := "En attente de réponse", "", ""
		if i%4 == 0 || (answered != nil && answered(i)) {
			sort, answerMinistry = "Répondu", ministry
			answerDate = fmt.Sprintf("%02d/%02d/2024", 1+i%28, 1+i%12)
		}
		fmt.Fprintf(&b, "%s;QE;%s;%s;%s;%s;%s;%s;%s;%s;Membre du groupe;%02d/%02d/%d;%s;;;%s;%s;;%s;;https://www.senat.fr/questions/base/%d/q%s.html\r\n",
			sort, num, ref, title, s[2], s[1], s[0], s[3], benchGroups[i%len(benchGroups)],
			day, month, year, ministry, answerMinistry, answerDate, benchThemes[i%len(benchThemes)], year, ref)
	}
	out, err := charmap.Windows1252.NewEncoder().Bytes([]byte(b.String()))
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

// BenchmarkSenateCycle times one cycle of the Senate source on a 20 000-row
// export already stored, served with validators that never match so that
// the body is fetched, parsed, matched and compared every time.
//
//	unchanged:    nothing is written.
//	1pct-answered: the export alternates with one where 1 % more questions
//	               are answered, so every cycle rewrites 200 rows.
func BenchmarkSenateCycle(b *testing.B) {
	const rows = 20000
	base := senateExport(b, rows, nil)
	answered := senateExport(b, rows, func(i int) bool { return i%100 == 42 && i%4 != 0 })
	changed := 0
	for i := range rows {
		if i%100 == 42 && i%4 != 0 && i%5000 != 4999 {
			changed++
		}
	}

	b.Run("unchanged", func(b *testing.B) {
		_, eng := senateBenchSetup(b, base)
		b.SetBytes(int64(len(base)))
		defer reportCPU(b)()
		for b.Loop() {
			r := eng.FetchAll(context.Background())[0]
			if r.Err != nil || r.New != 0 || r.Updated != 0 || r.Fetched != rows-rows/5000 {
				b.Fatalf("got %+v, want %d fetched and nothing written", r, rows-rows/5000)
			}
		}
	})
	b.Run("1pct-answered", func(b *testing.B) {
		up, eng := senateBenchSetup(b, base)
		bodies := [2][]byte{answered, base}
		b.SetBytes(int64(len(base)))
		defer reportCPU(b)()
		n := 0
		for b.Loop() {
			up.Set(bodies[n%2], "text/csv")
			n++
			r := eng.FetchAll(context.Background())[0]
			if r.Err != nil || r.New != 0 || r.Updated != changed {
				b.Fatalf("got %+v, want %d updated", r, changed)
			}
		}
	})
}

// senateBenchSetup stores export once in a fresh database and returns the
// export's server (ignoring validators) and the engine.
func senateBenchSetup(b *testing.B, export []byte) (*vigietest.Validating, *aggregator.Engine) {
	b.Helper()
	u, up := newSenate(b)
	up.IgnoreValidators()
	up.Set(export, "text/csv")
	h := vigietest.New(b, vigietest.ParseConfig(b, senatConfig(u.URL(senatPath))), vigietest.Options{})
	r := h.Engine.FetchAll(context.Background())[0]
	if r.Err != nil || r.New == 0 || r.RowErrors == 0 {
		b.Fatalf("setup: got %+v, want new rows and the malformed ones reported", r)
	}
	return up, h.Engine
}

// reportCPU reports the process's CPU time per op (user and system, every
// goroutine and SQLite included) beside ns/op, which a loaded machine
// inflates. Call it before the loop and defer what it returns.
func reportCPU(b *testing.B) func() {
	start := cpuTime(b)
	return func() { b.ReportMetric(float64((cpuTime(b)-start).Nanoseconds())/float64(b.N), "cpu-ns/op") }
}

func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// TestSenateExportGenerator checks that the benchmark's generated export
// is windows-1252 and reads back whole.
func TestSenateExportGenerator(t *testing.T) {
	export := senateExport(t, 200, nil)
	if !bytes.HasPrefix(export, []byte("% Questions \xe9crites")) {
		t.Fatalf("export is not windows-1252: %q", export[:40])
	}
	var n int
	rowErrs, err := feeds.ParseSenateQuestions(bytes.NewReader(export), func(watch.Item) error { n++; return nil })
	if err != nil || n != 200 || len(rowErrs) != 0 {
		t.Errorf("got %d items, %d row errors, %v; want 200, 0, nil", n, len(rowErrs), err)
	}
}
