package nginx

import (
	"maps"
	"path/filepath"
	"testing"
)

// TestConfNeverDown: an upstream{} group whose every server has
// max_fails=0 is never marked down, so nginx's "no live upstreams" there
// means each server was tried; a group with one server of the default
// (max_fails 1) may have been. Blocks nest (a server{} with its own
// location{} is no upstream), a Lua block's braces are skipped, and an
// included file's servers count for the group that includes it.
func TestConfNeverDown(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "more.conf"), "server 10.0.0.3:80 max_fails=0;\n")
	writeFile(t, filepath.Join(dir, "nginx.conf"), `events {}
http {
    upstream app {
        server 127.0.0.1:24100 max_fails=0;
        server 127.0.0.1:24104 max_fails=0 fail_timeout=5s;
        keepalive 16;
    }
    upstream mixed {
        server 10.0.0.1:80 max_fails=0;
        server 10.0.0.2:80;
    }
    upstream incl {
        include more.conf;
    }
    upstream deflt { server 10.0.0.4:80; }
    server {
        listen 80;
        access_by_lua_block { if x then ngx.exit(403) end }
        location / { proxy_pass http://app; }
    }
    upstream after { server 10.0.0.5:80 max_fails=0; }
}
`)
	c, err := ReadConf(filepath.Join(dir, "nginx.conf"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"app": true, "incl": true, "after": true}
	if !maps.Equal(c.NeverDown, want) {
		t.Errorf("NeverDown %v, want %v", c.NeverDown, want)
	}
}
