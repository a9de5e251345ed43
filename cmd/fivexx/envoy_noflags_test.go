package main

import (
	"strings"
	"testing"
)

// TestEnvoyDetailsWithoutFlagsAreEnvoysWord: a json_format that logs
// %RESPONSE_CODE_DETAILS% and leaves %RESPONSE_FLAGS% out. The details are
// Envoy's own word on who set the status (formats.md §4.3, §4.4), as its
// flags are: its via_upstream 503, its connection_failure 503 and its
// no_healthy_upstream 503 were medium, where the same lines with "-" or
// UF were high. A line with neither stays medium on its service time
// alone, and a log with neither field was given no advice; it is told to
// add them (it had the flags field counted as logged).
func TestEnvoyDetailsWithoutFlagsAreEnvoysWord(t *testing.T) {
	lineOf := func(path, rest string) string {
		return `{"start_time":"2025-08-21T03:23:19.513Z","response_code":503,"method":"GET","path":"` + path + `","upstream_cluster":"c1","duration":3,"x-request-id":"r` + path[1:] + `"` + rest + `}`
	}
	withDetails := []string{
		lineOf("/a", `,"response_code_details":"via_upstream","upstream_host":"10.0.0.5:8080"`),
		lineOf("/b", `,"response_code_details":"via_upstream","response_flags":"-","upstream_host":"10.0.0.5:8080"`),
		lineOf("/c", `,"response_code_details":"upstream_reset_before_response_started{connection_failure}","upstream_host":"10.0.0.5:8080"`),
		lineOf("/d", `,"response_code_details":"upstream_reset_before_response_started{connection_failure}","response_flags":"UF","upstream_host":"10.0.0.5:8080"`),
		lineOf("/i", `,"response_code_details":"no_healthy_upstream","upstream_host":null`),
	}
	neither := []string{
		lineOf("/e", `,"upstream_host":"10.0.0.5:8080","upstream_service_time":"2"`),
	}
	const advice = "the access log has no %RESPONSE_FLAGS% nor %RESPONSE_CODE_DETAILS%"
	for _, tc := range []struct {
		name   string
		lines  []string
		want   map[string]string // path → cause confidence
		advice bool
	}{
		{"details, with and without flags", withDetails, map[string]string{
			"/a": "app_unavailable high", "/b": "app_unavailable high",
			"/c": "upstream_refused high", "/d": "upstream_refused high",
			"/i": "no_healthy_upstream high",
		}, false},
		{"neither flags nor details", neither, map[string]string{"/e": "app_unavailable medium"}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			log := writeFiles(t, [2]string{"envoy.json", lines(tc.lines...)})[0]
			evs, _ := reportEvents(t, log)
			got := map[string]string{}
			for _, ev := range evs {
				got[ev.Path] = ev.Cause + " " + ev.Confidence
			}
			for path, want := range tc.want {
				if got[path] != want {
					t.Errorf("%s: %q, want %q", path, got[path], want)
				}
			}
			_, out, _ := runCLI("report", log)
			if strings.Contains(out, advice) != tc.advice {
				t.Errorf("advice %q said: %v, want %v\n%s", advice, !tc.advice, tc.advice, out)
			}
		})
	}
}
