package main

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"fivexx/classify"
)

// row is one figure of the table: its value in a run as shown, and as a
// number for the median across runs (ok false: no median).
type row struct {
	name, target string
	value        func(r *result) (text string, v float64, ok bool)
	format       string // for the median
}

func num(format string, f func(r *result) float64) func(r *result) (string, float64, bool) {
	return func(r *result) (string, float64, bool) {
		v := f(r)
		return fmt.Sprintf(format, v), v, true
	}
}

func worst(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	return slices.Max(v)
}

var rows = []row{
	{"lines appended per second (of -rate)", "", func(r *result) (string, float64, bool) {
		return fmt.Sprintf("%.0f of %.0f", r.AchievedRate, r.TargetRate), r.AchievedRate, true
	}, "%.0f"},
	{"fivexx CPU, steady window (cores)", "< 1", num("%.2f", func(r *result) float64 { return r.CPUSteady }), "%.2f"},
	{"fivexx CPU, busiest second (cores)", "", num("%.2f", func(r *result) float64 { return r.CPUPeak }), "%.2f"},
	{"fivexx CPU from the last line to caught up (cores)", "", num("%.2f", func(r *result) float64 { return r.CPUDrain }), "%.2f"},
	{"fivexx peak RSS, VmHWM (MiB)", "", num("%.0f", func(r *result) float64 { return r.RSSPeakMiB }), "%.0f"},
	{"key → screen under load, median (ms)", "≤ 100", num("%.0f", func(r *result) float64 { return median(r.KeyLoad) }), "%.0f"},
	{"key → screen under load, worst (ms)", "≤ 100", func(r *result) (string, float64, bool) {
		w := worst(r.KeyLoad)
		if r.KeyMissed > 0 {
			return fmt.Sprintf("> 3000 (%d missed)", r.KeyMissed), w, false
		}
		return fmt.Sprintf("%.0f", w), w, true
	}, "%.0f"},
	{"key samples under load", "20+", num("%.0f", func(r *result) float64 { return float64(len(r.KeyLoad)) }), "%.0f"},
	{"key → screen idle, median / worst (ms)", "", func(r *result) (string, float64, bool) {
		return fmt.Sprintf("%.0f / %.0f", median(r.KeyIdle), worst(r.KeyIdle)), median(r.KeyIdle), true
	}, "%.0f"},
	{"line → screen under load, median (ms)", "≤ 250", num("%.0f", func(r *result) float64 { return median(r.LineLoad) }), "%.0f"},
	{"line → screen under load, worst (ms)", "≤ 250", func(r *result) (string, float64, bool) {
		w := worst(r.LineLoad)
		if r.LineMissed > 0 {
			return fmt.Sprintf("> 5000 (%d missed)", r.LineMissed), w, false
		}
		return fmt.Sprintf("%.0f", w), w, true
	}, "%.0f"},
	{"line samples under load", "", num("%.0f", func(r *result) float64 { return float64(len(r.LineLoad)) }), "%.0f"},
	{"line → screen idle, median / worst (ms)", "", func(r *result) (string, float64, bool) {
		return fmt.Sprintf("%.0f / %.0f", median(r.LineIdle), worst(r.LineIdle)), median(r.LineIdle), true
	}, "%.0f"},
	{"5xx on screen / 5xx lines appended", "all", func(r *result) (string, float64, bool) {
		mark := "✓"
		if r.FivexxShown != countText(r.Fivexx) {
			mark = "✗"
		}
		return fmt.Sprintf("%s / %d %s", r.FivexxShown, r.Fivexx, mark), 0, false
	}, ""},
	{"502 + 503 + 504 in the upstream table / appended", "all", func(r *result) (string, float64, bool) {
		var got, want []string
		ok := true
		for _, code := range []int{502, 503, 504} {
			got = append(got, fmt.Sprint(r.TableSums[code]))
			want = append(want, fmt.Sprint(r.FivexxBy[code]))
			ok = ok && r.TableSums[code] == r.FivexxBy[code]
		}
		mark := "✓"
		switch {
		case !r.TableExact:
			mark = "(not exact on screen)"
		case !ok:
			mark = "✗"
		}
		return fmt.Sprintf("%s / %s %s", strings.Join(got, " + "), strings.Join(want, " + "), mark), 0, false
	}, ""},
	{"markers on screen / written", "all", func(r *result) (string, float64, bool) {
		return fmt.Sprintf("%d / %d", r.MarkersShown, r.Markers), 0, false
	}, ""},
	{"lines/s on screen ÷ appended: proxy, errors, app", "1", func(r *result) (string, float64, bool) {
		var parts []string
		for _, role := range inputRoles {
			if a := r.AppendedRates[role]; a > 0 {
				parts = append(parts, fmt.Sprintf("%.2f", r.ScreenRates[role]/a))
			} else {
				parts = append(parts, "—")
			}
		}
		return strings.Join(parts, ", "), 0, false
	}, ""},
	{"unparsed (proxy, errors, app) · max pending", "0", func(r *result) (string, float64, bool) {
		var u []string
		for _, role := range inputRoles {
			u = append(u, r.Unparsed[role])
		}
		return fmt.Sprintf("%s · %d", strings.Join(u, ", "), r.MaxPending), 0, false
	}, ""},
	{"dropped: 5xx judged early, app lines, error lines evicted", "0", func(r *result) (string, float64, bool) {
		return fmt.Sprintf("%d, %d, %d", r.DroppedPending, r.DroppedApp, r.DroppedErrors), float64(r.Dropped), true
	}, "%.0f"},
	{"a line written right after the last: on screen after (ms)", "≤ 250", num("%.0f", func(r *result) float64 { return r.CatchUpSecs * 1000 }), "%.0f"},
	{"fivexx run-queue wait, steady window (s per s)", "", num("%.2f", func(r *result) float64 { return r.RunqWait }), "%.2f"},
	{"key under load, worst: fivexx's run-queue wait meanwhile (ms, all threads)", "", func(r *result) (string, float64, bool) {
		i := -1
		for j, v := range r.KeyLoad {
			if i < 0 || v > r.KeyLoad[i] {
				i = j
			}
		}
		if i < 0 || i >= len(r.KeyWait) {
			return "—", 0, false
		}
		return fmt.Sprintf("%.0f of %.0f", r.KeyWait[i], r.KeyLoad[i]), r.KeyWait[i], true
	}, "%.0f"},
	{"tmux server CPU (cores)", "", num("%.2f", func(r *result) float64 { return r.TmuxCPU }), "%.2f"},
	{"livebench CPU (cores)", "", num("%.2f", func(r *result) float64 { return r.SelfCPU }), "%.2f"},
	{"other CPU on the machine (cores of 2)", "", num("%.2f", func(r *result) float64 { return r.OtherCPU }), "%.2f"},
	{"load average 1 min: before, at start, at end", "", func(r *result) (string, float64, bool) {
		return fmt.Sprintf("%.2f, %.2f, %.2f", r.Load1Before, r.Load1Start, r.Load1End), r.Load1End, true
	}, "%.2f"},
	{"capture-pane round trip, median (ms)", "", num("%.2f", func(r *result) float64 { return r.CaptureRTTms }), "%.2f"},
	{"longest gap between two appends (ms)", "", num("%.0f", func(r *result) float64 { return r.MaxSliceGap }), "%.0f"},
	{"exit status after q", "0", func(r *result) (string, float64, bool) { return r.ExitStatus, 0, false }, ""},
}

// writeTable prints the figures as a markdown table: one column per run,
// and the median when there are several.
func writeTable(w io.Writer, results []*result) {
	if len(results) == 0 {
		return
	}
	head := []string{"figure", "target"}
	for i := range results {
		head = append(head, fmt.Sprintf("run %d", i+1))
	}
	if len(results) > 1 {
		head = append(head, "median")
	}
	fmt.Fprintf(w, "| %s |\n", strings.Join(head, " | "))
	fmt.Fprintf(w, "|%s\n", strings.Repeat("---|", len(head)))
	for _, rw := range rows {
		cells := []string{rw.name, rw.target}
		var vals []float64
		all := true
		for _, r := range results {
			text, v, ok := rw.value(r)
			cells = append(cells, text)
			vals = append(vals, v)
			all = all && ok
		}
		if len(results) > 1 {
			if all {
				cells = append(cells, fmt.Sprintf(rw.format, median(vals)))
			} else {
				cells = append(cells, "—")
			}
		}
		fmt.Fprintf(w, "| %s |\n", strings.Join(cells, " | "))
	}
	writeCauses(w, results)
	for i, r := range results {
		for _, p := range r.Problems {
			fmt.Fprintf(w, "\nrun %d: problem: %s\n", i+1, p)
		}
		for _, p := range r.Warnings {
			fmt.Fprintf(w, "\nrun %d: warning: %s\n", i+1, p)
		}
		if r.CPUProfile != "" {
			fmt.Fprintf(w, "\nrun %d: CPU profile %s (go tool pprof -top BIN %s)\n", i+1, r.CPUProfile, r.CPUProfile)
		}
	}
}

// writeCauses compares, per cause, the live screen's count at the end with
// fivexx report on the same lines at their own pace.
func writeCauses(w io.Writer, results []*result) {
	head := []string{"cause"}
	for i, r := range results {
		head = append(head, fmt.Sprintf("run %d: live / report", i+1))
		if r.MarkerCause != "" {
			head[len(head)-1] += fmt.Sprintf(" (live has the %d markers in %s)", r.Markers, r.MarkerCause)
		}
	}
	fmt.Fprintf(w, "\n| %s |\n", strings.Join(head, " | "))
	fmt.Fprintf(w, "|%s\n", strings.Repeat("---|", len(head)))
	for _, c := range classify.AllCauses {
		name := string(c)
		cells := []string{name}
		any := false
		for _, r := range results {
			live, ok := r.LiveCauses[name]
			if !ok {
				live = "0"
			}
			ref := r.RefCauses[name]
			any = any || ok || ref > 0
			cells = append(cells, fmt.Sprintf("%s / %d", live, ref))
		}
		if any {
			fmt.Fprintf(w, "| %s |\n", strings.Join(cells, " | "))
		}
	}
}
