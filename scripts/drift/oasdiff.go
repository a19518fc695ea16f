package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/dronline/connected-go/internal/canonjson"
)

// The pinned oasdiff. It runs as `go run module@version` so that its newer
// Go requirement never enters this module's go.mod.
const (
	oasdiffModule  = "github.com/oasdiff/oasdiff"
	oasdiffVersion = "v1.36.0"
)

// severityLevels reclassifies what the Connected API documents as additive
// ("Additive changes may ship without a date bump"; the error code enum says
// "New codes may be added"): a value added to a response enum is
// information, not a breaking change. The SDK keeps an unknown enum value
// as sent, never failing the call (connected's
// TestDecodingAcceptsWhateverTheServerSent), so such a change breaks no
// user of this SDK. oasdiff's format: one "rule-id LEVEL" per line.
const severityLevels = `response-property-enum-value-added INFO
response-mediatype-enum-value-added INFO
`

// oasdiffTimeout covers a cold `go run`, which downloads and builds oasdiff.
const oasdiffTimeout = 10 * time.Minute

// Change is one entry of oasdiff's changelog (its --format json).
type Change struct {
	ID        string `json:"id"`
	Text      string `json:"text"`
	Level     int    `json:"level"` // 3 error, 2 warning, 1 info
	Operation string `json:"operation"`
	Path      string `json:"path"`
	Section   string `json:"section"`
}

// Breaking reports what oasdiff itself counts as breaking: errors and
// warnings.
func (c Change) Breaking() bool { return c.Level >= 2 }

// Where is the endpoint ("GET /connected/slots") or the section the change
// is in.
func (c Change) Where() string {
	if c.Path != "" {
		return strings.TrimSpace(c.Operation + " " + c.Path)
	}
	return c.Section
}

// oasdiffCommand is $OASDIFF split on spaces (tests point it at a binary
// they built once), or the pinned `go run`.
func oasdiffCommand(env string) []string {
	if f := strings.Fields(env); len(f) > 0 {
		return f
	}
	return []string{"go", "run", oasdiffModule + "@" + oasdiffVersion}
}

// changelog runs `oasdiff changelog` on the two documents, provenance
// removed so that it never shows up as a change. The documents go through
// files in a temporary directory: oasdiff is never handed the URL, and is
// told not to follow external $refs, because the official document is
// untrusted input.
func changelog(ctx context.Context, command []string, pinned, official map[string]any) ([]Change, error) {
	dir, err := os.MkdirTemp("", "drift-")
	if err != nil {
		return nil, err
	}
	defer func() { _ = os.RemoveAll(dir) }()
	base, err := writeDoc(dir, "pinned.json", withoutProvenance(pinned))
	if err != nil {
		return nil, err
	}
	rev, err := writeDoc(dir, "official.json", withoutProvenance(official))
	if err != nil {
		return nil, err
	}

	levels := filepath.Join(dir, "severity-levels.txt")
	if err := os.WriteFile(levels, []byte(severityLevels), 0o600); err != nil {
		return nil, err
	}

	ctx, cancel := context.WithTimeout(ctx, oasdiffTimeout)
	defer cancel()
	args := append(append([]string(nil), command[1:]...),
		"changelog", base, rev, "--format", "json", "--allow-external-refs=false", "--severity-levels", levels)
	cmd := exec.CommandContext(ctx, command[0], args...) // #nosec G204 -- the command is the pinned default or the caller's $OASDIFF
	// Outside the module, so that `go run module@version` sees no go.mod.
	cmd.Dir = dir
	cmd.Env = oasdiffEnv(command)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("oasdiff could not compare the documents (%s): %w\n%s",
			strings.Join(append(command, "changelog"), " "), err, lastLines(stderr.String(), 15))
	}
	var changes []Change
	if err := json.Unmarshal(stdout.Bytes(), &changes); err != nil {
		return nil, fmt.Errorf("oasdiff wrote a changelog that is not the JSON expected: %w", err)
	}
	// Breaking first, then by place, so the report reads top-down by risk.
	sort.SliceStable(changes, func(i, j int) bool {
		if changes[i].Level != changes[j].Level {
			return changes[i].Level > changes[j].Level
		}
		return changes[i].Where() < changes[j].Where()
	})
	return changes, nil
}

// oasdiffEnv lets `go run`/`go install` of oasdiff switch to the Go release
// oasdiff requires when the running one is older. Whatever GOTOOLCHAIN says
// for this module (local, or a release pinned by name, as CI jobs often
// set) applies to our code, not to this pinned tool, which needs what it
// needs.
func oasdiffEnv(command []string) []string {
	env := os.Environ()
	if filepath.Base(command[0]) == "go" {
		env = append(env, "GOTOOLCHAIN=auto")
	}
	return env
}

func writeDoc(dir, name string, doc map[string]any) (string, error) {
	// Indented, so oasdiff's messages can point at lines if ever needed.
	out, err := canonjson.MarshalIndent(doc)
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, name)
	return path, os.WriteFile(path, out, 0o600)
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
