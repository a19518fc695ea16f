package main

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"golang.org/x/mod/semver"
)

// Changelog is CHANGELOG.md in the Keep a Changelog 1.1.0 format: an
// optional Unreleased section, then one section per release, newest
// first.
type Changelog struct {
	Unreleased *Section
	Releases   []Section // newest first
}

// Section is one "## [...]" heading and what follows it up to the next.
type Section struct {
	Version string // "0.1.0"; "" for Unreleased
	Date    string // YYYY-MM-DD; "" for Unreleased
	Line    int    // of the heading, from 1
	Body    string // trimmed
}

// The kinds of change Keep a Changelog names, the only "###" headings a
// section may have.
func changeKinds() []string {
	return []string{"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"}
}

// ParseChangelog reads the document named name (for errors), checking what
// the release tooling relies on: every heading is `## [Unreleased]` or
// `## [X.Y.Z] - YYYY-MM-DD`, Unreleased comes first, releases are newest
// first with no version twice, each "###" is a kind of change, and each
// heading has its link reference at the end. Errors name the line and the
// field.
func ParseChangelog(name, doc string) (Changelog, error) {
	releaseHeading := regexp.MustCompile(`^## \[([^\]]*)\](?: - (.*))?$`)
	linkReference := regexp.MustCompile(`^\[([^\]]+)\]: \S+$`)
	var c Changelog
	var cur *Section
	var body []string
	links := map[string]bool{}
	flush := func() {
		if cur != nil {
			cur.Body = strings.TrimSpace(strings.Join(body, "\n"))
			if cur.Version == "" {
				c.Unreleased = cur
			} else {
				c.Releases = append(c.Releases, *cur)
			}
		}
		cur, body = nil, nil
	}
	lines := strings.Split(strings.ReplaceAll(doc, "\r\n", "\n"), "\n")
	if len(lines) == 0 || lines[0] != "# Changelog" {
		return c, fmt.Errorf("%s:1: the title must be %q", name, "# Changelog")
	}
	for i, line := range lines {
		n := i + 1
		if m := linkReference.FindStringSubmatch(line); m != nil {
			flush()
			links[m[1]] = true
			continue
		}
		if !strings.HasPrefix(line, "## ") {
			if strings.HasPrefix(line, "### ") && cur != nil {
				kind := strings.TrimPrefix(line, "### ")
				if !contains(changeKinds(), kind) {
					return c, fmt.Errorf("%s:%d: change kind %q: want one of %s", name, n, kind, strings.Join(changeKinds(), ", "))
				}
			}
			if cur != nil {
				body = append(body, line)
			}
			continue
		}
		flush()
		m := releaseHeading.FindStringSubmatch(line)
		if m == nil {
			return c, fmt.Errorf("%s:%d: heading %q: want \"## [Unreleased]\" or \"## [X.Y.Z] - YYYY-MM-DD\"", name, n, line)
		}
		s := Section{Line: n}
		switch m[1] {
		case "Unreleased":
			if m[2] != "" {
				return c, fmt.Errorf("%s:%d: the Unreleased heading has no date", name, n)
			}
			if c.Unreleased != nil || len(c.Releases) > 0 {
				return c, fmt.Errorf("%s:%d: Unreleased must be the first section, and only once", name, n)
			}
		default:
			if err := checkVersion(m[1]); err != nil {
				return c, fmt.Errorf("%s:%d: version: %w", name, n, err)
			}
			if _, err := time.Parse(time.DateOnly, m[2]); err != nil {
				return c, fmt.Errorf("%s:%d: date of %s: %q is not YYYY-MM-DD", name, n, m[1], m[2])
			}
			if len(c.Releases) > 0 {
				prev := c.Releases[len(c.Releases)-1]
				if semver.Compare("v"+m[1], "v"+prev.Version) >= 0 {
					return c, fmt.Errorf("%s:%d: version: %s comes after %s (line %d): releases go newest first, each once", name, n, m[1], prev.Version, prev.Line)
				}
			}
			s.Version, s.Date = m[1], m[2]
		}
		cur = &s
	}
	flush()
	for _, s := range c.sections() {
		key := s.Version
		if key == "" {
			key = "Unreleased"
		}
		if !links[key] {
			return c, fmt.Errorf("%s:%d: no link reference for [%s] (a line \"[%s]: URL\" at the end)", name, s.Line, key, key)
		}
	}
	return c, nil
}

func (c Changelog) sections() []Section {
	var out []Section
	if c.Unreleased != nil {
		out = append(out, *c.Unreleased)
	}
	return append(out, c.Releases...)
}

// Latest is the newest release, if there is one.
func (c Changelog) Latest() (Section, bool) {
	if len(c.Releases) == 0 {
		return Section{}, false
	}
	return c.Releases[0], true
}

// Release is the section of version v ("0.1.0").
func (c Changelog) Release(v string) (Section, bool) {
	for _, s := range c.Releases {
		if s.Version == v {
			return s, true
		}
	}
	return Section{}, false
}

// checkVersion accepts a release version as this project writes it: X.Y.Z,
// or X.Y.Z-PRERELEASE, without a "v" and without build metadata.
func checkVersion(v string) error {
	switch {
	case v == "":
		return fmt.Errorf("empty: want X.Y.Z")
	case strings.HasPrefix(v, "v"):
		return fmt.Errorf("%q: write it without the v (the tag is v%s)", v, strings.TrimPrefix(v, "v"))
	case !semver.IsValid("v"+v) || semver.Canonical("v"+v) != "v"+v:
		return fmt.Errorf("%q is not a semantic version X.Y.Z", v)
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
