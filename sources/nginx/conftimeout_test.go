package nginx

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestParseConfTime reads times as nginx's config reader does.
func TestParseConfTime(t *testing.T) {
	for _, c := range []struct {
		in   string
		want time.Duration
	}{
		{"60", time.Minute},
		{"60s", time.Minute},
		{"90s", 90 * time.Second},
		{"5m", 5 * time.Minute},
		{"1m30s", 90 * time.Second},
		{"1m 30s", 90 * time.Second},
		{"1m30", 90 * time.Second},
		{"500ms", 500 * time.Millisecond},
		{"1h", time.Hour},
		{"2d", 48 * time.Hour},
		{"1w", 7 * 24 * time.Hour},
		{"24d", 24 * 24 * time.Hour},
		{"3w", 21 * 24 * time.Hour},
	} {
		got, err := parseConfTime(c.in)
		if err != nil || got != c.want {
			t.Errorf("parseConfTime(%q) = %v, %v; want %v", c.in, got, err, c.want)
		}
	}
	for _, in := range []string{"", " ", "s", "1x", "60 s", "1.5s", "30 1m", "9999999999s", "-1s", "$timeout", "1y", "900y", "25d"} {
		if got, err := parseConfTime(in); err == nil {
			t.Errorf("parseConfTime(%q) = %v, want an error", in, got)
		}
	}
}

// TestConfReadTimeout: the longest *_read_timeout anywhere in the config
// and its includes is how long nginx may wait for an upstream before its
// 504; none set reads as 0 (the caller's default, nginx's own 60 s).
func TestConfReadTimeout(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "nginx.conf"), `events {}
http {
    proxy_read_timeout 75s;
    access_log /var/log/nginx/access.log;
    include sites/*.conf;
}
`)
	writeFile(t, filepath.Join(dir, "sites/a.conf"), `server {
    location /api { proxy_pass http://api; }
    location /reports { proxy_pass http://reports; proxy_read_timeout "5m"; }
    location /php { fastcgi_pass unix:/run/php.sock; fastcgi_read_timeout 2m; }
}
`)
	c, err := ReadConf(filepath.Join(dir, "nginx.conf"))
	if err != nil {
		t.Fatal(err)
	}
	if c.ReadTimeout != 5*time.Minute || c.LogFormats["/var/log/nginx/access.log"] != combinedSpec {
		t.Errorf("ReadTimeout %v, formats %v; want 5m0s and the access log's combined", c.ReadTimeout, c.LogFormats)
	}

	writeFile(t, filepath.Join(dir, "none.conf"), "events {}\nhttp { access_log /var/log/nginx/access.log; }\n")
	if c, err := ReadConf(filepath.Join(dir, "none.conf")); err != nil || c.ReadTimeout != 0 {
		t.Errorf("no timeout set: %v, %v; want 0", c.ReadTimeout, err)
	}

	writeFile(t, filepath.Join(dir, "bad.conf"), "http { proxy_read_timeout 1x; }\n")
	if _, err := ReadConf(filepath.Join(dir, "bad.conf")); err == nil || !strings.Contains(err.Error(), `bad.conf:1: proxy_read_timeout: invalid time "1x"`) {
		t.Errorf("bad time: %v", err)
	}
}

// FuzzParseConfTime: any text gives a time or an error, never a panic or a
// negative time, and a time read back from its seconds or milliseconds
// is the same.
func FuzzParseConfTime(f *testing.F) {
	for _, s := range []string{"60", "90s", "1m30s", "1m 30", "500ms", "1y2M3w4d5h6m7s8ms", "1x", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := parseConfTime(s)
		if err != nil {
			return
		}
		if d < 0 {
			t.Fatalf("parseConfTime(%q) = %v", s, d)
		}
		again := strconv.FormatInt(d.Milliseconds(), 10) + "ms"
		if d%time.Second == 0 {
			again = strconv.FormatInt(int64(d/time.Second), 10)
		}
		if back, err := parseConfTime(again); err == nil && back != d {
			t.Fatalf("parseConfTime(%q) = %v, but %q reads %v", s, d, again, back)
		}
	})
}
