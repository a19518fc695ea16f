package rehearsal

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dronline/connected-go/api"
	"github.com/dronline/connected-go/internal/modcopy"
)

// moduleRoot is this module's root, seen from this package's directory.
const moduleRoot = "../.."

// TestRehearsal is `make rehearse`: for each variant, on a fresh copy of
// the module, it serves the patched spec on loopback and runs what a
// maintainer runs — `make update-spec` with DRONLINE_SPEC_URL pointing at
// it, then check-generate, the build, vet and the tests. An additive
// change must touch nothing but the spec and generated files and stay
// green; a breaking one must fail at the step it names. Builds share this
// process's GOCACHE and GOFLAGS, so each copy compiles only what changed.
func TestRehearsal(t *testing.T) {
	if os.Getenv("DRONLINE_REHEARSE") != "1" {
		t.Skip("set DRONLINE_REHEARSE=1 (make rehearse): rehearses every contract change of testdata/ on a copy of the module, a few minutes")
	}
	variants, err := loadVariants("testdata")
	require.NoError(t, err)
	probe, err := os.ReadFile("testdata/probe_test.go.txt")
	require.NoError(t, err)
	root, err := filepath.Abs(moduleRoot)
	require.NoError(t, err)

	began := time.Now()
	for _, v := range variants {
		t.Run(v.Name, func(t *testing.T) {
			start := time.Now()
			r := &run{t: t, dir: filepath.Join(t.TempDir(), "module")}
			require.NoError(t, modcopy.Copy(root, r.dir))
			r.rehearse(v, probe)
			t.Logf("%s (%s) in %s", v.Name, v.Kind, time.Since(start).Round(time.Second))
		})
	}
	t.Logf("rehearsed %d contract changes in %s", len(variants), time.Since(began).Round(time.Second))
}

// run is one variant's rehearsal on one copy of the module.
type run struct {
	t   *testing.T
	dir string
	env []string
}

// A step's name, for a breaking variant's caught_by.
const (
	stepGenerate = "generate"
	stepBuild    = "build"
	stepTest     = "test"
)

func (r *run) rehearse(v variant, probe []byte) {
	t := r.t
	patched, err := v.apply(api.Spec())
	require.NoError(t, err)
	url := serve(t, patched)
	r.env = childEnv("DRONLINE_SPEC_URL=" + url)

	before, err := snapshot(r.dir)
	require.NoError(t, err)
	// The update path itself (fetch, compare, write, make generate) never
	// refuses a change: it is the steps after it that judge.
	out, err := r.cmd("make", "update-spec")
	if v.Kind == breaking && err != nil {
		r.caught(v, stepGenerate, out)
		return
	}
	require.NoError(t, err, "make update-spec:\n%s", out)
	t.Logf("make update-spec reported:\n%s", changelog(out))
	after, err := snapshot(r.dir)
	require.NoError(t, err)
	changed := diffSnapshots(before, after)
	require.Contains(t, changed, api.Path, "the update did not write the spec")
	for _, f := range changed {
		assert.True(t, f == api.Path || strings.HasSuffix(f, ".gen.go") || strings.HasSuffix(f, ".gen_test.go"), "%s changed: only the spec and generated files may", f)
	}
	for file, wants := range v.Expect.Generated {
		b, err := os.ReadFile(filepath.Join(r.dir, file))
		require.NoError(t, err)
		// Compared with runs of white space as one: gofmt aligns columns.
		got := strings.Join(strings.Fields(string(b)), " ")
		for _, w := range wants {
			assert.Truef(t, strings.Contains(got, strings.Join(strings.Fields(w), " ")), "%s after make generate lacks %q", file, w)
		}
	}

	if v.Expect.Probe != nil {
		// After the check above: the probe is the rehearsal's, not an edit
		// the change needed.
		require.NoError(t, os.WriteFile(filepath.Join(r.dir, "connected", "rehearsal_probe_test.go"), probe, 0o600))
		r.env = append(r.env, "REHEARSAL_PROBE="+string(v.Expect.Probe))
	}
	steps := []struct {
		name string
		args []string
	}{
		{stepGenerate, []string{"make", "check-generate"}},
		{stepBuild, []string{"go", "build", "./..."}},
		// vet type-checks every package's tests too.
		{stepBuild, []string{"go", "vet", "./..."}},
		// -short: the drift tool's tests that install oasdiff are not
		// about the contract.
		{stepTest, append([]string{"go", "test", "-count=1", "-short"}, r.packages()...)},
	}
	for _, s := range steps {
		out, err := r.cmd(s.args[0], s.args[1:]...)
		if err != nil {
			if v.Kind == breaking {
				r.caught(v, s.name, out)
				return
			}
			t.Fatalf("additive change %s: %s failed:\n%s", v.Name, strings.Join(s.args, " "), tail(out, 60))
		}
	}
	if v.Kind == breaking {
		t.Fatalf("breaking change %s went through update, build and tests green: nothing caught it", v.Name)
	}
	out, err = r.cmd("go", "test", "-count=1", "-v", "-run", "^(TestUnimplementedOperations|TestRehearsalProbe)$", "./connected/...")
	require.NoError(t, err, out)
	assert.ElementsMatch(t, v.Expect.Unimplemented, listedUnimplemented(out), "operations the fake answers 501:\n%s", out)
	if v.Expect.Probe != nil {
		assert.Contains(t, out, "--- PASS: TestRehearsalProbe", out)
		for _, l := range strings.Split(out, "\n") {
			if strings.Contains(l, "rehearsal_probe_test.go:") {
				t.Logf("probe: %s", strings.TrimSpace(l))
			}
		}
	}
}

// caught records where a breaking change failed, and checks it is where
// the variant says.
func (r *run) caught(v variant, step, out string) {
	r.t.Logf("caught at %s, as a breaking change must be:\n%s", step, tail(out, 15))
	assert.Equal(r.t, v.Expect.CaughtBy, step, "%s was caught, but at another step than expected", v.Name)
}

// packages is every package of the copy but this one: its fixtures are
// patches to the spec as it was, which the copy has just been updated to.
func (r *run) packages() []string {
	out, err := r.cmd("go", "list", "./...")
	require.NoError(r.t, err, out)
	var pkgs []string
	for _, p := range strings.Fields(out) {
		if !strings.HasSuffix(p, "/scripts/rehearsal") {
			pkgs = append(pkgs, p)
		}
	}
	return pkgs
}

func (r *run) cmd(name string, args ...string) (string, error) {
	cmd := exec.Command(name, args...)
	cmd.Dir = r.dir
	cmd.Env = r.env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	shown := strings.Join(args, " ")
	if len(shown) > 60 {
		shown = shown[:60] + "…"
	}
	r.t.Logf("%s %s: %s (%s)", name, shown, status(err), time.Since(start).Round(100*time.Millisecond))
	return out.String(), err
}

func status(err error) string {
	if err != nil {
		return err.Error()
	}
	return "ok"
}

// childEnv is this environment for the copy's commands, without what would
// make them rehearse again, write CI outputs or behave as a sub-make.
func childEnv(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		switch k, _, _ := strings.Cut(kv, "="); k {
		case "DRONLINE_REHEARSE", "DRONLINE_SPEC_URL", "DRIFT_REPORT", "DRIFT_RESULT", "GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY",
			"REHEARSAL_PROBE", "MAKEFLAGS", "MFLAGS", "MAKELEVEL":
			continue
		}
		env = append(env, kv)
	}
	return append(env, extra...)
}

// serve answers every request with the spec, as the official host would.
func serve(t *testing.T, spec []byte) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(spec)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/api/partner/openapi-partner-v1.json"
}

// snapshot hashes every file under dir, by path relative to it.
func snapshot(dir string) (map[string][sha256.Size]byte, error) {
	sums := map[string][sha256.Size]byte{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path) //nolint:gosec // the temporary copy
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		sums[filepath.ToSlash(rel)] = sha256.Sum256(b)
		return nil
	})
	return sums, err
}

// diffSnapshots lists the files added, removed or changed.
func diffSnapshots(before, after map[string][sha256.Size]byte) []string {
	var out []string
	for p, sum := range after {
		if old, ok := before[p]; !ok || old != sum {
			out = append(out, p)
		}
	}
	for p := range before {
		if _, ok := after[p]; !ok {
			out = append(out, p)
		}
	}
	sort.Strings(out)
	return out
}

// listedUnimplemented reads the operations TestUnimplementedOperations
// reported in a -v run.
func listedUnimplemented(out string) []string {
	re := regexp.MustCompile(`not implemented by the fake yet, answers 501 \S+: (\S+) \(`)
	var names []string
	for _, m := range re.FindAllStringSubmatch(out, -1) {
		names = append(names, m[1])
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// changelog is the drift tool's report within make's output.
func changelog(out string) string {
	var keep []string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "go run") || strings.HasPrefix(l, "./scripts/") || strings.HasPrefix(l, "make") {
			continue
		}
		keep = append(keep, l)
	}
	return tail(strings.Join(keep, "\n"), 40)
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = append([]string{fmt.Sprintf("… (%d lines before)", len(lines)-n)}, lines[len(lines)-n:]...)
	}
	return strings.Join(lines, "\n")
}
