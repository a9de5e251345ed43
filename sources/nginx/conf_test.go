package nginx

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"fivexx/sources"
)

var combinedSpec = LogFormatSpec{Name: "combined", Format: CombinedFormat, Escape: "default"}

// TestConfDebian reads a copy of Debian's /etc/nginx (nginx.conf, mime.types,
// sites-enabled/default), with its absolute include paths pointed at the copy.
func TestConfDebian(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"nginx.conf", "mime.types", "sites-enabled/default"} {
		data, err := os.ReadFile(filepath.Join("testdata/debian", name))
		if err != nil {
			t.Fatal(err)
		}
		data = []byte(strings.ReplaceAll(string(data), "/etc/nginx/", dir+"/"))
		writeFile(t, filepath.Join(dir, name), string(data))
	}
	got, err := LogFormatsFromConf(filepath.Join(dir, "nginx.conf"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]LogFormatSpec{"/var/log/nginx/access.log": combinedSpec}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("formats (-want +got):\n%s", diff)
	}
}

// TestConfLab reads the config that wrote testdata/*.log, and checks that
// each format it yields parses its log.
func TestConfLab(t *testing.T) {
	got, err := LogFormatsFromConf("testdata/lab/nginx.conf")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]LogFormatSpec{
		"/tmp/nginxlab/logs/combined.log":      combinedSpec,
		"/tmp/nginxlab/logs/main.log":          {Name: "main", Format: MainFormat, Escape: "default"},
		"/tmp/nginxlab/logs/upstream.log":      {Name: "upstreaminfo", Format: upstreamInfoFormat, Escape: "default"},
		"/tmp/nginxlab/logs/ingress.log":       {Name: "ingress", Format: IngressFormat, Escape: "default"},
		"/tmp/nginxlab/logs/json.log":          {Name: "json_combined", Format: jsonCombinedFormat, Escape: "json"},
		"/tmp/nginxlab/logs/none.log":          {Name: "rawnone", Format: rawNoneFormat, Escape: "none"},
		"/tmp/nginxlab/logs/json_unquoted.log": {Name: "json_unquoted", Format: `{"ts":"$msec","client":"$remote_addr","method":"$request_method","uri":"$request_uri","status":"$status","upstream_addr":"$upstream_addr","upstream_status":$upstream_status,"upstream_response_time":$upstream_response_time,"req_id":"$request_id"}`, Escape: "json"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("formats (-want +got):\n%s", diff)
	}
	for path, spec := range got {
		p := newFormatParser(t, "nginx", sources.ParserOptions{LogFormat: spec.Format, Escape: spec.Escape})
		for _, line := range testdataLines(t, filepath.Base(path)) {
			if _, err := p.Parse(line); err != nil {
				t.Errorf("%s: Parse(%.60q): %v", spec.Name, line, err)
			}
		}
	}
}

func TestConfCustom(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "nginx.conf"), `
# comment with 'quotes' and { braces
http {
    include conf.d/*.conf;   # relative to this file's directory
    include missing/*.conf;
    log_format  up  escape=json  '{"s":$status,'   # pieces join without spaces
                                 "\"ua\":\"$http_user_agent\"}";
    access_log /var/log/nginx/a.log;
    access_log off;
    access_log syslog:server=unix:/dev/log up;
    map $http_upgrade $connection_upgrade { default upgrade; '' close; }
    server {
        access_log "/var/log/nginx/with space.log" up buffer=32k flush=5s;
        access_log /var/log/nginx/a.log up;  # second use of a.log: the first wins
        location / {
            set $x "${host}-}";
            content_by_lua_block {
                -- a comment with a } and a ' quote
                local s = "}" .. '{' .. [[ } ]]
                if ngx.var.x then ngx.say(s) end
            }
            access_log /var/log/nginx/loc.log inner;
        }
    }
}
`)
	writeFile(t, filepath.Join(dir, "conf.d", "inner.conf"), `log_format inner '$remote_addr [$time_local] $status';`)
	got, err := LogFormatsFromConf(filepath.Join(dir, "nginx.conf"))
	if err != nil {
		t.Fatal(err)
	}
	up := LogFormatSpec{Name: "up", Format: `{"s":$status,\"ua\":\"$http_user_agent\"}`, Escape: "json"}
	want := map[string]LogFormatSpec{
		"/var/log/nginx/a.log":          combinedSpec,
		"/var/log/nginx/with space.log": up,
		"/var/log/nginx/loc.log":        {Name: "inner", Format: `$remote_addr [$time_local] $status`, Escape: "default"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("formats (-want +got):\n%s", diff)
	}

	// The config-level escapes are left for Compile, which applies them once.
	p := mustCompileT(t, up.Format, up.Escape)
	r, err := p.Parse(`{"s":502,"ua":"curl \"x\""}`)
	if err != nil {
		t.Fatal(err)
	}
	if e := r.(*sources.ProxyEntry); e.Status != 502 || e.UserAgent != `curl "x"` {
		t.Errorf("status %d ua %q", e.Status, e.UserAgent)
	}
}

func TestConfErrors(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name, conf, want string
	}{
		{"undefined format", "http { access_log /x.log nope; }", `undefined log_format "nope"`},
		{"open quote", "http { log_format a '$status; }", "unexpected end of file in a quoted string"},
		{"missing semicolon", "http { access_log /x.log }\naccess_log /y.log", "unexpected end of file"},
		{"include loop", "include nginx.conf;", "nested more than"},
		{"short log_format", "log_format a;", "log_format needs a name and a format"},
		{"open lua block", "content_by_lua_block { if x then", "*_by_lua_block"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "_"), "nginx.conf")
			writeFile(t, path, tc.conf)
			got, err := LogFormatsFromConf(path)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("LogFormatsFromConf = %v, %v; want error containing %q", got, err, tc.want)
			}
		})
	}
	if _, err := LogFormatsFromConf(filepath.Join(dir, "absent.conf")); err == nil || !strings.Contains(err.Error(), "absent.conf") {
		t.Errorf("missing config: error %v does not name the file", err)
	}
}

func writeFile(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}
