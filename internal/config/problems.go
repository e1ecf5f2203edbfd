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

// Problem is one thing wrong in a configuration, kept as a value from the
// moment it is found: `vigie check` prints its String.
type Problem struct {
	Line    int    // line in the file; 0 when not known (a default value, say)
	Key     string // path of the key at fault, such as sources[2].schedule; "" when not known
	Message string // what is wrong, for a person
}

// String is "line N: key: message", without the parts not known.
func (p Problem) String() string {
	var b strings.Builder
	if p.Line > 0 {
		fmt.Fprintf(&b, "line %d: ", p.Line)
	}
	if p.Key != "" {
		b.WriteString(p.Key)
		b.WriteString(": ")
	}
	b.WriteString(p.Message)
	return b.String()
}

// yaml.v3 reports decoding problems only as text: these read it, here and
// nowhere else.
var (
	yamlLineRE     = regexp.MustCompile(`^line (\d+): `)
	unknownFieldRE = regexp.MustCompile(`^line (\d+): field (.+) not found in type config\.(\w+)$`)
	duplicateRE    = regexp.MustCompile(`mapping key "(.*)" already defined at line (\d+)$`)
	wrongTypeRE    = regexp.MustCompile("cannot unmarshal !!(\\w+) `(.*)` into (.+)$")
)

// decodeProblems turns the decoder's messages into problems for a person
// editing the file. stopped reports whether the decoder gave up on part of
// the file (a duplicate key), leaving fields unset that validation would
// then wrongly report as missing.
func (idx lineIndex) decodeProblems(err *yaml.TypeError) (problems []Problem, stopped bool) {
	if err == nil {
		return nil, false
	}
	for _, msg := range err.Errors {
		p, dup := idx.explain(msg)
		problems = append(problems, p)
		stopped = stopped || dup
	}
	return problems, stopped
}

// withoutKeysOf drops the problems about a key that already has one in
// first: a value that could not be decoded is also missing.
func withoutKeysOf(problems, first []Problem) []Problem {
	seen := map[string]bool{}
	for _, p := range first {
		if p.Key != "" {
			seen[p.Key] = true
		}
	}
	return slices.DeleteFunc(problems, func(p Problem) bool { return p.Key != "" && seen[p.Key] })
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

// explain turns a message of the YAML decoder into a problem that names
// the key at fault, and for an unknown key the known one it most
// resembles. duplicate reports a key set twice.
func (idx lineIndex) explain(msg string) (p Problem, duplicate bool) {
	if m := unknownFieldRE.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		p = Problem{Line: line, Key: idx.keyAt(line, m[2]), Message: "unknown key"}
		if s := suggest(m[2], knownKeys[m[3]]); s != "" {
			p.Message += fmt.Sprintf(" (did you mean %q?)", s)
		}
		return p, false
	}
	m := yamlLineRE.FindStringSubmatch(msg)
	if m == nil {
		return Problem{Message: msg}, duplicateRE.MatchString(msg)
	}
	line, _ := strconv.Atoi(m[1])
	msg = strings.TrimPrefix(msg, m[0])
	if d := duplicateRE.FindStringSubmatch(msg); d != nil {
		return Problem{Line: line, Key: idx.keyAt(line, d[1]), Message: "duplicate key, already set at line " + d[2]}, true
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
	return Problem{Line: line, Key: idx.keyAt(line, ""), Message: msg}, false
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

// sortByLine orders problems by their line, those without a line last,
// keeping the order of problems on the same line.
func sortByLine(problems []Problem) []Problem {
	line := func(p Problem) int {
		if p.Line > 0 {
			return p.Line
		}
		return int(^uint(0) >> 1)
	}
	slices.SortStableFunc(problems, func(a, b Problem) int { return line(a) - line(b) })
	return problems
}
