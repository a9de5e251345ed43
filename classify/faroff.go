package classify

import (
	"fmt"
	"time"
)

// FarOff counts the requests stamped far from the log clock: more than
// clockJump ahead of it and not confirmed (a host's clock set to 2099), or
// more than the longest window behind it (a line from yesterday). They
// count in the totals, and a 5xx among them gets its verdict and is listed
// with its upstream's 5xx, but no window's counts or rates can hold them:
// live, a 503 stamped 73 years ahead came and went with nothing on screen.
type FarOff struct {
	Requests, Fivexx int64
	// Last is the time of the last of them to come.
	Last time.Time
}

// add counts a request of time t and status status.
func (f *FarOff) add(t time.Time, status int) {
	f.Requests++
	if status >= 500 && status <= 599 {
		f.Fivexx++
	}
	f.Last = t
}

// Summary says in one line what came far from the clock and where it is
// counted, or "" when nothing did.
func (f FarOff) Summary() string {
	if f.Requests == 0 {
		return ""
	}
	where := "in no window's counts or rates"
	if f.Fivexx > 0 {
		where += fmt.Sprintf("; %d 5xx of them judged and listed under their upstream", f.Fivexx)
	}
	what := "requests"
	if f.Requests == 1 {
		what = "request"
	}
	return fmt.Sprintf("%d %s stamped over %dm from the log clock (the last at %s): %s",
		f.Requests, what, int(maxWindow/time.Minute), f.Last.Format("2006-01-02 15:04:05"), where)
}

// confirmed takes back a request far ahead of the clock, of status status,
// which the clock then reached: it is in the series now.
func (f *FarOff) confirmed(status int) {
	f.Requests--
	if status >= 500 && status <= 599 {
		f.Fivexx--
	}
}
