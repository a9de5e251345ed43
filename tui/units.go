package tui

import (
	"fmt"
	"math"
	"time"

	"fivexx/classify"
)

// none is shown where a value is unknown or does not apply.
const none = "—"

// fmtRate formats a per-second rate in at most 5 cells.
func fmtRate(r float64) string {
	switch {
	case r <= 0:
		return "0"
	case r < 100:
		return fmt.Sprintf("%.1f", r)
	case r < 10000:
		return fmt.Sprintf("%.0f", r)
	case r < 1e6:
		return fmt.Sprintf("%.0fk", r/1000)
	}
	return fmt.Sprintf("%.1fM", r/1e6)
}

// CountText formats a count as the screens show it, in at most 4 cells:
// 9999, 12k, 3M (testdata/livebench reads the screen with it).
func CountText(n int64) string {
	switch {
	case n < 10000:
		return fmt.Sprint(n)
	case n < 1e6:
		return fmt.Sprintf("%dk", n/1000)
	case n < 1e9:
		return fmt.Sprintf("%dM", n/1e6)
	}
	return fmt.Sprintf("%dG", n/1e9)
}

// fmtShare formats a share in 0..1 as a percentage in at most 5 cells; a
// non-zero share never reads as 0 %. The text report formats its shares
// with the same function.
func fmtShare(f float64) string { return classify.ShareText(f) }

// share returns part/whole, 0 when whole is 0.
func share(part, whole int64) float64 {
	if whole <= 0 {
		return 0
	}
	return float64(part) / float64(whole)
}

// fmtAge formats a non-negative duration briefly: 0.4s, 12s, 3m10s, 2h5m, 3d.
func fmtAge(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	switch {
	case d < 10*time.Second:
		return fmt.Sprintf("%.1fs", d.Seconds())
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		m, s := int(d.Minutes()), int(d.Seconds())%60
		if s == 0 {
			return fmt.Sprintf("%dm", m)
		}
		return fmt.Sprintf("%dm%02ds", m, s)
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
	}
	return fmt.Sprintf("%dd", int(d.Hours()/24))
}

// fmtMillis formats a latency in milliseconds; negative means unknown.
func fmtMillis(ms float64) string {
	switch {
	case ms < 0 || math.IsNaN(ms):
		return none
	case ms < 1000:
		return fmt.Sprintf("%.0fms", ms)
	case ms < 100000:
		return fmt.Sprintf("%.1fs", ms/1000)
	}
	return fmt.Sprintf("%.0fs", ms/1000)
}

// fmtWindow formats a window length: 1m, 5m, 15m, 90s.
func fmtWindow(d time.Duration) string {
	if d <= 0 {
		return none
	}
	if d%time.Minute == 0 {
		return fmt.Sprintf("%dm", int(d.Minutes()))
	}
	return fmt.Sprintf("%ds", int(d.Seconds()))
}

// fmtBytes formats a byte count: 512 B, 12.3 MB.
func fmtBytes(n int64) string {
	const unit = 1000
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	f, i := float64(n), 0
	for f >= unit && i < 4 {
		f /= unit
		i++
	}
	return fmt.Sprintf("%.1f %cB", f, " kMGT"[i])
}

// fmtClock formats a log or wall time to the second; zero is unknown.
func fmtClock(t time.Time) string {
	if t.IsZero() {
		return none
	}
	return t.Format("15:04:05")
}

// fmtStamp formats a log time to the millisecond.
func fmtStamp(t time.Time) string {
	if t.IsZero() {
		return "--:--:--.---"
	}
	return t.Format("15:04:05.000")
}
