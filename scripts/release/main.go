// Command release is the release tooling of this module, run from within
// it (see "Releasing" in README.md):
//
//	go run ./scripts/release notes VERSION   # CHANGELOG.md's section of VERSION (v0.1.0 or 0.1.0)
//	go run ./scripts/release check-tag TAG   # TAG is v + the newest release of CHANGELOG.md and of connected.Version
//	go run ./scripts/release apicheck [-base TAG]
//	go run ./scripts/release tags VERSION    # the tag of every published module at VERSION
//	go run ./scripts/release rehearse        # publish every module to a file proxy and use it as a new user
//
// apicheck compares the exported Go API of every published module (gen,
// connected and otelconnected) with the last
// release tag (`git describe --tags --abbrev=0 --match 'v*'`, or -base)
// using the pinned apidiff, and fails on an incompatible change unless
// connected.Version changes the major version. With no release tag yet it
// says so and succeeds. APIDIFF names a prebuilt apidiff.
//
// Exit status: 0 fine, 1 the check failed, 2 usage or the check could not
// run.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/dronline/connected-go/internal/goapi"
)

const (
	exitOK     = 0
	exitFailed = 1
	exitError  = 2
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

const usage = `usage:
  release notes VERSION
  release check-tag TAG
  release apicheck [-base TAG]
  release tags VERSION
  release rehearse`

// problem is a check that failed (exit 1), as opposed to one that could not
// run (exit 2).
type problem struct{ msg string }

func (p problem) Error() string { return p.msg }

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		_, _ = fmt.Fprintln(stderr, usage)
		return exitError
	}
	root, err := goapi.ModuleRoot(".")
	if err != nil {
		_, _ = fmt.Fprintln(stderr, "release:", err)
		return exitError
	}
	switch {
	case args[0] == "notes" && len(args) == 2:
		err = notes(root, args[1], stdout)
	case args[0] == "check-tag" && len(args) == 2:
		err = checkTag(root, args[1], stdout)
	case args[0] == "tags" && len(args) == 2:
		err = tags(root, args[1], stdout)
	case args[0] == "rehearse" && len(args) == 1:
		err = rehearse(ctx, root, stdout, stderr)
	case args[0] == "apicheck":
		fs := flag.NewFlagSet("apicheck", flag.ContinueOnError)
		fs.SetOutput(stderr)
		base := fs.String("base", "", "the release tag to compare with (default: the last v* tag)")
		if err := fs.Parse(args[1:]); err != nil {
			return exitError
		}
		if fs.NArg() > 0 {
			_, _ = fmt.Fprintf(stderr, "release: apicheck: unexpected arguments %q\n%s\n", fs.Args(), usage)
			return exitError
		}
		tool := goapi.Tool{Command: goapi.Command(os.Getenv("APIDIFF"))}
		err = apicheck(ctx, tool, root, *base, stdout, stderr)
	default:
		_, _ = fmt.Fprintf(stderr, "release: unknown command or arguments %q\n%s\n", args, usage)
		return exitError
	}
	var p problem
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &p):
		_, _ = fmt.Fprintln(stderr, "release:", err)
		return exitFailed
	default:
		_, _ = fmt.Fprintln(stderr, "release:", err)
		return exitError
	}
}

func readChangelog(root string) (Changelog, error) {
	b, err := os.ReadFile(filepath.Join(root, "CHANGELOG.md")) // #nosec G304 -- the module's own file
	if err != nil {
		return Changelog{}, err
	}
	return ParseChangelog("CHANGELOG.md", string(b))
}

// notes prints the section of a release, for the GitHub release's body.
func notes(root, version string, stdout io.Writer) error {
	c, err := readChangelog(root)
	if err != nil {
		return err
	}
	v := strings.TrimPrefix(version, "v")
	s, ok := c.Release(v)
	if !ok {
		return problem{fmt.Sprintf("CHANGELOG.md has no section for %s: add \"## [%s] - YYYY-MM-DD\"", v, v)}
	}
	_, err = fmt.Fprintln(stdout, s.Body)
	return err
}

// checkTag holds a release tag to the version the code and the changelog
// say.
func checkTag(root, tag string, stdout io.Writer) error {
	if !strings.HasPrefix(tag, "v") || checkVersion(strings.TrimPrefix(tag, "v")) != nil {
		return problem{fmt.Sprintf("tag %q: want vX.Y.Z", tag)}
	}
	c, err := readChangelog(root)
	if err != nil {
		return err
	}
	latest, ok := c.Latest()
	if !ok {
		return problem{"CHANGELOG.md has no release section"}
	}
	code, err := sourceVersion(root)
	if err != nil {
		return err
	}
	var wrong []string
	if "v"+latest.Version != tag {
		wrong = append(wrong, fmt.Sprintf("the newest release in CHANGELOG.md is %s (line %d)", latest.Version, latest.Line))
	}
	if "v"+code != tag {
		wrong = append(wrong, fmt.Sprintf("connected.Version (%s) is %q", versionFile, code))
	}
	reqs, err := requirementsAt(root, tag)
	if err != nil {
		return err
	}
	wrong = append(wrong, reqs...)
	if len(wrong) > 0 {
		return problem{fmt.Sprintf("tag %s does not match: %s", tag, strings.Join(wrong, "; "))}
	}
	_, err = fmt.Fprintf(stdout, "release: tag %s is CHANGELOG.md's newest release (%s) and connected.Version.\n", tag, latest.Date)
	return err
}
