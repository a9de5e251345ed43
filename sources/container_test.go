package sources_test

import (
	"encoding/json"
	"testing"

	"fivexx/sources"
)

// cri wraps a line as containerd writes it to /var/log/containers.
func cri(tag, line string) string { return "2024-01-02T03:04:05.123456789Z stdout " + tag + " " + line }

// docker wraps a line as Docker's json-file driver writes it.
func docker(line string) string {
	b, _ := json.Marshal(map[string]string{"log": line, "stream": "stdout", "time": "2024-01-02T03:04:05.1Z"})
	return string(b)
}

// TestContainerWrappedLines: lines read from a node's container logs are
// the proxy's or app's lines inside the runtime's wrapper, which is
// stripped (they were read as app-text or app-json: 0 requests). A line
// the runtime cut in pieces is joined again.
func TestContainerWrappedLines(t *testing.T) {
	long := istioRequests[0]
	tests := []struct {
		name    string
		lines   []string
		format  string
		wrapper string
		raws    []string // the records' Raw, in order
	}{
		{
			name:    "cri envoy",
			lines:   []string{cri("F", istioRequests[0]), cri("F", istioRequests[1]), cri("F", istioRequests[2])},
			format:  "envoy",
			wrapper: "cri",
			raws:    istioRequests,
		},
		{
			name:    "cri partial lines joined",
			lines:   []string{cri("P", long[:40]), cri("P", long[40:90]), cri("F", long[90:]), cri("F", istioRequests[1]), cri("F", istioRequests[2])},
			format:  "envoy",
			wrapper: "cri",
			raws:    istioRequests,
		},
		{
			name:    "docker json-file envoy",
			lines:   []string{docker(long[:50]), docker(long[50:] + "\n"), docker(istioRequests[1] + "\n"), docker(istioRequests[2] + "\n")},
			format:  "envoy",
			wrapper: "docker",
			raws:    istioRequests,
		},
		{
			name:    "cri app json",
			lines:   []string{cri("F", appJSONLine), cri("F", appJSONLine)},
			format:  "app-json",
			wrapper: "cri",
			raws:    []string{appJSONLine, appJSONLine},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, items := readFile(t, tt.lines)
			f := in.Format()
			if f.Name != tt.format || f.Wrapper != tt.wrapper {
				t.Fatalf("format %q in %q (%s), want %q in %q", f.Name, f.Wrapper, in.Detected(), tt.format, tt.wrapper)
			}
			var raws []string
			for _, it := range items {
				raws = append(raws, it.Rec.RawLine())
			}
			if len(raws) != len(tt.raws) {
				t.Fatalf("%d records, want %d: %q", len(raws), len(tt.raws), raws)
			}
			for i := range raws {
				if raws[i] != tt.raws[i] {
					t.Errorf("record %d: Raw %q, want %q", i, raws[i], tt.raws[i])
				}
			}
			if c := in.Counters(); c.Lines != int64(len(tt.lines)) || c.Unparsed != 0 {
				t.Errorf("counters %+v: want %d lines, none unparsed", c, len(tt.lines))
			}
		})
	}
}

// TestContainerWrappedForcedFormat: --format (or --proxy with --format)
// strips the wrapper too.
func TestContainerWrappedForcedFormat(t *testing.T) {
	lines := []string{cri("F", istioRequests[0]), cri("F", istioRequests[1])}
	f, how, err := sources.Resolve(sources.Spec{Path: "x", Role: sources.RoleProxy, Prefer: map[sources.Role]string{sources.RoleProxy: "envoy"}}, lines)
	if err != nil {
		t.Fatal(err)
	}
	p, err := f.New(sources.ParserOptions{})
	if err != nil {
		t.Fatal(err)
	}
	rec, err := p.Parse(lines[0])
	if err != nil || rec.RawLine() != istioRequests[0] {
		t.Fatalf("%s (%s): %v, %v", f.Name, how, rec, err)
	}
}
