package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/dronline/connected-go/internal/goapi"
)

// DefaultURL is where the Connected API serves its official spec: on the
// API host's root, not under the /v1 base path of the operations.
const DefaultURL = "https://api.dronline.uk/api/partner/openapi-partner-v1.json"

// DefaultMaxBytes bounds the download: the pinned spec is about 100 KB, so
// anything near this is not the spec.
const DefaultMaxBytes = 10 << 20

// pinnedPath is api.Path; the program reads the file on disk rather than the
// embedded copy so that a built binary never compares against stale bytes.
const pinnedPath = "api/openapi-partner-v1.json"

// Options configures one check.
type Options struct {
	URL        string
	PinnedPath string
	Timeout    time.Duration
	MaxBytes   int64
	// Oasdiff is the command (name and leading arguments) that runs oasdiff.
	Oasdiff []string
	// Progress receives a line before each slow step; may be nil.
	Progress io.Writer
	// GoAPI, if set, is the apidiff that tells, on drift, what regenerating
	// gen/ from the official spec would do to the exported Go API of the
	// module at ModuleDir (see goAPIOfOfficial).
	GoAPI     *goapi.Tool
	ModuleDir string
}

// Status is the outcome of a check.
type Status int

// The three outcomes, one per exit status.
const (
	StatusSame Status = iota
	StatusDrift
	StatusFailed
)

// Result is what a check found. Changes and OtherDiffs are set on drift;
// Err on failure.
type Result struct {
	Status Status
	URL    string // redacted: no query, no credentials
	Pinned string // the pinned spec's path
	// PinnedVersion and OfficialVersion are the documents' info.version.
	PinnedVersion, OfficialVersion string
	// Official is the parsed official document (for -update).
	Official map[string]any
	// Changes is oasdiff's changelog, breaking changes first.
	Changes []Change
	// OtherDiffs lists JSON locations that differ, for drift oasdiff has no
	// check for (descriptions, examples); capped.
	OtherDiffs []string
	Err        error
	// Updated is set when -update wrote the official spec to Pinned.
	Updated bool
	// Regenerated is set when -update also regenerated gen/ from it.
	Regenerated bool
	// GoAPI says what the change does to the exported Go API; nil when
	// not asked for.
	GoAPI *goapi.Report
}

// Check fetches the official spec and compares it with the pinned one. It
// never returns StatusSame unless both documents were read and compared.
func Check(ctx context.Context, o Options) Result {
	res := Result{URL: redactURL(o.URL), Pinned: o.PinnedPath}

	pinnedBytes, err := os.ReadFile(o.PinnedPath)
	if err != nil {
		return failed(res, fmt.Errorf("reading the pinned spec: %w", err))
	}
	pinned, err := parseOpenAPI(pinnedBytes, "")
	if err != nil {
		return failed(res, fmt.Errorf("the pinned spec %s: %w", o.PinnedPath, err))
	}
	res.PinnedVersion = infoVersion(pinned)

	body, contentType, err := fetch(ctx, o.URL, o.Timeout, o.MaxBytes)
	if err != nil {
		return failed(res, err)
	}
	official, err := parseOpenAPI(body, contentType)
	if err != nil {
		return failed(res, fmt.Errorf("the body from %s: %w", res.URL, err))
	}
	res.Official = official
	res.OfficialVersion = infoVersion(official)

	diffs := contractDiffs(pinned, official, maxOtherDiffs)
	if len(diffs) == 0 {
		res.Status = StatusSame
		return res
	}
	if o.Progress != nil {
		_, _ = fmt.Fprintf(o.Progress, "drift: the documents differ; asking oasdiff what changed (%s)…\n", strings.Join(o.Oasdiff, " "))
	}
	changes, err := changelog(ctx, o.Oasdiff, pinned, official)
	if err != nil {
		return failed(res, err)
	}
	res.Status = StatusDrift
	res.Changes = changes
	res.OtherDiffs = diffs
	if o.GoAPI != nil {
		res.GoAPI = goAPIOfOfficial(ctx, *o.GoAPI, o.ModuleDir, official, res.URL, o.Progress)
	}
	return res
}

func failed(res Result, err error) Result {
	res.Status = StatusFailed
	res.Err = err
	return res
}

// Breaking counts the changes oasdiff calls breaking.
func (r Result) Breaking() int {
	n := 0
	for _, c := range r.Changes {
		if c.Breaking() {
			n++
		}
	}
	return n
}
