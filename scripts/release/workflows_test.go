package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"
)

// The parts of a GitHub Actions workflow these tests read.
type workflow struct {
	On          map[string]any         `yaml:"on"`
	Permissions map[string]string      `yaml:"permissions"`
	Jobs        map[string]workflowJob `yaml:"jobs"`
	raw         string
}

type workflowJob struct {
	If          string            `yaml:"if"`
	Needs       any               `yaml:"needs"`
	Permissions map[string]string `yaml:"permissions"`
	Steps       []struct {
		Name string            `yaml:"name"`
		If   string            `yaml:"if"`
		Uses string            `yaml:"uses"`
		Run  string            `yaml:"run"`
		With map[string]string `yaml:"with"`
	} `yaml:"steps"`
}

func readWorkflow(t *testing.T, name string) workflow {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(moduleRoot(t), ".github", "workflows", name))
	require.NoError(t, err)
	var w workflow
	require.NoError(t, yaml.Unmarshal(b, &w), name)
	w.raw = string(b)
	return w
}

// runs reports whether some step of job runs a command containing s.
func (j workflowJob) runs(s string) bool {
	for _, st := range j.Steps {
		if strings.Contains(st.Run, s) {
			return true
		}
	}
	return false
}

// uses returns the step that uses the action (owner/name), if any.
func (j workflowJob) uses(action string) (map[string]string, bool) {
	for _, st := range j.Steps {
		if strings.HasPrefix(st.Uses, action+"@") {
			return st.With, true
		}
	}
	return nil, false
}

// Actions from outside GitHub's own actions/ are pinned to a commit, with
// the version it is in a comment.
func TestThirdPartyActionsArePinnedByCommit(t *testing.T) {
	t.Parallel()
	uses := regexp.MustCompile(`(?m)^\s*(?:- )?uses: ([^@\s]+)@(\S+)(.*)$`)
	for _, name := range []string{"ci.yml", "contract-drift.yml", "release.yml"} {
		w := readWorkflow(t, name)
		for _, m := range uses.FindAllStringSubmatch(w.raw, -1) {
			action, ref, comment := m[1], m[2], m[3]
			if strings.HasPrefix(action, "actions/") && action != "actions/setup-node" {
				continue
			}
			assert.Regexp(t, `^[0-9a-f]{40}$`, ref, "%s: %s is pinned by commit", name, action)
			assert.Regexp(t, `^ # v\d+\.\d+\.\d+$`, comment, "%s: %s says its version", name, action)
		}
	}
}

func TestContractDriftWorkflow(t *testing.T) {
	t.Parallel()
	w := readWorkflow(t, "contract-drift.yml")
	assert.Equal(t, map[string]string{"contents": "read"}, w.Permissions, "read-only unless a job says otherwise")

	drift := w.Jobs["drift"]
	assert.Empty(t, drift.Permissions, "the check itself only reads")
	assert.True(t, drift.runs("make drift"))
	var failsWhenNotChecked bool
	for _, st := range drift.Steps {
		if st.If == "steps.drift.outputs.result != 'same' && steps.drift.outputs.result != 'drift'" && strings.Contains(st.Run, "exit 2") {
			failsWhenNotChecked = true
		}
	}
	assert.True(t, failsWhenNotChecked, "the run is red when the spec could not be checked")

	pr := w.Jobs["pull-request"]
	assert.Equal(t, "drift", pr.Needs)
	assert.Equal(t, "needs.drift.outputs.result == 'drift'", pr.If, "a pull request only on drift, never when the check could not run")
	assert.Equal(t, map[string]string{"contents": "write", "pull-requests": "write"}, pr.Permissions)
	assert.True(t, pr.runs("make update-spec"))
	with, ok := pr.uses("peter-evans/create-pull-request")
	require.True(t, ok)
	assert.Equal(t, "contract-drift/official-spec", with["branch"], "one branch, so one pull request, updated in place")
	assert.Equal(t, "${{ runner.temp }}/pull-request.md", with["body-path"])
	assert.Equal(t, "api/openapi-partner-v1.json\ngen/\n", with["add-paths"])
	verify := w.Jobs["verify"]
	assert.Empty(t, verify.Needs, "verification does not wait for the drift check")
	assert.True(t, verify.runs(`verify --report "$RUNNER_TEMP/contract-verify.md"`), "the built binary, with a report")
	var saysNotRun, publishes bool
	for _, st := range verify.Steps {
		if st.If == "env.DRONLINE_API_KEY == ''" && strings.Contains(st.Run, "not run") && strings.Contains(st.Run, "$GITHUB_STEP_SUMMARY") {
			saysNotRun = true
		}
		if strings.Contains(st.Run, `cat "$RUNNER_TEMP/contract-verify.md" >> "$GITHUB_STEP_SUMMARY"`) {
			publishes = true
		}
	}
	assert.True(t, saysNotRun, "without a sandbox key the summary says the check did not run")
	assert.True(t, publishes, "the report joins the drift report in the run's summary")
	assert.Contains(t, w.raw, "DRONLINE_API_KEY: ${{ secrets.DRONLINE_SANDBOX_API_KEY }}")

	for name, job := range w.Jobs {
		if name != "pull-request" {
			assert.Empty(t, job.Permissions, "only the pull-request job may write (%s)", name)
		}
	}
}

func TestReleaseWorkflow(t *testing.T) {
	t.Parallel()
	w := readWorkflow(t, "release.yml")
	assert.Equal(t, map[string]any{"push": map[string]any{"tags": []any{"v*"}}}, w.On)
	assert.Equal(t, map[string]string{"contents": "read"}, w.Permissions)

	test := w.Jobs["test"]
	assert.True(t, test.runs("go run ./scripts/release check-tag \"$GITHUB_REF_NAME\""))
	assert.True(t, test.runs("go run ./scripts/release apicheck -base"))
	assert.True(t, test.runs("make test"))
	assert.Empty(t, test.Permissions)

	rel := w.Jobs["release"]
	assert.Equal(t, "test", rel.Needs)
	assert.Equal(t, map[string]string{"contents": "write"}, rel.Permissions)
	assert.True(t, rel.runs(`./scripts/build-release.sh "$GITHUB_REF_NAME" dist`))
	assert.True(t, rel.runs(`go run ./scripts/release notes "$GITHUB_REF_NAME"`))
	with, ok := rel.uses("softprops/action-gh-release")
	require.True(t, ok)
	assert.Equal(t, "dist/dronline_*\ndist/SHA256SUMS\n", with["files"])
	assert.Equal(t, "true", with["fail_on_unmatched_files"])
}

func TestCIWorkflow(t *testing.T) {
	t.Parallel()
	w := readWorkflow(t, "ci.yml")
	compat := w.Jobs["api-compat"]
	assert.True(t, compat.runs("make api-compat"))
	with, ok := compat.uses("actions/checkout")
	require.True(t, ok)
	assert.Equal(t, "0", with["fetch-depth"], "the tags are needed")

	lint := w.Jobs["lint"]
	assert.True(t, lint.runs("make lint"))
	_, ok = lint.uses("actions/setup-node")
	assert.True(t, ok, "make lint runs the spec linters through npx")
}
