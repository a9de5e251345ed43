package applog

import (
	"encoding/json"
	"testing"
)

// benchParse parses a recorded log over and over and reports lines/s.
func benchParse(b *testing.B, format, file string) {
	lines := testdataLines(b, file)
	p := newTestParser(b, format, testOpts)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if _, err := p.Parse(lines[i%len(lines)]); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "lines/s")
}

func BenchmarkJSON(b *testing.B)   { benchParse(b, FormatJSON, "json.log") }
func BenchmarkLogfmt(b *testing.B) { benchParse(b, FormatLogfmt, "logfmt.log") }
func BenchmarkText(b *testing.B)   { benchParse(b, FormatText, "text.log") }

// BenchmarkJSONFaultBackend is the hottest shape: the test backend's lines.
func BenchmarkJSONFaultBackend(b *testing.B) {
	lines := testdataLines(b, "json.log")[:2]
	p := newTestParser(b, FormatJSON, testOpts)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := p.Parse(lines[i%2]); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "lines/s")
}

// BenchmarkEncodingJSONMap is the alternative the scanner replaces:
// decoding the same lines into a map, before any key is even looked up.
func BenchmarkEncodingJSONMap(b *testing.B) {
	lines := testdataLines(b, "json.log")[:2]
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		var m map[string]any
		if err := json.Unmarshal([]byte(lines[i%2]), &m); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "lines/s")
}
