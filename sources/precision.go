package sources

import (
	"strings"
	"time"
)

// Precision is how finely a line wrote its time stamp: the digits of a
// second's fraction it wrote, plus one, so that the zero value says "not
// known". The stamp's value does not tell it: HAProxy's %tr, nginx's
// $msec and Caddy's console time write 03:00:00.000 for a request of
// that very millisecond, which is not the whole second 03:00:00 of
// $time_local (classify's error-line span, stampUnit).
type Precision uint8

// PrecisionUnknown is a stamp whose parser does not say how it was
// written (a format that trims trailing zeros, Go's RFC3339Nano, or a
// float): readers guess from its value.
const PrecisionUnknown Precision = 0

// FractionDigits is the precision of a stamp written with n digits of a
// second's fraction: 0 for whole seconds, 3 for milliseconds (nanoseconds
// at most).
func FractionDigits(n int) Precision { return Precision(min(max(n, 0), 9) + 1) }

// FractionIn is the precision of stamp, the text of a time a log writes
// with a fixed number of fraction digits (nginx's $msec 1767322800.000,
// Caddy's wall_milli 2026/11/21 07:14:53.000): the digits after its first
// '.', whole seconds when it has none. Not for a format that trims
// trailing zeros (Go's RFC3339Nano), whose digits say less than it knew.
func FractionIn(stamp string) Precision {
	i := strings.IndexByte(stamp, '.')
	if i < 0 {
		return FractionDigits(0)
	}
	n := 0
	for _, c := range []byte(stamp[i+1:]) {
		if c < '0' || c > '9' {
			break
		}
		n++
	}
	return FractionDigits(n)
}

// Unit is one step of p (a second for whole seconds, a millisecond for
// three digits), 0 when p is not known.
func (p Precision) Unit() time.Duration {
	if p == PrecisionUnknown {
		return 0
	}
	d := time.Second
	for range p - 1 {
		d /= 10
	}
	return d
}
