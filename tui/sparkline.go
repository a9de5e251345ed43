package tui

import "strings"

// sparkBlocks are the eight levels of a sparkline, lowest first.
var sparkBlocks = []rune("▁▂▃▄▅▆▇█")

// sparkline draws values (oldest first) in at most width cells, newest on the
// right. When there are more values than cells, neighbouring values are summed
// so every cell covers the same span; when there are fewer, the line is padded
// on the left. Zero draws the lowest block and any non-zero value draws at
// least the second, so a single error stays visible next to thousands.
func sparkline(values []int64, width int) string {
	if width <= 0 {
		return ""
	}
	cols := bucketize(values, width)
	var top int64
	for _, v := range cols {
		top = max(top, v)
	}
	var b strings.Builder
	b.WriteString(strings.Repeat(" ", width-len(cols)))
	for _, v := range cols {
		b.WriteRune(sparkBlocks[sparkLevel(v, top)])
	}
	return b.String()
}

// sparkLevel maps v in 0..top to an index of sparkBlocks.
func sparkLevel(v, top int64) int {
	if v <= 0 || top <= 0 {
		return 0
	}
	n := int64(len(sparkBlocks) - 1)
	return 1 + int((v*n-1)/top) // 1..7 for 0 < v <= top
}

// bucketize sums values into at most width groups of equal size, aligned on
// the newest value so the rightmost cell is always the latest data.
func bucketize(values []int64, width int) []int64 {
	if len(values) <= width {
		return values
	}
	per := (len(values) + width - 1) / width
	n := (len(values) + per - 1) / per
	out := make([]int64, n)
	for i := range values {
		// Index from the end so the newest group is full.
		col := n - 1 - (len(values)-1-i)/per
		out[col] += values[i]
	}
	return out
}
