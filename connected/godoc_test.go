package connected_test

import (
	"bufio"
	"go/ast"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// The documentation is for users: what `go doc -all` prints of this package
// and of connectedtest names no file, make target or script of the
// repository, no unexported identifier and no initialiser built from one.
// Notes for maintainers belong in code comments or ARCHITECTURE.md.
func TestGodocIsForUsers(t *testing.T) {
	t.Parallel()
	goTool := findGoTool(t)
	targets := makeTargets(t, "../Makefile")
	for _, dir := range []string{".", "./connectedtest"} {
		t.Run(dir, func(t *testing.T) {
			cmd := exec.Command(goTool, "doc", "-all", dir)
			out, err := cmd.Output()
			require.NoError(t, err, "go doc -all %s", dir)
			for _, p := range godocProblems(string(out), unexportedNames(t, dir), targets) {
				t.Errorf("go doc -all %s, line %d: %s\n\t%s", dir, p.line, p.why, p.text)
			}
		})
	}
}

// findGoTool returns the go command of the toolchain that built the test,
// or the one on PATH, and skips the test when there is neither.
func findGoTool(t *testing.T) string {
	t.Helper()
	// runtime.GOROOT is deprecated because a binary copied to another
	// machine may report a root that is not there; a test binary runs
	// where it was built, and the stat below catches the exception.
	if root := runtime.GOROOT(); root != "" { //nolint:staticcheck // see above
		p := filepath.Join(root, "bin", "go")
		if runtime.GOOS == "windows" {
			p += ".exe"
		}
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	p, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go tool: cannot run go doc")
	}
	return p
}

// unexported lists the unexported top-level identifiers of a package: its
// types, which may appear in no exported signature or initialiser, and its
// functions, variables and constants.
type unexported struct {
	types map[string]bool
	other map[string]bool
}

func unexportedNames(t *testing.T, dir string) unexported {
	t.Helper()
	u := unexported{types: map[string]bool{}, other: map[string]bool{}}
	add := func(m map[string]bool, id *ast.Ident) {
		if id.Name != "_" && !id.IsExported() {
			m[id.Name] = true
		}
	}
	for _, f := range parsePackage(t, dir) {
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil {
					add(u.other, d.Name)
				}
			case *ast.GenDecl:
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.TypeSpec:
						add(u.types, s.Name)
					case *ast.ValueSpec:
						for _, n := range s.Names {
							add(u.other, n)
						}
					}
				}
			}
		}
	}
	return u
}

// makeTargets reads the targets a Makefile declares.
func makeTargets(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer func() { _ = f.Close() }()
	re := regexp.MustCompile(`^([A-Za-z0-9][A-Za-z0-9_-]*):`)
	var targets []string
	s := bufio.NewScanner(f)
	for s.Scan() {
		if m := re.FindStringSubmatch(s.Text()); m != nil && !slices.Contains(targets, m[1]) {
			targets = append(targets, m[1])
		}
	}
	require.NoError(t, s.Err())
	require.NotEmpty(t, targets)
	return targets
}

type godocProblem struct {
	line int
	text string
	why  string
}

var (
	fileName    = regexp.MustCompile(`\b[a-z_]+(\.gen)?\.go\b`)
	markdown    = regexp.MustCompile(`\b\w+\.md\b`)
	scriptsDir  = regexp.MustCompile(`\bscripts/`)
	initialiser = regexp.MustCompile(`&[a-z]\w*\{`)
	lintNote    = regexp.MustCompile(`//\s*nolint\b`)
	identifier  = regexp.MustCompile(`[A-Za-z_]\w*`)
	stringLit   = regexp.MustCompile("\"(\\\\.|[^\"\\\\])*\"|`[^`]*`")
	section     = regexp.MustCompile(`^(CONSTANTS|VARIABLES|FUNCTIONS|TYPES)$`)
)

// godocProblems finds what a user should not read in the output of go doc
// -all. Lines are prose (the package documentation, indented doc
// comments, comments inside declarations) or code (declarations); an
// unexported name that is also an English word ("hold", "config") is
// looked for in code only, where it names a type, and a mixedCaps one
// ("errorClass") everywhere.
func godocProblems(out string, u unexported, targets []string) []godocProblem {
	makeTarget := regexp.MustCompile(`\bmake (` + strings.Join(quoteAll(targets), "|") + `)\b`)
	var problems []godocProblem
	inPackageDoc := true
	for i, line := range strings.Split(out, "\n") {
		report := func(why string) { problems = append(problems, godocProblem{i + 1, line, why}) }
		if section.MatchString(line) {
			inPackageDoc = false
		}
		if loc := fileName.FindString(line); loc != "" {
			report("names the file " + loc)
		}
		if loc := markdown.FindString(line); loc != "" {
			report("names the document " + loc)
		}
		if loc := makeTarget.FindString(line); loc != "" {
			report("names the make target in " + loc)
		}
		if scriptsDir.MatchString(line) {
			report("names the scripts directory")
		}
		if lintNote.MatchString(line) {
			report("shows a linter directive")
		}
		if loc := initialiser.FindString(line); loc != "" {
			report("shows an initialiser " + loc)
		}
		for _, m := range identifier.FindAllStringIndex(line, -1) {
			name := line[m[0]:m[1]]
			if (u.types[name] || u.other[name]) && hasUpper(name) && !selected(line, m[0]) {
				report("names the unexported " + name)
			}
		}
		code := line
		if inPackageDoc || strings.HasPrefix(line, "    ") || strings.HasPrefix(strings.TrimLeft(line, "\t"), "//") {
			continue
		}
		if c := strings.Index(code, "//"); c >= 0 {
			code = code[:c]
		}
		code = stringLit.ReplaceAllStringFunc(code, func(s string) string { return strings.Repeat(" ", len(s)) })
		for _, m := range identifier.FindAllStringIndex(code, -1) {
			name := code[m[0]:m[1]]
			if u.types[name] && !hasUpper(name) && !selected(code, m[0]) && typePosition(code[m[1]:]) {
				report("names the unexported type " + name)
			}
		}
	}
	return problems
}

// selected reports whether the identifier at i follows a '.', as another
// package's name does.
func selected(s string, i int) bool { return i > 0 && s[i-1] == '.' }

// typePosition reports whether what follows an identifier in a
// declaration makes it a type rather than a parameter's or field's name,
// which a type follows.
func typePosition(rest string) bool {
	rest = strings.TrimLeft(rest, " \t")
	if rest == "" {
		return true
	}
	startsType := strings.ContainsRune("_*[", rune(rest[0])) ||
		('a' <= rest[0] && rest[0] <= 'z') || ('A' <= rest[0] && rest[0] <= 'Z')
	return !startsType
}

func hasUpper(s string) bool { return strings.ToLower(s) != s }

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = regexp.QuoteMeta(s)
	}
	return out
}
