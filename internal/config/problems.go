package config

import (
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

var (
	lineRE         = regexp.MustCompile(`^line (\d+): `)
	keyRE          = regexp.MustCompile(`^(?:line \d+: )?([^ :]+): `)
	unknownFieldRE = regexp.MustCompile(`^line (\d+): field (.+) not found in type config\.(\w+)$`)
	duplicateRE    = regexp.MustCompile(`mapping key "(.*)" already defined at line (\d+)$`)
	wrongTypeRE    = regexp.MustCompile("cannot unmarshal !!(\\w+) `(.*)` into (.+)$")
)

// decodingStopped reports whether the decoder gave up on part of the file
// (a duplicate key), leaving fields unset that validation would then
// wrongly report as missing.
func decodingStopped(err *yaml.TypeError) bool {
	if err == nil {
		return false
	}
	return slices.ContainsFunc(err.Errors, duplicateRE.MatchString)
}

// withoutKeysOf drops the problems about a key that already has one in
// first: a value that could not be decoded is also missing.
func withoutKeysOf(problems, first []string) []string {
	seen := map[string]bool{}
	for _, p := range first {
		if m := keyRE.FindStringSubmatch(p); m != nil {
			seen[m[1]] = true
		}
	}
	return slices.DeleteFunc(problems, func(p string) bool {
		m := keyRE.FindStringSubmatch(p)
		return m != nil && seen[m[1]]
	})
}

// typeWords names the Go types of the file's values for a person.
var typeWords = map[string]string{
	"int":             "a whole number",
	"int64":           "a whole number",
	"string":          "text",
	"[]string":        "a list",
	"[]config.Source": "a list of sources",
	"[]config.Topic":  "a list of topics",
	"config.Feed":     "a mapping (title, url, max_entries)",
	"config.Source":   "a mapping (name, url, type, schedule, timeout)",
	"config.Topic":    "a mapping (name, title, keywords, exclude)",
	"config.Config":   "a mapping of settings",
}

var yamlKinds = map[string]string{"seq": "a list", "map": "a mapping"}

// explain rewrites a problem reported by the YAML decoder for a person
// editing the file: it names the key at fault, and for an unknown key the
// known one it most resembles.
func (idx lineIndex) explain(problem string) string {
	if m := unknownFieldRE.FindStringSubmatch(problem); m != nil {
		line, _ := strconv.Atoi(m[1])
		key := idx.keyAt(line, m[2])
		msg := fmt.Sprintf("line %d: %s: unknown key", line, key)
		if s := suggest(m[2], knownKeys[m[3]]); s != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", s)
		}
		return msg
	}
	m := lineRE.FindStringSubmatch(problem)
	if m == nil {
		return problem
	}
	line, _ := strconv.Atoi(m[1])
	msg := strings.TrimPrefix(problem, m[0])
	if d := duplicateRE.FindStringSubmatch(msg); d != nil {
		return fmt.Sprintf("line %d: %s: duplicate key, already set at line %s", line, idx.keyAt(line, d[1]), d[2])
	}
	if w := wrongTypeRE.FindStringSubmatch(msg); w != nil {
		got, ok := yamlKinds[w[1]]
		if !ok {
			got = fmt.Sprintf("%q", w[2])
		}
		want, ok := typeWords[w[3]]
		if !ok {
			want = w[3]
		}
		msg = fmt.Sprintf("got %s, want %s", got, want)
	}
	if key := idx.keyAt(line, ""); key != "" {
		return fmt.Sprintf("line %d: %s: %s", line, key, msg)
	}
	return fmt.Sprintf("line %d: %s", line, msg)
}

// keyAt returns the path of the key written on line, preferring one whose
// last element is name when name is given, else the deepest mapping key.
func (idx lineIndex) keyAt(line int, name string) string {
	best := ""
	for path, l := range idx {
		if l != line {
			continue
		}
		if name != "" {
			if path == name || strings.HasSuffix(path, "."+name) {
				return path
			}
			continue
		}
		isKey := !strings.HasSuffix(path, "]")
		bestIsKey := best != "" && !strings.HasSuffix(best, "]")
		switch {
		case best == "",
			isKey && !bestIsKey,
			isKey == bestIsKey && (len(path) > len(best) || len(path) == len(best) && path < best):
			best = path
		}
	}
	if best == "" {
		return name
	}
	return best
}

// knownKeys lists the YAML keys of each struct of the file, by type name.
var knownKeys = map[string][]string{
	"Config": yamlKeys(Config{}),
	"Feed":   yamlKeys(Feed{}),
	"Source": yamlKeys(Source{}),
	"Topic":  yamlKeys(Topic{}),
	"Auth":   yamlKeys(Auth{}),
	"User":   yamlKeys(User{}),
}

func yamlKeys(v any) []string {
	t := reflect.TypeOf(v)
	var keys []string
	for i := range t.NumField() {
		if k, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ","); k != "" && k != "-" {
			keys = append(keys, k)
		}
	}
	return keys
}

// suggest returns the known key closest to a misspelt one, or "" when none
// is close enough to be what was meant.
func suggest(key string, known []string) string {
	best, bestDist := "", 3 // at most two edits
	for _, k := range known {
		if d := editDistance(strings.ToLower(key), k); d < bestDist {
			best, bestDist = k, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// sortByLine orders problems by the line they name, those without a line
// last, keeping the order of problems on the same line.
func sortByLine(problems []string) []string {
	line := func(p string) int {
		if m := lineRE.FindStringSubmatch(p); m != nil {
			n, _ := strconv.Atoi(m[1])
			return n
		}
		return int(^uint(0) >> 1)
	}
	slices.SortStableFunc(problems, func(a, b string) int { return line(a) - line(b) })
	return problems
}
