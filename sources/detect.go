package sources

import (
	"fmt"
	"sort"
	"strings"
)

// detectLines is how many non-empty lines detection looks at.
const detectLines = 12

// Detection is the result of detecting a format from sample lines.
type Detection struct {
	Format Format
	// Score is the mean per-line score of the winner, 0..100.
	Score int
	// Tied names other formats that scored the same; the winner was picked by priority.
	Tied []string
}

// ErrUnknownFormat is returned when no registered format fits the sample.
var ErrUnknownFormat = fmt.Errorf("no known log format fits these lines")

// Detect picks the format that best fits the sample lines. When role is not
// RoleUnknown, only formats of that role (or formats that write several
// record kinds, such as Caddy's combined log) are considered.
func Detect(lines []string, role Role) (Detection, error) {
	type cand struct {
		f     Format
		score int
	}
	var cands []cand
	n := 0
	for _, l := range lines {
		if strings.TrimSpace(l) != "" {
			n++
		}
	}
	if n == 0 {
		return Detection{}, fmt.Errorf("no lines to detect a format from")
	}
	for _, f := range Formats() {
		if role != RoleUnknown && f.Role != role && !(role == RoleProxyErrors && f.Role == RoleProxy) {
			continue
		}
		if f.Detect == nil {
			continue
		}
		total := 0
		for _, l := range lines {
			if strings.TrimSpace(l) == "" {
				continue
			}
			total += f.Detect(l)
		}
		if s := total / n; s > 0 {
			cands = append(cands, cand{f, s})
		}
	}
	if len(cands) == 0 {
		return Detection{}, ErrUnknownFormat
	}
	sort.SliceStable(cands, func(i, j int) bool {
		if cands[i].score != cands[j].score {
			return cands[i].score > cands[j].score
		}
		return cands[i].f.Priority > cands[j].f.Priority
	})
	d := Detection{Format: cands[0].f, Score: cands[0].score}
	for _, c := range cands[1:] {
		if c.score == d.Score {
			d.Tied = append(d.Tied, c.f.Name)
		}
	}
	return d, nil
}

// Resolve detects the format of sample lines for a spec and applies the
// spec's preference for the detected role.
func Resolve(spec Spec, lines []string) (Format, string, error) {
	det, err := Detect(lines, spec.Role)
	role := spec.Role
	if err == nil && role == RoleUnknown {
		role = det.Format.Role
	}
	if name := spec.Prefer[role]; name != "" {
		if f, ok := LookupFormat(name); ok {
			return f, "forced " + name + " for " + role.String() + " inputs", nil
		}
		return Format{}, "", fmt.Errorf("unknown format %q", name)
	}
	if err != nil {
		return Format{}, "", err
	}
	return det.Format, det.Describe(), nil
}

// Describe says how a detection came out, for messages: the winner, its
// confidence and any ties with how to force the format.
func (d Detection) Describe() string {
	s := fmt.Sprintf("detected %s (%d%%)", d.Format.Name, d.Score)
	if len(d.Tied) > 0 {
		s += fmt.Sprintf("; tied with %s — force one with --format NAME", strings.Join(d.Tied, ", "))
	}
	return s
}
