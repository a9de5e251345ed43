package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// formatCauses is, per sample directory under testdata/formats, the cause
// each 5xx in the samples should get: the Cause column of each format's
// table in formats.md for the signal the line carries (see the directory's
// SOURCES.md). Events are keyed by request id, or "STATUS PATH" when the
// format logs none.
var formatCauses = map[string]map[string]string{
	"envoy": {
		"32b36d68-172a-93dc-8cd6-123e9d91df94": "app_unavailable",       // 503, no flag, upstream service time 1010
		"6cab429c-5085-4091-a714-c30ae48fe621": "upstream_reset",        // UC
		"ad6fb381-691e-44d8-a2d5-ff88fc84f8d4": "upstream_refused",      // UF
		"f2bf2de3-4a01-4cef-b9f7-803086033014": "no_healthy_upstream",   // UH
		"5ab981ed-c95f-4730-8732-2fe6fd7f6208": "upstream_refused",      // UF,URX connection_failure
		"622c1d7d-b9bf-4fea-9bc2-28dfe57ae9f0": "upstream_refused",      // UF,URX TLS error (detail tls)
		"3987a4cb-2e0e-4de6-af66-7e3447600c73": "upstream_bad_response", // 502 UPE
		"55fef75a-70e5-449f-ad01-cd34960f465c": "no_healthy_upstream",   // UH no_healthy_upstream
		"6d67d674-2122-4a2d-b172-0be70c674371": "upstream_timeout",      // UT response_timeout
		"2f22e5c6-2387-49b8-96c4-7b3a1678dbb0": "no_healthy_upstream",   // UH
		"44898dba-8d8e-48f4-93f7-23e4b4c592c0": "upstream_refused",      // UF connection_failure
		"c414b70a-7c85-4f78-9c35-2ce2b9131aa3": "proxy_rejected",        // UO circuit breaker
		"8a23b89d-1dcd-4f5c-ae55-58e79d74d8ca": "unknown",               // NC cluster_not_found: configuration (formats.md §4.2)
		"0df38f52-08eb-4b67-a097-ece7427c7238": "app_error",             // 500 URX via_upstream
		"f4f0ecba-03f3-95cc-8e89-c3e54a4c10e1": "app_error",             // 500 URX via_upstream
		"07972a92-50fc-9aa1-9b1e-9c5d6dc97178": "no_healthy_upstream",   // UH
		"1b4e28ba-2fa1-11d2-883f-0016d3cca427": "upstream_reset",        // LR local_reset
		"6fa459ea-ee8a-3ca4-894e-db77e160355e": "upstream_refused",      // DF (detail dns)
		"16fd2706-8baf-433b-82eb-8c7fada847da": "upstream_timeout",      // UT upstream_per_try_timeout
		"886313e1-3b8a-5372-9b90-0c9aee199e5d": "upstream_timeout",      // UF connection_timeout (detail connect)
		"a8098c1a-f86e-11da-bd1a-00112444be1e": "upstream_reset",        // UR remote_reset
		"e902893a-9d22-3c7e-a7b8-d6e313b71d9f": "upstream_refused",      // UpstreamConnectionFailure (long form)
		"34137566-5a0d-4835-878e-bfebcb2e67fd": "no_healthy_upstream",   // JSON UH, upstream_host null
		"3f0c1c8e-5b2a-4c1d-9e8f-0a1b2c3d4e5f": "upstream_timeout",      // JSON UF connection_timeout
		"7d2c9a10-1f3e-4b5a-8c6d-2e3f4a5b6c7d": "upstream_timeout",      // JSON UT
		"9e8d7c6b-5a4f-4e3d-2c1b-0a9f8e7d6c5b": "app_unavailable",       // JSON 503 via_upstream
	},
	"alb": {
		"1-58337364-23a8c76965a2ef7629b185e3": "upstream_bad_response", // 502 LambdaInvalidResponse
		"1-5ed9f3f9-38a5d3c63d696c3c9a19a95e": "no_healthy_upstream",   // 503, target "-": no registered targets
		"1-68755873-3a09c648672bada5548dc5d0": "no_healthy_upstream",   // 503, target "-"
		"1-63b939e2-312611fa7a64f07e63d24099": "upstream_timeout",      // 504 after 10 s: connect
		"1-5f8e7a28-0a1b2c3d4e5f60718293a4b5": "upstream_reset",        // 502, 0.000 0.000 -1
		"1-65937a41-0123456789abcdef01234560": "upstream_refused",      // 502, -1 -1 -1
		"1-65937a41-0123456789abcdef01234567": "upstream_timeout",      // 504 after 60 s: idle timeout
		"1-65937a41-0123456789abcdef01234568": "app_unavailable",       // target_status_code 503
		"1-65937a41-0123456789abcdef01234569": "app_error",             // target_status_code 500
		"1-65937a41-0123456789abcdef0123456b": "app_error",             // 502 LambdaUnhandled: the function threw
		"1-65937a41-0123456789abcdef0123456c": "proxy_rejected",        // 500 AuthTokenEpRequestTimeout
		"1-65937a41-0123456789abcdef0123456d": "proxy_rejected",        // 503 fixed-response: the listener rule's own answer
		"1-65937a41-0123456789abcdef0123456e": "app_error",             // 502 LambdaThrottling: the function's concurrency limit (§5.3)
	},
	"traefik": {
		// Traefik's own 502 carries no cause (formats.md §7.2: unknown
		// unless the DEBUG log says). The common layout has no origin
		// timing, so fivexx does not guess; JSON's OriginDuration is the
		// time of Traefik's failed attempt, not an answer, and formats.md
		// §7.2 keeps that 502 unknown without the DEBUG line too.
		"502 /api":    "unknown",
		"502 /":       "unknown",
		"503 /api":    "no_healthy_upstream", // ServiceURL "-": no available server
		"504 /report": "upstream_timeout",    // own 504 after 30 s: dial timeout
		// The common layout has no OriginStatus, but past the ServiceURL
		// Traefik's own errors are only 502/504/499/500 (§7.2): a
		// forwarded 503 is the backend's.
		"503 /search":                          "app_unavailable",
		"7b1a5f3e-0c2d-4e8f-9a6b-1c2d3e4f5a6b": "unknown",             // JSON own 502, as above
		"0e6c2b9a-3f4d-4a1b-8c7d-6e5f4a3b2c1d": "no_healthy_upstream", // OriginStatus 0, no ServiceURL
		"9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d": "upstream_timeout",    // own 504, OriginDuration 30 s
		"3c2b1a0f-9e8d-4c7b-6a5f-4e3d2c1b0a9f": "app_unavailable",     // OriginStatus 503
		// OriginStatus 500 with the 21-byte body "Internal Server Error":
		// what Traefik itself sends for a transport error (formats.md
		// §7.2), and what an app may send; unknown without Traefik's line.
		"b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e": "unknown",
	},
	"cloudflare": {
		"49336fc9397ab080": "upstream_refused", // 521
		"49336fd0a1b2c3d4": "upstream_reset",   // 520
		"49336fd1a1b2c3d4": "upstream_timeout", // 522
		"49336fd2a1b2c3d4": "upstream_refused", // 523
		"49336fd3a1b2c3d4": "upstream_timeout", // 524
		"49336fd4a1b2c3d4": "upstream_refused", // 525 (detail tls)
		"49336fd5a1b2c3d4": "upstream_refused", // 526 (detail tls)
		"49336fd6a1b2c3d4": "unknown",          // 527
		"49336fd7a1b2c3d4": "upstream_refused", // 530 (detail dns)
		"49336fd9a1b2c3d4": "app_error",        // origin 500
		"84a1b2c3d4e5f607": "upstream_timeout", // 522
		"84a1b2c3d4e5f608": "app_unavailable",  // origin 503
		// Cloudflare's own 502 (origin status 0) carries no cause, and
		// fivexx does not guess one.
		"49336fd8a1b2c3d4": "unknown",
	},
	// Real nginx 1.22.1 with error_page to a location that proxies (its
	// SOURCES.md): the " : " group after the request's own attempts is
	// the error page's, not the request's answer.
	"nginx-errorpage": {
		"rid-02": "upstream_refused",    // 18804, 18805 refused, then the error page's 502
		"rid-03": "app_unavailable",     // the app's 503, intercepted
		"rid-04": "app_error",           // the app's 500, intercepted
		"rid-05": "upstream_timeout",    // read timeout, then the error page
		"rid-06": "upstream_refused",    // 18806 refused
		"rid-07": "upstream_refused",    // 18806 refused
		"rid-08": "no_healthy_upstream", // no live upstreams; the error page's backend refused too
		"rid-09": "no_healthy_upstream", // error_page without "=": the page's 200, the client's 502
		"rid-10": "no_healthy_upstream", // static error page: one group
		"rid-11": "no_healthy_upstream", // X-Accel-Redirect (200) to a dead upstream, then its error page
	},
	"ingress-nginx-errorpage": {
		"rid-02": "upstream_refused",
		"rid-03": "app_unavailable",
		"rid-04": "app_error",
		"rid-05": "upstream_timeout",
		"rid-06": "upstream_refused",
		"rid-07": "upstream_refused",
		"rid-08": "no_healthy_upstream",
		"rid-09": "no_healthy_upstream",
		"rid-10": "no_healthy_upstream",
		"rid-11": "no_healthy_upstream",
	},
	"ingress-nginx": {
		// Three nginx-made 502s (upstream_response_length 0 each):
		// without the error log only the last attempt's 0.000 s says
		// refused rather than reset (§1.6), at low confidence.
		"cc30e5d47f23e3a117181ff94479bc6f": "upstream_refused",
		"a7c98d98ac870f64981a997cd2f373a1": "upstream_timeout",    // 504, 504, 504 after 5 s each
		"2f1c0e7d9a8b4c3d2e1f0a9b8c7d6e5f": "no_healthy_upstream", // service without endpoints: all fields "-"
	},
}

// formatInputs returns the *.log and *.gz files of a sample directory.
func formatInputs(t *testing.T, dir string) []string {
	t.Helper()
	var files []string
	for _, pat := range []string{"*.log", "*.gz"} {
		m, err := filepath.Glob(filepath.Join(dir, pat))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	sort.Strings(files)
	if len(files) == 0 {
		t.Fatalf("no *.log or *.gz in %s", dir)
	}
	return files
}

// TestFormatsGolden runs report --events over each proxy format's samples,
// compares the events with testdata/formats/<name>/events.golden (-update
// rewrites them) and checks every 5xx got the cause its signal means.
func TestFormatsGolden(t *testing.T) {
	dirs, err := filepath.Glob("../../testdata/formats/*")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, dir := range dirs {
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			continue
		}
		name := filepath.Base(dir)
		seen[name] = true
		t.Run(name, func(t *testing.T) {
			var out, errb bytes.Buffer
			args := append([]string{"report", "--events"}, formatInputs(t, dir)...)
			if code := run(args, nil, &out, &errb); code != 0 {
				t.Fatalf("report exited %d: %s", code, errb.String())
			}
			goldenPath := filepath.Join(dir, "events.golden")
			if updating() {
				if err := os.WriteFile(goldenPath, out.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(goldenPath)
			if err != nil {
				t.Fatalf("%v (run go test ./cmd/fivexx -run TestFormatsGolden -update)", err)
			}
			if !bytes.Equal(want, out.Bytes()) {
				t.Errorf("%s differs; run go test ./cmd/fivexx -run TestFormatsGolden -update and read the diff\n--- got:\n%s", goldenPath, out.String())
			}
			checkFormatCauses(t, name, out.Bytes())
		})
	}
	for name := range formatCauses {
		if !seen[name] {
			t.Errorf("no sample directory testdata/formats/%s", name)
		}
	}
}

// checkFormatCauses compares each event's cause with formatCauses.
func checkFormatCauses(t *testing.T, name string, events []byte) {
	t.Helper()
	want := formatCauses[name]
	got := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(events))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var ev struct {
			Status    int    `json:"status"`
			Path      string `json:"path"`
			RequestID string `json:"request_id"`
			Cause     string `json:"cause"`
		}
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
			t.Fatalf("bad event %s: %v", sc.Text(), err)
		}
		key := ev.RequestID
		if key == "" {
			key = fmt.Sprintf("%d %s", ev.Status, ev.Path)
		}
		if prev, dup := got[key]; dup && prev != ev.Cause {
			t.Errorf("%s: two events for %s with causes %s and %s", name, key, prev, ev.Cause)
		}
		got[key] = ev.Cause
	}
	var problems []string
	for key, cause := range want {
		switch have, ok := got[key]; {
		case !ok:
			problems = append(problems, fmt.Sprintf("%s: no event (want %s)", key, cause))
		case have != cause:
			problems = append(problems, fmt.Sprintf("%s: cause %s, want %s", key, have, cause))
		}
	}
	for key, cause := range got {
		if _, ok := want[key]; !ok {
			problems = append(problems, fmt.Sprintf("%s: unexpected event with cause %s", key, cause))
		}
	}
	sort.Strings(problems)
	if len(problems) > 0 {
		t.Errorf("%s causes:\n%s", name, strings.Join(problems, "\n"))
	}
}
