package server

import (
	"fmt"
	"html"
	"html/template"
	"strings"
	"time"

	"github.com/vigie-watch/vigie/internal/watch"
)

// The chart's frame, in SVG user units: the drawing scales to the width of
// the page, its text is sized by the page's CSS for phones and desktops.
const (
	chartW, chartH = 600, 190
	plotL, plotR   = 34, 4
	plotT, plotB   = 8, 26
)

// drawChart draws a feed's articles per week as stacked bars, one colour
// per leading keyword, each bar titled with its week and its keywords.
func drawChart(id, title string, weeks []weekCount) template.HTML {
	most, total := 0, 0
	for _, w := range weeks {
		most = max(most, w.Total)
		total += w.Total
	}
	top, step := scale(most)
	plotW := float64(chartW - plotL - plotR)
	plotH := float64(chartH - plotT - plotB)
	slot := plotW / float64(len(weeks))
	bar := slot * 0.78
	y := func(n int) float64 { return plotT + plotH - plotH*float64(n)/float64(top) }

	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %d %d" role="img" aria-labelledby="%s-t %s-d" xmlns="http://www.w3.org/2000/svg">`, chartW, chartH, id, id)
	fmt.Fprintf(&b, `<title id="%s-t">%s : articles par semaine</title>`, id, esc(title))
	fmt.Fprintf(&b, `<desc id="%s-d">%d articles en %d semaines, du %s au %s ; le détail est dans le tableau qui suit.</desc>`,
		id, total, len(weeks), shortDate(weeks[0].Start), shortDate(weeks[len(weeks)-1].Start.AddDate(0, 0, 6)))
	for n := 0; n <= top; n += step {
		fmt.Fprintf(&b, `<line class="grid" x1="%d" x2="%d" y1="%.1f" y2="%.1f"/>`, plotL, chartW-plotR, y(n), y(n))
		fmt.Fprintf(&b, `<text class="ax" x="%d" y="%.1f" text-anchor="end" dy=".35em">%d</text>`, plotL-6, y(n), n)
	}
	for i, w := range weeks {
		x := float64(plotL) + slot*float64(i) + (slot-bar)/2
		if monthLabel(weeks, i) {
			fmt.Fprintf(&b, `<text class="ax" x="%.1f" y="%d">%s</text>`, x, chartH-6, frenchMonths[w.Start.Month()-1])
		}
		fmt.Fprintf(&b, `<g><title>%s</title>`, esc(weekTitle(w)))
		// A transparent column makes the whole week hoverable, even empty.
		fmt.Fprintf(&b, `<rect class="hit" x="%.1f" y="%d" width="%.1f" height="%.1f"/>`, x, plotT, bar, plotH)
		level := 0
		for class, n := range w.ByClass {
			if n == 0 {
				continue
			}
			fmt.Fprintf(&b, `<rect class="k%d" x="%.1f" y="%.1f" width="%.1f" height="%.1f"/>`, class, x, y(level+n), bar, y(level)-y(level+n))
			level += n
		}
		b.WriteString(`</g>`)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// monthLabel reports whether week i is the first of its month on the
// chart, and far enough from the next label.
func monthLabel(weeks []weekCount, i int) bool {
	newMonth := func(i int) bool { return i > 0 && weeks[i].Start.Month() != weeks[i-1].Start.Month() }
	if i == 0 {
		for j := 1; j < min(4, len(weeks)); j++ {
			if newMonth(j) {
				return false
			}
		}
		return true
	}
	return newMonth(i) && i < len(weeks)-1
}

// scale returns the top of the chart's axis and the step of its lines:
// a step of 1, 2 or 5 times a power of ten, at most four steps.
func scale(most int) (top, step int) {
	for p := 1; ; p *= 10 {
		for _, m := range []int{1, 2, 5} {
			if step = m * p; (most+step-1)/step <= 4 {
				return max(step, (most+step-1)/step*step), step
			}
		}
	}
}

func weekTitle(w weekCount) string {
	s := fmt.Sprintf("Semaine du %s : %s", shortDate(w.Start), articles(w.Total))
	if w.Detail != "" {
		s += " (" + w.Detail + ")"
	}
	return s
}

func articles(n int) string {
	if n <= 1 {
		return fmt.Sprintf("%d article", n)
	}
	return fmt.Sprintf("%d articles", n)
}

// shortDate writes a day the French way, without the hour: "3 nov. 2026".
func shortDate(t time.Time) string {
	t = t.In(watch.Paris())
	return fmt.Sprintf("%d %s %d", t.Day(), frenchMonths[t.Month()-1], t.Year())
}

func esc(s string) string { return html.EscapeString(s) }

// Sizes of a fetch strip, in pixels.
const stripCell, stripGap, stripH = 9, 3, 18

// drawStrip draws a source's recent fetches, oldest first, as a row of
// marks coloured by outcome, each titled with its time and result.
func drawStrip(marks []fetchMark) template.HTML {
	if len(marks) == 0 {
		return ""
	}
	w := len(marks)*(stripCell+stripGap) - stripGap
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="strip" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-label="%s" xmlns="http://www.w3.org/2000/svg">`,
		w, stripH, w, stripH, esc(stripSummary(marks)))
	for i, m := range marks {
		h, y := stripH, 0
		if m.Outcome == watch.OutcomeNotModified || m.Outcome == watch.OutcomeSameBody || m.Outcome == watch.OutcomeSkipped {
			h, y = stripH/2, stripH/4 // quiet fetches are smaller
		}
		fmt.Fprintf(&b, `<rect class="o-%s" x="%d" y="%d" width="%d" height="%d" rx="2"><title>%s</title></rect>`,
			m.Outcome, i*(stripCell+stripGap), y, stripCell, h, esc(markTitle(m)))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

func markTitle(m fetchMark) string {
	s := frenchDate(m.At) + " : "
	switch m.Outcome {
	case watch.OutcomeOK:
		s += fmt.Sprintf("collectée, %d nouveau(x)", m.New)
	case watch.OutcomeNotModified:
		s += "inchangée (304)"
	case watch.OutcomeSameBody:
		s += "inchangée (mêmes octets)"
	case watch.OutcomeSkipped:
		s += "pas collectée"
	default:
		s += "erreur : " + m.Err
	}
	return s
}

// stripSummary counts the outcomes of the fetches shown.
func stripSummary(marks []fetchMark) string {
	if len(marks) == 0 {
		return "aucune collecte depuis le démarrage"
	}
	n := map[watch.Outcome]int{}
	for _, m := range marks {
		o := m.Outcome
		if o == watch.OutcomeSameBody { // unchanged too, for a reader
			o = watch.OutcomeNotModified
		}
		n[o]++
	}
	parts := []string{}
	for _, o := range []struct {
		outcome watch.Outcome
		word    string
	}{{watch.OutcomeOK, "réussie"}, {watch.OutcomeNotModified, "inchangée"}, {watch.OutcomeError, "en erreur"}, {watch.OutcomeSkipped, "remise"}} {
		if c := n[o.outcome]; c > 0 {
			word := o.word
			if c > 1 && o.outcome != watch.OutcomeError {
				word += "s"
			}
			parts = append(parts, fmt.Sprintf("%d %s", c, word))
		}
	}
	s := "dernière collecte : "
	if len(marks) > 1 {
		s = fmt.Sprintf("%d dernières collectes : ", len(marks))
	}
	return s + strings.Join(parts, ", ")
}
