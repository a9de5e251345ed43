package tui

import (
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"fivexx/classify"

	"github.com/charmbracelet/x/ansi"
)

// updateAdviceTexts rewrites testdata/TestAdviceTexts.golden.
var updateAdviceTexts = flag.Bool("update-advice", false, "TestAdviceTexts: rewrite testdata/TestAdviceTexts.golden")

// adviceDirs are the packages whose code writes advice: classify's
// producers, cmd/fivexx's notes on inputs, sources' role contradictions.
var adviceDirs = []string{"../classify", "../cmd/fivexx", "../sources"}

// adviceTexts reads every advice problem and fix the program can give
// from the code that writes them, each as the words it says: a string of
// a Problem or Fix field, one assigned to a Fix or Problem field or to a
// variable fix, problem or ex, or returned by a Fix method or a function with
// a result fix. Constants are read as they are, and a part the code
// computes (a label, a flag's value, a file) as "access.log". A part
// added with += is a text of its own.
func collectAdviceTexts(t *testing.T) []string {
	t.Helper()
	fset := token.NewFileSet()
	consts := map[string]ast.Expr{}
	var files []*ast.File
	for _, dir := range adviceDirs {
		paths, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range paths {
			if strings.HasSuffix(p, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, p, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			files = append(files, f)
			for _, d := range f.Decls {
				if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.CONST {
					for _, sp := range g.Specs {
						vs := sp.(*ast.ValueSpec)
						for i, n := range vs.Names {
							if i < len(vs.Values) {
								consts[n.Name] = vs.Values[i]
							}
						}
					}
				}
			}
		}
	}
	var eval func(e ast.Expr) (string, bool)
	eval = func(e ast.Expr) (string, bool) {
		switch e := e.(type) {
		case *ast.BasicLit:
			if e.Kind == token.STRING {
				s, err := strconv.Unquote(e.Value)
				return s, err == nil
			}
			return e.Value, false
		case *ast.ParenExpr:
			return eval(e.X)
		case *ast.BinaryExpr:
			if e.Op == token.ADD {
				a, okA := eval(e.X)
				b, okB := eval(e.Y)
				return a + b, okA || okB
			}
		case *ast.Ident:
			if c, ok := consts[e.Name]; ok {
				return eval(c)
			}
		case *ast.SelectorExpr:
			if x, ok := e.X.(*ast.Ident); ok && x.Name == "classify" {
				if c, ok := consts[e.Sel.Name]; ok {
					return eval(c)
				}
			}
		case *ast.CallExpr:
			if sel, ok := e.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Sprintf" && len(e.Args) > 0 {
				format, ok := eval(e.Args[0])
				if !ok {
					break
				}
				args := make([]any, 0, len(e.Args)-1)
				for _, a := range e.Args[1:] {
					s, _ := eval(a)
					args = append(args, s)
				}
				format = regexp.MustCompile(`%[-+# 0-9.]*[a-z]`).ReplaceAllString(format, "%s")
				return fmt.Sprintf(format, args...), true
			}
		}
		return "access.log", false
	}
	seen := map[string]bool{}
	add := func(e ast.Expr) {
		if s, ok := eval(e); ok && strings.TrimSpace(s) != "" {
			seen[strings.TrimSpace(s)] = true
		}
	}
	textName := func(e ast.Expr) bool {
		switch e := e.(type) {
		case *ast.Ident:
			// ex: the example command of the missing access log's fix
			// (classify proxyExample).
			return e.Name == "fix" || e.Name == "problem" || e.Name == "ex"
		case *ast.SelectorExpr:
			return e.Sel.Name == "Fix" || e.Sel.Name == "Problem"
		}
		return false
	}
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.KeyValueExpr:
				if k, ok := n.Key.(*ast.Ident); ok && (k.Name == "Fix" || k.Name == "Problem") {
					add(n.Value)
				}
			case *ast.AssignStmt:
				for i, l := range n.Lhs {
					if textName(l) && i < len(n.Rhs) {
						add(n.Rhs[i])
					}
				}
			case *ast.FuncDecl:
				fixes := n.Name.Name == "Fix"
				if n.Type.Results != nil {
					for _, r := range n.Type.Results.List {
						for _, name := range r.Names {
							fixes = fixes || name.Name == "fix"
						}
					}
				}
				if fixes && n.Body != nil {
					ast.Inspect(n.Body, func(m ast.Node) bool {
						if r, ok := m.(*ast.ReturnStmt); ok {
							for _, e := range r.Results {
								add(e)
							}
						}
						return true
					})
				}
			}
			return true
		})
	}
	texts := make([]string, 0, len(seen))
	for s := range seen {
		texts = append(texts, s)
	}
	slices.Sort(texts)
	return texts
}

// configDirectives find, independently of commandPatterns, the config
// directives and commands an advice text gives to be pasted: nginx's up
// to their ";", HAProxy's and Caddy's lines, and fivexx's and the shell's
// commands of more words.
var configDirectives = []*regexp.Regexp{
	regexp.MustCompile(`\b(log_format \w+ '[^']*'|(access_log|error_log) /[^ ;]+( \w+)?|proxy_set_header [^ ;]+ [^ ;]+);`),
	regexp.MustCompile(`\boption httplog( clf)?\b`),
	regexp.MustCompile(`\bunique-id-(header|format) [^ ,;)]+`),
	regexp.MustCompile(`\bcapture request header [^ ]+ len [0-9]+`),
	regexp.MustCompile(`\bhttp-request [a-z-]+ [^ ]+ len [0-9]+`),
	regexp.MustCompile(`\blog_append upstream [^ ,;)]+`),
	regexp.MustCompile("`log \\{[^`]*\\}`"),
	regexp.MustCompile(`\bnginx -T \| grep log_format`),
	regexp.MustCompile(`--(app-skew|app-request-id|format|log-format|app|proxy|proxy-errors) [^ ,;)]+`),
	regexp.MustCompile(`\b(iconv|zstd|bzip2|xz) -[^|]*\| fivexx report -`),
	regexp.MustCompile(`\bgzip -[tk]( /[^ )]+)?`),
	regexp.MustCompile(`\bjournalctl -u caddy > caddy\.log`),
}

// TestAdviceTexts writes every advice problem and fix the code can give
// (collectAdviceTexts) into testdata/TestAdviceTexts.golden, one a line,
// so that a new advice shows as a changed file (rewrite it with
// -update-advice and read the diff), and wraps each at the widths of the
// help screen's advice on 60 to 120 columns: no config directive or
// command it names is split over two lines where it fits on one, and no
// line ends before a word that fits after it. At 80 columns
// "proxy_set_header X-Request-ID" / "$request_id;" and at 80 and 120
// "access_log /var/log/nginx/access.log" / "upstreaminfo;" were split
// (QA s28).
func TestAdviceTexts(t *testing.T) {
	texts := collectAdviceTexts(t)
	got := strings.Join(texts, "\n") + "\n"
	path := filepath.Join("testdata", "TestAdviceTexts.golden")
	if *updateAdviceTexts {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(want) != got {
		t.Errorf("the advice texts are not those of %s (rewrite it with -update-advice and read the diff)", path)
	}
	for _, must := range []string{
		"add rid=$request_id to the log_format, proxy_set_header X-Request-ID $request_id; and log the X-Request-ID header in the app",
		"cid=$connection';  access_log /var/log/nginx/access.log upstreaminfo;",
		"capture request header X-Request-ID len 64",
		"log with option httplog, or keep its fields: fivexx reads HAProxy's option httplog",
		"iconv -f access.log -t UTF-8 access.log | fivexx report -",
		"give it by position or with ",
		"a site's `log { output file /var/log/caddy/access.log }` writes Caddy's access log",
	} {
		if !strings.Contains(got, must) {
			t.Errorf("no advice text holds %q: a producer is not read", must)
		}
	}
	// The help screen's advice, every text a fix (para(4, "fix: "+fix)).
	km, st := defaultKeyMap(), DefaultStyles()
	snap := fixtureSnapshot(plainStrings)
	snap.Advice = nil
	for _, s := range texts {
		snap.Advice = append(snap.Advice, classify.Advice{Problem: "a problem", Fix: s})
	}
	for _, screen := range []int{60, 80, 100, 120} {
		content := ansi.Strip(helpContent(&km, &st, snap, lesson{}, screen))
		lines := strings.Split(content[strings.Index(content, "Advice for these inputs"):], "\n")
		// The "fix: " paragraph's lines: at most screen-6 cells after the
		// 4 of its indent, 2 more on its continuation lines.
		w := screen - 6
		for _, s := range texts {
			for _, re := range configDirectives {
				for _, d := range re.FindAllString(s, -1) {
					if screen == 60 && !strings.Contains(strings.Join(proseWords(s, 1000), "\n"), d) {
						t.Errorf("%q is not read as one unit in %q: add it to commandPatterns", d, s)
					}
					if lenCells(d) > w {
						continue
					}
					if !slices.ContainsFunc(lines, func(l string) bool { return strings.Contains(l, d) }) {
						t.Errorf("at %d columns %q is split:\n%s", screen, d, strings.Join(wrapWords("fix: "+s, w, "  "), "\n"))
					}
				}
			}
			wrapped := wrapWords("fix: "+s, w, "")
			for i := 1; i < len(wrapped); i++ {
				if next := proseWords(wrapped[i], w)[0]; lenCells(wrapped[i-1])+1+lenCells(next) <= w {
					t.Errorf("at %d columns the line %q ends before %q, which fits after it:\n%s", screen, wrapped[i-1], next, strings.Join(wrapped, "\n"))
				}
			}
		}
	}
}
