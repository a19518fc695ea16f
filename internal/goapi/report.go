package goapi

import (
	"fmt"
	"strings"
)

// Report is what changed in the exported API of each package.
type Report struct {
	Packages []Package
	// Err is set when no comparison could be made at all (the new tree
	// could not be generated, apidiff could not run, …).
	Err error
}

// Package is one package's changes, as apidiff words them.
type Package struct {
	Path                     string
	Incompatible, Compatible []string
	// Err is set when the package could not be compared: in the new tree,
	// usually, it does not compile.
	Err error
}

// Level is the part of a semantic version a release must increase.
type Level int

// The levels, from least to most.
const (
	Patch Level = iota // no change to the exported API
	Minor              // compatible changes only
	Major              // an incompatible change
)

func (l Level) String() string {
	switch l {
	case Major:
		return "major"
	case Minor:
		return "minor"
	default:
		return "patch"
	}
}

// Level is what the next release must be given the changes found, and
// whether every package was compared (if not, the level is a lower bound).
func (r Report) Level() (level Level, complete bool) {
	complete = r.Err == nil
	for _, p := range r.Packages {
		switch {
		case p.Err != nil:
			complete = false
		case len(p.Incompatible) > 0:
			level = Major
		case len(p.Compatible) > 0 && level < Minor:
			level = Minor
		}
	}
	return level, complete
}

// Incompatible counts the incompatible changes over all packages.
func (r Report) Incompatible() int {
	n := 0
	for _, p := range r.Packages {
		n += len(p.Incompatible)
	}
	return n
}

// Verdict is the report's last line: "next release: major|minor|patch",
// with what is not known when a package could not be compared.
func (r Report) Verdict() string {
	if r.Err != nil {
		return "next release: not known (the Go API could not be compared)"
	}
	level, complete := r.Level()
	if complete {
		return "next release: " + level.String()
	}
	var broken []string
	for _, p := range r.Packages {
		if p.Err != nil {
			broken = append(broken, p.Path)
		}
	}
	return fmt.Sprintf("next release: %s at least (%s did not build, so its changes are not known)", level, strings.Join(broken, ", "))
}

// Text is the report for a terminal or a CI log.
func (r Report) Text() string {
	var b strings.Builder
	names := make([]string, 0, len(r.Packages))
	for _, p := range r.Packages {
		names = append(names, p.Path)
	}
	fmt.Fprintf(&b, "Go API of %s (apidiff %s; connected's model types are aliases of gen's, so model changes show under gen):\n",
		strings.Join(names, ", "), Version)
	if r.Err != nil {
		fmt.Fprintf(&b, "Go API: not compared: %v\n", indent(r.Err.Error(), "  "))
	} else {
		for _, kind := range []struct {
			name string
			pick func(Package) []string
		}{
			{"incompatible", func(p Package) []string { return p.Incompatible }},
			{"compatible", func(p Package) []string { return p.Compatible }},
		} {
			lines := changeLines(r.Packages, kind.pick, plain)
			fmt.Fprintf(&b, "Go API: %s changes (%d):\n", kind.name, len(lines))
			if len(lines) == 0 {
				b.WriteString("  none\n")
			}
			for _, l := range lines {
				fmt.Fprintf(&b, "  - %s\n", l)
			}
		}
		for _, p := range r.Packages {
			if p.Err != nil {
				fmt.Fprintf(&b, "Go API: %s did not build, so its changes are not known:\n  %s\n", p.Path, indent(p.Err.Error(), "  "))
			}
		}
	}
	b.WriteString(r.Verdict())
	return b.String()
}

// Markdown is the report as a section of a Markdown document (a job
// summary, a pull request's body).
func (r Report) Markdown() string {
	var b strings.Builder
	b.WriteString("### Go API\n\n")
	names := make([]string, 0, len(r.Packages))
	for _, p := range r.Packages {
		names = append(names, "`"+p.Path+"`")
	}
	fmt.Fprintf(&b, "What the change does to the exported Go API of %s, by [apidiff](https://pkg.go.dev/golang.org/x/exp/cmd/apidiff) `%s`. "+
		"`connected`'s model types are aliases of `gen`'s, so a model change shows under `gen`.\n\n", strings.Join(names, " and "), Version)
	if r.Err != nil {
		fmt.Fprintf(&b, "**Not compared:**\n\n```\n%v\n```\n\n", r.Err)
	}
	verdict := strings.TrimPrefix(r.Verdict(), "next release: ")
	fmt.Fprintf(&b, "**Next release: %s**\n\n", md(verdict))
	if r.Err != nil {
		return b.String()
	}
	for _, kind := range []struct {
		name string
		pick func(Package) []string
	}{
		{"Incompatible", func(p Package) []string { return p.Incompatible }},
		{"Compatible", func(p Package) []string { return p.Compatible }},
	} {
		lines := changeLines(r.Packages, kind.pick, code)
		fmt.Fprintf(&b, "#### %s changes (%d)\n\n", kind.name, len(lines))
		if len(lines) == 0 {
			b.WriteString("None.\n")
		}
		for _, l := range lines {
			fmt.Fprintf(&b, "- %s\n", md(l))
		}
		b.WriteString("\n")
	}
	for _, p := range r.Packages {
		if p.Err != nil {
			fmt.Fprintf(&b, "#### `%s` did not build\n\nSo its changes are not known; adapt it to the regenerated `gen/`.\n\n```\n%v\n```\n\n", p.Path, p.Err)
		}
	}
	return b.String()
}

func changeLines(pkgs []Package, pick func(Package) []string, name func(string) string) []string {
	var out []string
	for _, p := range pkgs {
		for _, c := range pick(p) {
			out = append(out, name(p.Path)+": "+c)
		}
	}
	return out
}

func plain(s string) string { return s }

func code(s string) string { return "`" + s + "`" }

func indent(s, prefix string) string {
	return strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n"+prefix)
}

// md keeps text from opening HTML in a job summary.
func md(s string) string {
	return strings.NewReplacer("<", "&lt;", ">", "&gt;").Replace(s)
}
