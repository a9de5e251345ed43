package classify

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// rateTracker watches 5xx by status and upstream per second and raises an
// alert when the last 30 s hold at least 10 of them and at least 5 times the
// rate of the 5 minutes before.
type rateTracker struct {
	secs map[rateKey]*rateRing
}

type rateKey struct {
	status   int
	upstream string
}

const (
	alertSpan     = 30 * time.Second
	alertBaseline = 5 * time.Minute
	alertMin      = 10
	alertFactor   = 5.0
	ringSecs      = int((alertSpan + alertBaseline) / time.Second)
	spanSecs      = int(alertSpan / time.Second)
)

// rateRing holds a status and upstream's 5xx by second over the span and
// the baseline, and their causes by second over the span alone: the alert
// names the dominant cause of the 5xx it counts. Before, the causes were
// counted over the whole run, so 12 refused 502s in the last 30 s after
// 30 resets 10 minutes before read "502 ×12 … — upstream_reset" (real
// nginx, testdata/reset-then-refused). A second's slot is taken only by
// a later second: a line older than the one its slot holds is outside
// any span (and baseline) the slot can still be read in.
type rateRing struct {
	sec    [ringSecs]int64
	n      [ringSecs]int64
	att    [ringSecs]int64 // of n, earlier attempts of requests retried elsewhere
	csec   [spanSecs]int64
	causes [spanSecs][9]int32 // by causeIndex, as counters.causes
	last   time.Time
}

// add counts v under its status and upstream, and, for a retried
// request, under each server it tried before (every $upstream_addr
// element but the last, as stats.failedAttempts, or its error lines'
// servers where the access line names none: earlierTries) with the
// cause of that attempt: the server that refused every first attempt,
// the retry failing elsewhere, raised no alert, which named only the
// last servers (QA s34 H1). Those are counted apart too (attempt): the
// alert says how many of its count they are, as "502 ×443 … on
// 10.0.1.13:8080" beside the table's 56 502s there read as 443 of its
// own (QA s35 M2).
func (r *rateTracker) add(v *Verdict) {
	r.addOn(v, v.Entry.Upstream, v.Cause, false)
	if len(v.Entry.UpstreamAddr) > 1 || v.errTries {
		for _, a := range earlierTries(v) {
			if a != "" && a != "-" && a != v.Entry.Upstream {
				r.addOn(v, a, attemptCauseOn(v, a), true)
			}
		}
	}
}

// addOn counts v's 5xx under upstream with cause; attempt says that it is
// an earlier attempt's, retried on another server.
func (r *rateTracker) addOn(v *Verdict, upstream string, cause Cause, attempt bool) {
	if r.secs == nil {
		r.secs = map[rateKey]*rateRing{}
	}
	k := rateKey{v.Entry.Status, upstream}
	g := r.secs[k]
	if g == nil {
		if len(r.secs) > 2000 {
			return
		}
		g = &rateRing{}
		// A clone: an earlier attempt's server is a slice of the log
		// line (the entry's own Upstream is a shared copy), which a
		// freed entry's buffer would write over.
		k.upstream = strings.Clone(k.upstream)
		r.secs[k] = g
	}
	s := v.Entry.Time.Unix()
	i := int(uint64(s) % uint64(ringSecs))
	if g.sec[i] > s && g.n[i] > 0 {
		return
	}
	if g.sec[i] != s {
		g.sec[i], g.n[i], g.att[i] = s, 0, 0
	}
	g.n[i]++
	if attempt {
		g.att[i]++
	}
	if v.Entry.Time.After(g.last) {
		g.last = v.Entry.Time
	}
	j := i % spanSecs // ringSecs is a multiple of spanSecs
	switch {
	case g.csec[j] == s:
	case g.csec[j] > s && g.causes[j] != [9]int32{}:
		return // a later second holds the slot: s is outside its span
	default:
		g.csec[j], g.causes[j] = s, [9]int32{}
	}
	g.causes[j][causeIndex(cause)]++
}

func (r *rateTracker) alerts(now time.Time) []Alert {
	var out []Alert
	end := now.Unix()
	spanFrom := end - int64(alertSpan/time.Second)
	baseFrom := spanFrom - int64(alertBaseline/time.Second)
	for k, g := range r.secs {
		var recent, base, attempts int64
		var causes [9]int64
		for i := range g.sec {
			s := g.sec[i]
			switch {
			case s > spanFrom && s <= end:
				recent += g.n[i]
				attempts += g.att[i]
			case s > baseFrom && s <= spanFrom:
				base += g.n[i]
			}
		}
		if recent < alertMin {
			continue
		}
		baseRate := float64(base) / alertBaseline.Seconds()
		rate := float64(recent) / alertSpan.Seconds()
		factor := 0.0
		if baseRate > 0 {
			factor = rate / baseRate
			if factor < alertFactor {
				continue
			}
		}
		for j := range g.csec {
			if s := g.csec[j]; s > spanFrom && s <= end {
				for ci, n := range g.causes[j] {
					causes[ci] += int64(n)
				}
			}
		}
		c := dominantOf(causes)
		on := ""
		if k.upstream != "" {
			on = " on " + k.upstream
		}
		if attempts > 0 {
			on += AttemptsText(attempts, recent)
		}
		out = append(out, Alert{
			Time: g.last, Upstream: k.upstream, Status: k.status, Cause: c, Count: recent, Attempts: attempts, Span: alertSpan, Factor: factor,
			Text: fmt.Sprintf("%d ×%d in the last %s%s — %s", k.status, recent, fmtSpan(alertSpan), on, c),
		})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Text < out[j].Text
	})
	if len(out) > 5 {
		out = out[:5]
	}
	return out
}

// AttemptsText says how many of an alert's count of n are failed
// attempts retried elsewhere (Alert.Attempts): " (387 of them failed
// attempts retried elsewhere)", " (all failed attempts retried
// elsewhere)".
func AttemptsText(attempts, n int64) string {
	if attempts == n {
		return " (all failed attempts retried elsewhere)"
	}
	return fmt.Sprintf(" (%d of them failed attempts retried elsewhere)", attempts)
}

// dominantOf is the cause counted most in causes (by causeIndex), the
// first of AllCauses on a tie, as dominant.
func dominantOf(causes [9]int64) Cause {
	var best Cause
	var n int64
	for i, c := range AllCauses {
		if causes[i] > n {
			best, n = c, causes[i]
		}
	}
	return best
}

func fmtSpan(d time.Duration) string {
	return fmt.Sprintf("%d s", int(d/time.Second))
}
