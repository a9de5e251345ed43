package caddy

import (
	"strings"

	"fivexx/sources"
)

// reasonFromError maps a Go error text that Caddy logged for a failed
// upstream round trip to a reason (sources.GoErrorReason).
func reasonFromError(text string) sources.Reason { return sources.GoErrorReason(text) }

// streamAbortReason classifies the error of "aborting with incomplete
// response": the response was already under way, so an upstream-side
// failure is ReasonAfterHeaders and a client-side one ("writing: ...",
// "context canceled") is ReasonClientAbort.
func streamAbortReason(text string) sources.Reason {
	switch {
	case strings.HasPrefix(text, "reading"):
		return sources.ReasonAfterHeaders
	case strings.HasPrefix(text, "writing"), strings.HasPrefix(text, "write "),
		strings.Contains(text, "context canceled"), strings.Contains(text, "stream closed"),
		strings.Contains(text, "client disconnected"):
		return sources.ReasonClientAbort
	}
	return sources.ReasonAfterHeaders
}

// addrFromError returns the upstream a Go network error names
// (sources.GoErrorAddr).
func addrFromError(text string, r sources.Reason) string { return sources.GoErrorAddr(text, r) }
