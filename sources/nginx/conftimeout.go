package nginx

import (
	"errors"
	"strconv"
	"time"
)

// parseConfTime reads an nginx config time as ngx_parse_time does: one or
// more numbers, each with a unit (ms, s, m, h, d, w, M, y), space
// allowed between them; a number without a unit is seconds and must be
// the last ("1m30" is 90 s). Months are 30 days and years 365, as for
// nginx.
func parseConfTime(s string) (time.Duration, error) {
	units := []struct {
		name string
		d    time.Duration
	}{
		// ms before m: the longer name first.
		{"ms", time.Millisecond}, {"s", time.Second}, {"m", time.Minute}, {"h", time.Hour},
		{"d", 24 * time.Hour}, {"w", 7 * 24 * time.Hour}, {"M", 30 * 24 * time.Hour}, {"y", 365 * 24 * time.Hour},
	}
	bad := errors.New("invalid time " + strconv.Quote(s))
	var total time.Duration
	i, parts := 0, 0
	for i < len(s) {
		if s[i] == ' ' {
			i++
			continue
		}
		j := i
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		if j == i || j-i > 9 {
			return 0, bad
		}
		n, _ := strconv.ParseInt(s[i:j], 10, 64)
		unit, size := time.Second, 0
		for _, u := range units {
			if len(s)-j >= len(u.name) && s[j:j+len(u.name)] == u.name {
				unit, size = u.d, len(u.name)
				break
			}
		}
		if size == 0 && j < len(s) && s[j] != ' ' {
			return 0, bad
		}
		if size == 0 && trimmedRest(s[j:]) != "" {
			return 0, bad // a bare number only last
		}
		if time.Duration(n) > (maxConfTime-total)/unit {
			return 0, bad // nginx refuses what overflows its counter
		}
		total += time.Duration(n) * unit
		i, parts = j+size, parts+1
	}
	if parts == 0 {
		return 0, bad
	}
	return total, nil
}

// maxConfTime bounds a config time: nginx's ngx_msec_t counts
// milliseconds in 32 bits on the builds that matter (24.8 days).
const maxConfTime = time.Duration(1<<31-1) * time.Millisecond

// trimmedRest is s without its spaces.
func trimmedRest(s string) string {
	for len(s) > 0 && s[0] == ' ' {
		s = s[1:]
	}
	return s
}
