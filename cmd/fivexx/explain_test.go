package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"fivexx/classify"
	"fivexx/sources"
	"fivexx/sources/cloudflare"
)

// TestExplainOutput pins what explain prints for each topic it knows (all
// of them, formats, each code) and for one it does not: golden files in
// testdata/TestExplainOutput (go test ./cmd/fivexx -run ExplainOutput
// -update, then read the diff).
func TestExplainOutput(t *testing.T) {
	topics := [][]string{{}, {"formats"}}
	for _, g := range append(classify.ExplainCodes(), classify.CloudflareCodes()...) {
		topics = append(topics, []string{strconv.Itoa(g.Code)})
	}
	for _, args := range topics {
		name := strings.Join(args, "-")
		if name == "" {
			name = "all"
		}
		t.Run(name, func(t *testing.T) {
			code, out, stderr := runCLI(append([]string{"explain"}, args...)...)
			if code != 0 || stderr != "" {
				t.Fatalf("exit %d, stderr %q", code, stderr)
			}
			golden(t, "TestExplainOutput/"+name, out)
		})
	}
	for _, args := range [][]string{{"418"}, {"causes"}, {"502", "504"}, {"formats", "nginx"}} {
		name := "unknown-" + strings.Join(args, "-")
		t.Run(name, func(t *testing.T) {
			code, out, stderr := runCLI(append([]string{"explain"}, args...)...)
			if code != 2 || out != "" {
				t.Fatalf("exit %d, stdout %q; want 2 and nothing", code, out)
			}
			golden(t, "TestExplainOutput/"+name, stderr)
		})
	}
}

// TestExplainNamesEveryCause: explain lists the cause vocabulary, each
// cause with the summary the report uses, and the vocabulary is the one
// report --json and --events write (a cause added or dropped shows here).
func TestExplainNamesEveryCause(t *testing.T) {
	vocabulary := []string{"upstream_refused", "upstream_reset", "upstream_bad_response", "upstream_timeout",
		"no_healthy_upstream", "proxy_rejected", "app_unavailable", "app_error", "unknown"}
	var all []string
	for _, c := range classify.AllCauses {
		all = append(all, string(c))
	}
	if strings.Join(all, " ") != strings.Join(vocabulary, " ") {
		t.Fatalf("classify.AllCauses is %v; the vocabulary is %v", all, vocabulary)
	}
	_, out, _ := runCLI("explain")
	_, causes, ok := strings.Cut(out, "Causes fivexx reports:\n")
	if !ok {
		t.Fatal("explain has no list of causes")
	}
	for _, c := range classify.AllCauses {
		line := regexp.MustCompile(`(?m)^  ` + string(c) + ` +(.*)$`).FindStringSubmatch(causes)
		if line == nil || line[1] != c.Summary() {
			t.Errorf("explain's line for %s is %q, want its summary %q", c, line, c.Summary())
		}
	}
}

// TestExplainListsEveryFormat: explain formats lists every registered
// format with its role, and says nothing of a format that is not one.
func TestExplainListsEveryFormat(t *testing.T) {
	_, out, _ := runCLI("explain", "formats")
	listed := map[string]string{}
	for _, m := range regexp.MustCompile(`(?m)^  (\S+) +(proxy|proxy-errors|app)$`).FindAllStringSubmatch(out, -1) {
		listed[m[1]] = m[2]
	}
	for _, f := range sources.Formats() {
		if role, ok := listed[f.Name]; !ok || role != f.Role.String() {
			t.Errorf("format %s (%s) listed as %q", f.Name, f.Role, role)
		}
		delete(listed, f.Name)
	}
	for name := range listed {
		t.Errorf("explain formats lists %s, which is no registered format", name)
	}
	for name := range formatSignals {
		if _, ok := sources.LookupFormat(name); !ok {
			t.Errorf("signals for %s, which is no registered format", name)
		}
	}
}

// TestExplainStartupLinesAsItSays: the start-up lines explain formats says
// are left out are: each proxy's recorded stream in testdata/startup is
// read as the format it names, its start-up lines alone too (nginx's
// notices alone as its error log), and nginx's stream is read for its
// access lines, its error lines as the error log's (the entrypoint's lines
// counted as start-up lines skipped, not unparsed: they were the stream's
// 10 unparsed lines).
func TestExplainStartupLinesAsItSays(t *testing.T) {
	_, text, _ := runCLI("explain", "formats")
	for _, says := range []string{"Caddy's default logger", "the\n    official nginx image's entrypoint lines and nginx's notices",
		"HAProxy's stderr lines", "(nginx's notices alone: its error log)", "the access lines decide the\n    format"} {
		if !strings.Contains(text, says) {
			t.Fatalf("explain formats no longer says %q: change this test with it", says)
		}
	}
	tests := []struct {
		file                    string
		startup                 int // lines before the first request (0: all)
		format, alone           string
		parsed, unpars, skipped int // of the whole stream
	}{
		{"caddy-stderr.log", 0, "caddy", "caddy", 12, 0, 0},
		{"nginx-1.22.1-docker-entrypoint.log", 17, "nginx-combined", "nginx-combined", 13, 0, 10},
		{"haproxy-2.6.12-W-db.log", 2, "haproxy", "haproxy", 4, 0, 0},
		{"haproxy-2.6.12-W-db-warning.log", 8, "haproxy", "haproxy", 13, 0, 0},
		{"haproxy-2.2-docker.log", 8, "haproxy", "haproxy", 10, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join("..", "..", "testdata", "startup", tt.file)
			in := reportInput(t, path)
			if in.Format != tt.format || in.Parsed != tt.parsed || in.Unparsed != tt.unpars || in.Startup != tt.skipped {
				t.Errorf("stream: %+v; want %s, %d parsed, %d unparsed, %d start-up lines", in, tt.format, tt.parsed, tt.unpars, tt.skipped)
			}
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.SplitAfter(string(b), "\n")
			if tt.startup == 0 {
				tt.startup = len(lines)
			}
			head := filepath.Join(t.TempDir(), "head.log")
			if err := os.WriteFile(head, []byte(strings.Join(lines[:tt.startup], "")), 0o644); err != nil {
				t.Fatal(err)
			}
			if in := reportInput(t, head); in.Format != tt.alone {
				t.Errorf("start-up lines alone: %+v; want %s", in, tt.alone)
			}
		})
	}
	t.Run("nginx's notices alone", func(t *testing.T) {
		b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "startup", "nginx-1.22.1-docker-entrypoint.log"))
		if err != nil {
			t.Fatal(err)
		}
		notices := filepath.Join(t.TempDir(), "error.log")
		if err := os.WriteFile(notices, []byte(strings.Join(strings.SplitAfter(string(b), "\n")[10:17], "")), 0o644); err != nil {
			t.Fatal(err)
		}
		if in := reportInput(t, notices); in.Format != "nginx-error" || in.Role != "proxy-errors" {
			t.Errorf("%+v; want nginx-error", in)
		}
	})
}

// reportedInput is one of report --json's inputs.
type reportedInput struct {
	Format, Role              string
	Parsed, Unparsed, Startup int
}

// reportInput runs report --json on one input and returns what it says of it.
func reportInput(t *testing.T, path string) reportedInput {
	t.Helper()
	code, out, stderr := runCLI("report", "--json", path)
	if code != 0 {
		t.Fatalf("report %s: exit %d: %s", path, code, stderr)
	}
	var r struct{ Inputs []reportedInput }
	if err := json.Unmarshal([]byte(out), &r); err != nil || len(r.Inputs) != 1 {
		t.Fatalf("report --json %s: %v, %d inputs", path, err, len(r.Inputs))
	}
	return r.Inputs[0]
}

// TestCloudflare524TimeoutAgrees: every text that names how long
// Cloudflare waits before its 524 says the one default the cloudflare
// package holds (formats.md §8.2): explain 504, explain formats and the
// detail a parsed 524 carries into the events. explain 504 said
// "100–120 s" while the other two said 120 s.
func TestCloudflare524TimeoutAgrees(t *testing.T) {
	_, explained, _ := runCLI("explain", "504")
	_, formats, _ := runCLI("explain", "formats")
	line := `{"RayID":"84a1b2c3d4e5f609","EdgeStartTimestamp":"2024-01-02T03:04:05Z","EdgeEndTimestamp":"2024-01-02T03:06:05Z","EdgeResponseStatus":524,"OriginResponseStatus":0,"OriginIP":"203.0.113.10","ClientRequestURI":"/slow"}`
	rec, err := cloudflare.NewParser().Parse(line)
	if err != nil {
		t.Fatal(err)
	}
	detail := rec.(*sources.ProxyEntry).Detail
	// The clause about 524 in the explain texts: up to the next ";" or
	// ")", or the next code (", 525/526"); the detail is all about it.
	clauseEnd := regexp.MustCompile(`[;)]|, 5`)
	clause := func(s string) string {
		i := strings.Index(s, "524")
		if i < 0 {
			return ""
		}
		s = s[i:]
		if j := clauseEnd.FindStringIndex(s); j != nil {
			s = s[:j[0]]
		}
		return s
	}
	seconds := regexp.MustCompile(`[0-9][0-9,.–-]* s\b`)
	for name, text := range map[string]string{
		"explain 504":     clause(explained),
		"explain formats": clause(formats),
		"524 detail":      detail,
	} {
		got := seconds.FindAllString(text, -1)
		if len(got) != 1 || got[0] != cloudflare.ProxyReadTimeoutText {
			t.Errorf("%s: %q names %q; want the one default %q", name, text, got, cloudflare.ProxyReadTimeoutText)
		}
	}
}

// Cloudflare's own 52x, which reports show, are explained: "explain 521"
// was refused (QA s34 L6). Each guide names the cause the report gives a
// Logpush line of that code (testdata/formats/cloudflare).
func TestExplainCloudflareCodes(t *testing.T) {
	code, out, stderr := runCLI("report", "--events", filepath.Join("..", "..", "testdata", "formats", "cloudflare", "http_requests.log"))
	if code != 0 {
		t.Fatalf("report: exit %d, stderr %q", code, stderr)
	}
	causes := map[int]string{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var ev struct {
			Status int    `json:"status"`
			Cause  string `json:"cause"`
		}
		if err := json.Unmarshal([]byte(line), &ev); err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		if ev.Status >= 520 && ev.Status <= 530 {
			causes[ev.Status] = ev.Cause
		}
	}
	if len(causes) < 8 {
		t.Fatalf("the report gave causes for %d Cloudflare codes, want 8 or more: %v", len(causes), causes)
	}
	for st, cause := range causes {
		code, out, stderr := runCLI("explain", strconv.Itoa(st))
		if code != 0 || stderr != "" {
			t.Errorf("explain %d: exit %d, stderr %q", st, code, stderr)
			continue
		}
		if !strings.Contains(out, "Cause: "+cause) || !strings.Contains(out, "(Cloudflare)") {
			t.Errorf("explain %d does not say the report's cause %s:\n%s", st, cause, out)
		}
	}
}
