package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const goodChangelog = `# Changelog

Intro text.

## [Unreleased]

### Fixed

- A thing.

## [1.0.0] - 2027-02-01

### Removed

- The old thing.

## [0.2.0-rc.1] - 2027-01-15

## [0.1.0] - 2026-12-01

### Added

- Everything.
  Over two lines.

[Unreleased]: https://example.com/compare/v1.0.0...HEAD
[1.0.0]: https://example.com/v1.0.0
[0.2.0-rc.1]: https://example.com/v0.2.0-rc.1
[0.1.0]: https://example.com/v0.1.0
`

func TestParseChangelog(t *testing.T) {
	t.Parallel()
	c, err := ParseChangelog("CHANGELOG.md", goodChangelog)
	require.NoError(t, err)
	require.NotNil(t, c.Unreleased)
	assert.Equal(t, "### Fixed\n\n- A thing.", c.Unreleased.Body)
	require.Len(t, c.Releases, 3)
	latest, ok := c.Latest()
	require.True(t, ok)
	assert.Equal(t, Section{Version: "1.0.0", Date: "2027-02-01", Line: 11, Body: "### Removed\n\n- The old thing."}, latest)
	s, ok := c.Release("0.1.0")
	require.True(t, ok)
	assert.Equal(t, "### Added\n\n- Everything.\n  Over two lines.", s.Body)
	s, ok = c.Release("0.2.0-rc.1")
	require.True(t, ok)
	assert.Empty(t, s.Body)
	_, ok = c.Release("0.3.0")
	assert.False(t, ok)

	c, err = ParseChangelog("CHANGELOG.md", "# Changelog\n\n## [Unreleased]\n\n[Unreleased]: https://example.com\n")
	require.NoError(t, err)
	_, ok = c.Latest()
	assert.False(t, ok, "no release yet")
}

func TestParseChangelogErrors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, edit, want string
	}{
		{"title", "s/# Changelog/# Changes/", `CHANGELOG.md:1: the title must be "# Changelog"`},
		{"heading without brackets", "s/## [1.0.0] - 2027-02-01/## 1.0.0 - 2027-02-01/", `CHANGELOG.md:11: heading "## 1.0.0 - 2027-02-01": want "## [Unreleased]" or "## [X.Y.Z] - YYYY-MM-DD"`},
		{"v in the version", "s/## [1.0.0]/## [v1.0.0]/", `CHANGELOG.md:11: version: "v1.0.0": write it without the v (the tag is v1.0.0)`},
		{"not semver", "s/## [1.0.0]/## [1.0]/", `CHANGELOG.md:11: version: "1.0" is not a semantic version X.Y.Z`},
		{"no date", "s/## [1.0.0] - 2027-02-01/## [1.0.0]/", `CHANGELOG.md:11: date of 1.0.0: "" is not YYYY-MM-DD`},
		{"bad date", "s/2027-02-01/2027-02-30/", `CHANGELOG.md:11: date of 1.0.0: "2027-02-30" is not YYYY-MM-DD`},
		{"out of order", "s/## [0.2.0-rc.1]/## [1.1.0]/", `CHANGELOG.md:17: version: 1.1.0 comes after 1.0.0 (line 11): releases go newest first, each once`},
		{"twice", "s/## [0.2.0-rc.1]/## [1.0.0]/", `CHANGELOG.md:17: version: 1.0.0 comes after 1.0.0 (line 11)`},
		{"Unreleased with a date", "s/## [Unreleased]/## [Unreleased] - 2027-01-01/", "CHANGELOG.md:5: the Unreleased heading has no date"},
		{"Unreleased not first", "s/## [0.1.0] - 2026-12-01/## [Unreleased]/", "CHANGELOG.md:19: Unreleased must be the first section, and only once"},
		{"unknown kind of change", "s/### Removed/### Breaking/", `CHANGELOG.md:13: change kind "Breaking": want one of Added, Changed, Deprecated, Removed, Fixed, Security`},
		{"no link", "s/[0.1.0]: https:\\/\\/example.com\\/v0.1.0//", "CHANGELOG.md:19: no link reference for [0.1.0]"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc := sed(t, goodChangelog, c.edit)
			_, err := ParseChangelog("CHANGELOG.md", doc)
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.want)
		})
	}
}

// sed applies one "s/OLD/NEW/" to doc (\/ for a slash), failing the test if
// OLD is not there, so that no case silently tests the good document.
func sed(t *testing.T, doc, edit string) string {
	t.Helper()
	parts := strings.Split(strings.ReplaceAll(strings.TrimSuffix(strings.TrimPrefix(edit, "s/"), "/"), `\/`, "\x00"), "/")
	require.Len(t, parts, 2, "fixture: bad edit %q", edit)
	oldText, newText := strings.ReplaceAll(parts[0], "\x00", "/"), strings.ReplaceAll(parts[1], "\x00", "/")
	require.Contains(t, doc, oldText, "fixture: %q is not in the document", oldText)
	return strings.Replace(doc, oldText, newText, 1)
}
