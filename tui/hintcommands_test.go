package tui

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fivexx/classify"

	"github.com/charmbracelet/x/ansi"
)

// commandHeads are the first words of the commands of more words that the
// hints and advice name: a head that proseWords leaves as a word of its
// own, with words after it, is a command commandPatterns misses.
var commandHeads = map[string]bool{
	"ss": true, "kubectl": true, "ls": true, "getsebool": true, "setsebool": true, "ausearch": true,
	"aws": true, "journalctl": true, "log_append": true, "http-request": true, "iconv": true,
	"zstd": true, "bzip2": true, "xz": true, "--cmd": true, "--app": true, "--format": true,
}

// adviceTexts are advice fixes and input states that name commands
// (classify/advice.go, cmd/fivexx), with the commands each names.
var adviceTexts = []struct {
	text     string
	commands []string
}{
	{"add the log Caddy's default logger writes (its http.log.error entries): the caddy process's stderr (journalctl -u caddy > caddy.log) or the global log directive's file, e.g. fivexx access.log caddy.log app.log",
		[]string{"journalctl -u caddy > caddy.log", "fivexx access.log caddy.log app.log"}},
	{"add the app's log: --app api=/var/log/app.log or --cmd 'kubectl logs -f deploy/api'",
		[]string{"--app api=/var/log/app.log", "--cmd 'kubectl logs -f deploy/api'"}},
	{"is the app logging elsewhere (standard output, another file)? give that: --app api=FILE or --cmd 'kubectl logs -f deploy/api'",
		[]string{"--app api=FILE", "--cmd 'kubectl logs -f deploy/api'"}},
	{"force one with --format NAME (fivexx explain formats lists them), or give its role: --proxy FILE, --proxy-errors FILE or --app FILE",
		[]string{"--format NAME", "fivexx explain formats", "--proxy FILE", "--proxy-errors FILE", "--app FILE"}},
	{"convert it to UTF-8 and read that: iconv -f UTF-16LE -t UTF-8 /var/log/app/current.log | fivexx report - (with the other inputs after -)",
		[]string{"iconv -f UTF-16LE -t UTF-8 /var/log/app/current.log | fivexx report -"}},
	{"decompress it and read that: zstd -dc /var/log/nginx/access.log.1.zst | fivexx report - (fivexx inflates gzip only)",
		[]string{"zstd -dc /var/log/nginx/access.log.1.zst | fivexx report -"}},
	{"the file was cut short (a copy or download that did not finish, a disk that filled while it was compressed): get a whole copy (gzip -t /var/log/nginx/access.log.2.gz checks one); zcat reads no more of it than fivexx did",
		[]string{"gzip -t /var/log/nginx/access.log.2.gz"}},
	{"no access log: a site's `log { output file /var/log/caddy/access.log }` writes Caddy's access log: fivexx /var/log/caddy/access.log caddy.log app.log",
		[]string{"`log { output file /var/log/caddy/access.log }`", "fivexx /var/log/caddy/access.log caddy.log app.log"}},
}

// TestHintCommandsStayWhole wraps every hint classify can give
// (classify/testdata/TestHintTexts.golden, written by classify's
// TestHintTexts) and the advice that names commands at the widths of a
// request's detail on 60 to 120 columns. Every command stays on one line,
// and every line is as full as the next line's first word or command
// allows. "setsebool -P" / "httpd_can_network_connect 1" was copied as a
// broken command, and "…SELinux (getsebool httpd_can_network_connect,"
// ended 40 cells short of the edge (QA s28).
func TestHintCommandsStayWhole(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "classify", "testdata", "TestHintTexts.golden"))
	if err != nil {
		t.Fatal(err)
	}
	type text struct {
		s        string
		commands []string // those the table names; proseWords finds the hints'
	}
	var texts []text
	for _, h := range strings.Split(strings.TrimRight(string(raw), "\n"), "\n") {
		texts = append(texts, text{s: h})
	}
	if len(texts) < 100 {
		t.Fatalf("only %d hints in TestHintTexts.golden", len(texts))
	}
	for _, a := range adviceTexts {
		texts = append(texts, text{a.text, a.commands})
	}
	for _, tx := range texts {
		// The commands the text names: every unit of more words, and a
		// head standing alone before more words is one missed.
		units := proseWords(tx.s, 1000)
		commands := append([]string(nil), tx.commands...)
		for i, u := range units {
			if strings.Contains(u, " ") {
				commands = append(commands, u)
				continue
			}
			if head := strings.TrimLeft(u, "(`"); commandHeads[head] && i+1 < len(units) {
				t.Errorf("%q is not read as a command before %q in %q: add it to commandPatterns", head, units[i+1], tx.s)
			}
		}
		for _, c := range tx.commands {
			if !strings.Contains(strings.Join(units, "|"), c) {
				t.Errorf("%q is not read as one command in %q: %q", c, tx.s, units)
			}
		}
		for _, screen := range []int{60, 80, 100, 120} {
			w := screen - 13 // the detail's field width (detailContent)
			lines := wrapWords(tx.s, w, "")
			for _, c := range commands {
				if lenCells(c) > w {
					continue
				}
				found := false
				for _, l := range lines {
					found = found || strings.Contains(l, c)
				}
				if !found {
					t.Errorf("at %d columns %q is split:\n%s", screen, c, strings.Join(lines, "\n"))
				}
			}
			for i := 1; i < len(lines); i++ {
				if next := proseWords(lines[i], w)[0]; lenCells(lines[i-1])+1+lenCells(next) <= w {
					t.Errorf("at %d columns the line %q ends before %q, which fits after it:\n%s", screen, lines[i-1], next, strings.Join(lines, "\n"))
				}
			}
			for _, l := range lines {
				if lenCells(l) > w {
					t.Errorf("at %d columns the line %q is wider than %d", screen, l, w)
				}
			}
		}
	}
}

// TestPermissionHintWraps is QA s28's report, on the hints themselves:
// the denied connect's hint at the widths of a request's detail at 80, 90
// and 120 columns.
func TestPermissionHintWraps(t *testing.T) {
	const (
		tcp  = "permission denied connecting to 10.0.1.11:8080: the proxy's host does not let it open the connection, nothing refused it; SELinux (getsebool httpd_can_network_connect, then setsebool -P httpd_can_network_connect 1; ausearch -m avc), AppArmor, or a firewall rule that rejects the proxy's outgoing connections"
		unix = "permission denied connecting to unix:/run/php/php8.2-fpm.sock: the proxy's user may not write to the socket file; compare its mode and owner (ls -l /run/php/php8.2-fpm.sock) with the user the proxy runs as (the app's socket mode/owner/group settings, e.g. php-fpm's listen.owner, listen.group and listen.mode), and the directories on the way; SELinux or AppArmor can deny it too (ausearch -m avc); check the app listens there (ss -lxp)"
	)
	for _, tc := range []struct {
		hint   string
		screen int
		want   []string // lines that follow each other among the wrapped ones
	}{
		{tcp, 80, []string{"(getsebool httpd_can_network_connect, then",
			"setsebool -P httpd_can_network_connect 1; ausearch -m avc),"}},
		{tcp, 90, []string{"it open the connection, nothing refused it; SELinux",
			"(getsebool httpd_can_network_connect, then",
			"setsebool -P httpd_can_network_connect 1; ausearch -m avc), AppArmor, or a"}},
		// The 41 cells of setsebool's command do not fit after "then".
		{tcp, 120, []string{"nothing refused it; SELinux (getsebool httpd_can_network_connect, then",
			"setsebool -P httpd_can_network_connect 1; ausearch -m avc), AppArmor, or a firewall rule that rejects the"}},
		{unix, 80, []string{"owner (ls -l /run/php/php8.2-fpm.sock) with the user the proxy runs",
			"as (the app's socket mode/owner/group settings, e.g. php-fpm's"}},
	} {
		t.Run(fmt.Sprintf("%d", tc.screen), func(t *testing.T) {
			lines := wrapWords(tc.hint, tc.screen-13, "")
			got := "\n" + strings.Join(lines, "\n") + "\n"
			if want := "\n" + strings.Join(tc.want, "\n") + "\n"; !strings.Contains(got, want) {
				t.Errorf("no lines\n%s\nin\n%s", strings.Join(tc.want, "\n"), strings.Join(lines, "\n"))
			}
		})
	}
}

// TestHelpAdviceCommandsStayWhole: the help screen's advice wraps as
// the detail's prose does, so the command a fix names stays on one line
// at every width it fits; it wrapped at any space (ansi.Wordwrap), and
// "--cmd 'kubectl logs" / "-f deploy/api'" was copied broken.
func TestHelpAdviceCommandsStayWhole(t *testing.T) {
	km, st := defaultKeyMap(), DefaultStyles()
	s := fixtureSnapshot(plainStrings)
	s.Advice = []classify.Advice{{Problem: "no app log: fivexx cannot tell whether the app saw a failed request",
		Fix: "add the app's log: --app api=/var/log/app.log or --cmd 'kubectl logs -f deploy/api'"}}
	for w := 50; w <= 120; w++ {
		content := ansi.Strip(helpContent(&km, &st, s, lesson{}, w))
		for _, c := range []string{"--cmd 'kubectl logs -f deploy/api'", "--app api=/var/log/app.log"} {
			if !strings.Contains(content, c) {
				t.Errorf("at %d columns %q is split:\n%s", w, c, content[strings.Index(content, "Advice"):])
			}
		}
	}
}
