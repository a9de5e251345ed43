package nginx

import (
	"testing"

	"fivexx/sources"
	"fivexx/sources/parsertest"
)

// BenchmarkFormats times every nginx format on real lines (the lab's, and
// ingress-nginx issue threads'), split by status: 2xx lines are most of any
// log, so their allocations per line are the ones to bring toward zero; 5xx
// lines are what fivexx is for.
//
//	go test -run '^$' -bench Formats -benchmem ./sources/nginx/
func BenchmarkFormats(b *testing.B) {
	// The lab's nginx.conf holds the log_format that wrote upstream.log; a
	// user's config reaches the "nginx" format the same way (--nginx-conf).
	confFormats, err := LogFormatsFromConf("testdata/lab/nginx.conf")
	if err != nil {
		b.Fatal(err)
	}
	upstreamInfo, ok := confFormats["/tmp/nginxlab/logs/upstream.log"]
	if !ok {
		b.Fatalf("testdata/lab/nginx.conf has no log_format for upstream.log: %v", confFormats)
	}
	errorGroups := []parsertest.LineGroup{
		{Name: "reason", Keep: func(r sources.Record) bool {
			e, ok := r.(*sources.ProxyError)
			return ok && e.Reason != sources.ReasonNone
		}},
		{Name: "other", Keep: func(r sources.Record) bool {
			e, ok := r.(*sources.ProxyError)
			return ok && e.Reason == sources.ReasonNone
		}},
	}
	for _, c := range []struct {
		name, format string
		opts         sources.ParserOptions
		files        []string
		groups       []parsertest.LineGroup
	}{
		{"nginx-combined", "nginx-combined", sources.ParserOptions{},
			[]string{"testdata/combined.log", "testdata/main.log"}, parsertest.StatusGroups},
		{"nginx-upstream", "nginx-upstream", sources.ParserOptions{},
			[]string{"testdata/upstream.log"}, parsertest.StatusGroups},
		{"nginx-compiled-upstream", "nginx", sources.ParserOptions{LogFormat: upstreamInfo.Format, Escape: upstreamInfo.Escape},
			[]string{"testdata/upstream.log"}, parsertest.StatusGroups},
		{"nginx-json", "nginx-json", sources.ParserOptions{},
			[]string{"testdata/json.log"}, parsertest.StatusGroups},
		{"ingress-nginx", "ingress-nginx", sources.ParserOptions{},
			[]string{"testdata/ingress.log", "../../testdata/formats/ingress-nginx/access.log"}, parsertest.StatusGroups},
		// The error log has no status: "reason" lines name the failure
		// behind a 5xx, "other" lines are notices, warnings and the rest.
		{"nginx-error", "nginx-error", sources.ParserOptions{},
			[]string{"testdata/error.log"}, errorGroups},
	} {
		var sample []string
		for _, file := range c.files {
			sample = append(sample, parsertest.Lines(b, file)...)
		}
		b.Run(c.name, func(b *testing.B) { parsertest.BenchFormat(b, c.format, c.opts, sample, c.groups) })
	}
}
