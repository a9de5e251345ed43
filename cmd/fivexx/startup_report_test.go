package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The official nginx image's container output opens with its entrypoint's
// lines ("/docker-entrypoint.sh: Configuration complete; ready for start
// up"), which detection leaves out as the proxy's start-up lines; the
// report listed them as unparsed lines all the same ("23 lines 10
// unparsed", then five of them under "Unparsed lines"). They are counted
// as start-up lines skipped, text and JSON; a line no format reads is
// still counted and shown as unparsed.
func TestReportCountsStartupLinesNotUnparsed(t *testing.T) {
	recorded, err := os.ReadFile("../../testdata/startup/nginx-1.22.1-docker-entrypoint.log")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(strings.TrimSuffix(string(recorded), "\n"), "\n")
	entrypoint, notices, requests := lines[:10], lines[10:17], lines[17:]
	join := func(parts ...[]string) string {
		var b strings.Builder
		for _, p := range parts {
			for _, l := range p {
				b.WriteString(strings.TrimSuffix(l, "\n") + "\n")
			}
		}
		return b.String()
	}
	dockerJSON := func(text string) string {
		var b strings.Builder
		for _, l := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
			// Each with its newline: json-file's record without one is
			// the start of a line cut in pieces.
			j, _ := json.Marshal(map[string]string{"log": l + "\n", "stream": "stdout", "time": "2026-11-21T18:11:06.123456789Z"})
			b.Write(append(j, '\n'))
		}
		return b.String()
	}
	const junk = "this line is no format's at all"
	traefik := strings.Repeat(`time="2024-01-02T03:03:51Z" level=info msg="Configuration loaded from flags."`+"\n", 12) +
		`10.0.0.9 - - [02/Jan/2024:03:04:06 +0000] "GET /other HTTP/1.1" 502 11 "-" "curl/8.4.0" 44 "other@docker" "http://172.18.0.7:8080" 3ms` + "\n" +
		`10.0.0.9 - - [02/Jan/2024:03:04:07 +0000] "GET /ok HTTP/1.1" 200 11 "-" "curl/8.4.0" 45 "other@docker" "http://172.18.0.7:8080" 3ms` + "\n" +
		`10.0.0.9 - - [02/Jan/2024:03:04:08 +0000] "GET /ok HTTP/1.1" 200 11 "-" "curl/8.4.0" 46 "other@docker" "http://172.18.0.7:8080" 3ms` + "\n"

	tests := []struct {
		name     string
		content  string
		stdin    bool   // read as "-" rather than by its path
		format   string // the format the report names
		lines    int64
		parsed   int64
		unparsed int64
		startup  int64
		samples  []string // the unparsed lines the text report shows
	}{
		{"nginx image, as docker logs gives it", string(recorded), false, "nginx-combined", 23, 13, 0, 10, nil},
		{"nginx image on standard input", string(recorded), true, "nginx-combined", 23, 13, 0, 10, nil},
		{"nginx image, docker json-file", dockerJSON(string(recorded)), false, "nginx-combined", 23, 13, 0, 10, nil},
		// docker logs of a container restarted once: the entrypoint
		// speaks again among the requests.
		{"nginx image restarted", join(entrypoint, notices, requests, entrypoint, notices, requests), false, "nginx-combined", 46, 26, 0, 20, nil},
		{"a junk line among the requests", join(entrypoint, notices, requests[:2], []string{junk}, requests[2:]), false, "nginx-combined", 24, 13, 1, 10, []string{junk}},
		{"a junk line among the entrypoint's", join(entrypoint[:5], []string{junk}, entrypoint[5:], notices, requests), false, "nginx-combined", 24, 13, 1, 10, []string{junk}},
		{"traefik's own lines", traefik, false, "traefik", 15, 3, 0, 12, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "web.log")
			if err := os.WriteFile(path, []byte(tt.content), 0o644); err != nil {
				t.Fatal(err)
			}
			arg, label := path, path
			if tt.stdin {
				f, err := os.Open(path)
				if err != nil {
					t.Fatal(err)
				}
				saved := os.Stdin
				t.Cleanup(func() { os.Stdin = saved; f.Close() })
				arg, label = "-", "stdin"
			}
			read := func(args ...string) string {
				if tt.stdin {
					f, _ := os.Open(path)
					defer f.Close()
					os.Stdin = f
				}
				code, out, stderr := runCLI(append(args, arg)...)
				if code != 0 || stderr != "" {
					t.Fatalf("%q: exit %d, stderr %q", args, code, stderr)
				}
				return out
			}

			var m struct {
				Inputs []struct {
					Path, Format                     string
					Lines, Parsed, Unparsed, Startup int64
				}
			}
			if err := json.Unmarshal([]byte(read("report", "--json")), &m); err != nil {
				t.Fatal(err)
			}
			if len(m.Inputs) != 1 {
				t.Fatalf("inputs %+v", m.Inputs)
			}
			in := m.Inputs[0]
			if in.Format != tt.format || in.Lines != tt.lines || in.Parsed != tt.parsed || in.Unparsed != tt.unparsed || in.Startup != tt.startup {
				t.Errorf("report --json: %+v; want format %s, %d lines, %d parsed, %d unparsed, %d startup",
					in, tt.format, tt.lines, tt.parsed, tt.unparsed, tt.startup)
			}

			text := read("report")
			row := ""
			for _, l := range strings.Split(text, "\n") {
				if strings.HasPrefix(l, "  "+label+"  ") {
					row = strings.Join(strings.Fields(l), " ")
				}
			}
			wantRow := label + " proxy " + tt.format + " " + itoa(tt.lines) + " lines " + itoa(tt.unparsed) + " unparsed"
			if tt.startup > 0 {
				wantRow += " " + itoa(tt.startup) + " start-up lines skipped"
			}
			if row != wantRow {
				t.Errorf("report's input row %q, want %q", row, wantRow)
			}
			section := ""
			if tt.unparsed > 0 {
				section = "\nUnparsed lines in " + label + ": " + itoa(tt.unparsed) + "\n"
				for _, s := range tt.samples {
					section += "  | " + s + "\n"
				}
				section += "\n"
			}
			_, after, found := strings.Cut(text, "\nUnparsed lines in ")
			switch {
			case section == "" && found:
				t.Errorf("report lists unparsed lines:\nUnparsed lines in %s", after)
			case section != "" && !strings.Contains(text, section):
				t.Errorf("report does not show %q:\n%s", section, text)
			}
		})
	}
}

func itoa(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}
