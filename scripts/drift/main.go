// Command drift compares the pinned contract, api/openapi-partner-v1.json,
// with the official spec the Connected API serves, and says in one read
// what changed and whether it breaks the SDK.
//
//	go run ./scripts/drift [-url URL] [-spec FILE] [-report FILE]
//	go run ./scripts/drift -update   # write the official spec into -spec, regenerate gen/
//
// Exit status: 0 same contract, 1 drift, 2 the check could not run. A
// failure to fetch or read the official spec is never reported as "no
// drift". Environment: DRONLINE_SPEC_URL (the URL), DRIFT_REPORT (a file to
// write the Markdown report to, e.g. for a CI job summary), DRIFT_RESULT (a
// file to append "result=same|drift|error" to, e.g. $GITHUB_OUTPUT, because
// make flattens every failing exit status to 2), OASDIFF (the command that
// runs oasdiff; by default `go run` of the pinned version), APIDIFF (the
// same for apidiff), DRIFT_GOAPI=off (no Go API report).
//
// On drift, the report also says what regenerating gen/ from the official
// spec does to the exported Go API of gen and connected, and whether the
// next release is a major, minor or patch one: the check generates into a
// temporary directory and compares with apidiff, loading the packages
// through a go command overlay of those files on the tree's. -update writes
// the official spec, regenerates gen/ in place (scripts/generate.sh) and
// reports the same, comparing with the API recorded before.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/dronline/connected-go/api"
	"github.com/dronline/connected-go/internal/goapi"
)

// Exit statuses, part of the interface of `make drift`.
const (
	exitSame   = 0
	exitDrift  = 1
	exitFailed = 2
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("drift", flag.ContinueOnError)
	fs.SetOutput(stderr)
	opts := Options{}
	fs.StringVar(&opts.URL, "url", envOr("DRONLINE_SPEC_URL", DefaultURL), "URL of the official spec (env DRONLINE_SPEC_URL)")
	fs.StringVar(&opts.PinnedPath, "spec", pinnedPath, "the pinned spec")
	fs.DurationVar(&opts.Timeout, "timeout", 30*time.Second, "timeout of the whole fetch")
	fs.Int64Var(&opts.MaxBytes, "max-bytes", DefaultMaxBytes, "refuse a spec larger than this")
	report := fs.String("report", os.Getenv("DRIFT_REPORT"), "write the Markdown report to this file (env DRIFT_REPORT)")
	result := fs.String("result", os.Getenv("DRIFT_RESULT"), `append "result=same|drift|error" to this file (env DRIFT_RESULT)`)
	update := fs.Bool("update", false, "write the official spec, with its provenance, to -spec, and regenerate gen/ from it")
	if err := fs.Parse(args); err != nil {
		return exitFailed
	}
	if fs.NArg() > 0 {
		_, _ = fmt.Fprintf(stderr, "drift: unexpected arguments %q\n", fs.Args())
		return exitFailed
	}
	opts.Oasdiff = oasdiffCommand(os.Getenv("OASDIFF"))
	opts.Progress = stderr
	var tool *goapi.Tool
	if os.Getenv("DRIFT_GOAPI") != "off" {
		tool = &goapi.Tool{Command: goapi.Command(os.Getenv("APIDIFF"))}
	}
	root, rootErr := goapi.ModuleRoot(".")

	ctx := context.Background()
	if !*update && tool != nil {
		if rootErr != nil {
			_, _ = fmt.Fprintln(stderr, "drift: no Go API report:", rootErr)
		} else {
			opts.GoAPI, opts.ModuleDir = tool, root
		}
	}
	res := Check(ctx, opts)
	code := exitCode(res)
	if *update && res.Status != StatusFailed {
		res = updateSpec(ctx, res, opts, tool, root, stderr)
		if res.Status == StatusFailed {
			code = exitFailed
		}
	}

	if res.Status == StatusFailed {
		_, _ = fmt.Fprintln(stderr, Text(res))
	} else {
		_, _ = fmt.Fprintln(stdout, Text(res))
	}
	if res.Updated && res.Status != StatusFailed {
		if res.Regenerated {
			_, _ = fmt.Fprintf(stdout, "drift: wrote the official spec to %s and regenerated gen/; review `git diff api gen`.\n", opts.PinnedPath)
		} else {
			_, _ = fmt.Fprintf(stdout, "drift: wrote the official spec to %s; it is not this module's %s, so gen/ was not regenerated.\n", opts.PinnedPath, api.Path)
		}
		code = exitSame
	}
	if *report != "" {
		// #nosec G703 -- the path is the caller's own -report / DRIFT_REPORT.
		if err := os.WriteFile(*report, []byte(Markdown(res)), 0o600); err != nil {
			_, _ = fmt.Fprintln(stderr, "drift: writing the report:", err)
			code = exitFailed
		}
	}
	if *result != "" {
		if err := appendResult(*result, code); err != nil {
			_, _ = fmt.Fprintln(stderr, "drift: writing the result:", err)
			code = exitFailed
		}
	}
	return code
}

// updateSpec writes the official spec to the pinned path and, when that is
// the module's own spec, regenerates gen/ with the module's generator. With
// tool set, it records the exported Go API before and compares after. A
// failure to write or to regenerate is a failed update.
func updateSpec(ctx context.Context, res Result, opts Options, tool *goapi.Tool, root string, progress io.Writer) Result {
	inModule := root != "" && isModuleSpec(root, opts.PinnedPath)
	var snapshot string
	if inModule && tool != nil {
		dir, err := os.MkdirTemp("", "drift-goapi-")
		if err != nil {
			return failed(res, err)
		}
		defer func() { _ = os.RemoveAll(dir) }()
		say(progress, "drift: recording the Go API of %s before the update (apidiff)…", strings.Join(goapi.Packages(), ", "))
		if err := tool.Snapshot(ctx, root, dir, goapi.Packages()); err != nil {
			res.GoAPI = &goapi.Report{Err: err}
		} else {
			snapshot = dir
		}
	}
	if err := writeOfficial(opts.PinnedPath, res.Official, redactURL(opts.URL), time.Now()); err != nil {
		return failed(res, fmt.Errorf("writing %s: %w", opts.PinnedPath, err))
	}
	res.Updated = true
	if !inModule {
		return res
	}
	say(progress, "drift: regenerating gen/ from the official spec…")
	if err := regenerate(ctx, root, "", ""); err != nil {
		return failed(res, fmt.Errorf("wrote the official spec to %s, but regenerating gen/ failed: %w", opts.PinnedPath, err))
	}
	res.Regenerated = true
	if snapshot != "" {
		r := tool.Diff(ctx, snapshot, root, goapi.Packages())
		res.GoAPI = &r
	}
	return res
}

func exitCode(res Result) int {
	switch res.Status {
	case StatusSame:
		return exitSame
	case StatusDrift:
		return exitDrift
	default:
		return exitFailed
	}
}

// appendResult lets a CI step tell drift (1) from a failed check (2) even
// when make has turned both into its own exit status 2.
func appendResult(path string, code int) error {
	word := map[int]string{exitSame: "same", exitDrift: "drift"}[code]
	if word == "" {
		word = "error"
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600) // #nosec G304 G703 -- the caller's own -result / DRIFT_RESULT
	if err != nil {
		return err
	}
	if _, err := fmt.Fprintf(f, "result=%s\n", word); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}
