package main

import (
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dronline/connected-go/connected"
)

// requireTool returns the path of a program a test needs. Outside CI a
// missing one skips the test and says so; with CI=true it fails, so CI
// never passes by skipping.
func requireTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err == nil {
		return p
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is not installed, and CI=true: this test must run in CI", name)
	}
	t.Skipf("%s is not installed; skipping (with CI=true this fails)", name)
	return ""
}

// The Node example runs against the mock: a client in another language,
// with no SDK, through the API and the sandbox control API.
func TestSandboxNodeExample(t *testing.T) {
	// A process of its own: it runs alongside the other tests.
	t.Parallel()
	node := requireTool(t, "node")
	base, key, _, stop, wait := startMock(t, "mock", "--addr", "127.0.0.1:0")
	cmd := exec.CommandContext(t.Context(), node, "--test")
	cmd.Dir = filepath.Join("..", "..", "examples", "sandbox-node")
	cmd.Env = append(os.Environ(), connected.EnvBaseURL+"="+base, connected.EnvAPIKey+"="+key, "NODE_NO_WARNINGS=1")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "node --test:\n%s", out)
	assert.Contains(t, string(out), "# pass 3")
	assert.Contains(t, string(out), "# fail 0")
	stop()
	code, _ := wait()
	assert.Equal(t, exitOK, code)
}

func TestMockControlAPIOnLoopbackOnly(t *testing.T) {
	base, _, _, stop, wait := startMock(t, "mock", "--addr", "127.0.0.1:0")
	resp, err := http.Get(strings.TrimSuffix(base, "/v1") + "/_sandbox/clock")
	require.NoError(t, err)
	var clock map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&clock))
	_ = resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "sandbox_clock", clock["object"])
	stop()
	wait()

	r := runCLI(t, nil, "mock", "--addr", "127.0.0.1:0", "--control-token", "sk_sandbox_x")
	assert.Equal(t, exitConfig, r.code)
	assert.Contains(t, r.stderr, "--control-token must not look like an API key")
}

func TestMockCatalogueFile(t *testing.T) {
	dir := t.TempDir()
	yamlFile := filepath.Join(dir, "catalogue.yaml")
	require.NoError(t, os.WriteFile(yamlFile, []byte(`
timezone: Europe/Paris
appointment_types:
  - id: aptype_physio
    name: Physiotherapy
    duration_minutes: 45
    price_in_cents: 5000
practitioners:
  - id: prac_dupont
    name: Dr Marie Dupont
    appointment_type_ids: [aptype_physio]
    working_hours:
      - {weekday: tuesday, start: 09:00, end: "12:30"}
`), 0o600))
	base, key, _, stop, wait := startMock(t, "mock", "--addr", "127.0.0.1:0", "--catalogue", yamlFile)
	r := runCLI(t, map[string]string{connected.EnvAPIKey: key, connected.EnvBaseURL: base}, "practitioners", "list")
	assert.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "prac_dupont")
	assert.NotContains(t, r.stdout, "prac_ahmed")
	stop()
	wait()

	for name, tc := range map[string]struct{ file, content, want string }{
		"yaml field":  {"c.yml", "appointment_types: [{id: a, name: A, duration_minutes: 0, price_in_cents: 1}]\npractitioners: [{id: p, name: P, appointment_type_ids: [a], working_hours: []}]\n", "appointment_types[0].duration_minutes: must be at least 1"},
		"json field":  {"c.json", `{"appointment_types":[{"id":"a","name":"A","duration_minutes":5,"price_in_cents":1}],"practitioners":[{"id":"p","name":"P","appointment_type_ids":["a"],"working_hours":[{"weekday":"monday","start":"9am","end":"12:00"}]}]}`, "practitioners[0].working_hours[0].start"},
		"unknown":     {"c.json", `{"timezone":"UTC","colour":"red"}`, `unknown field "colour"`},
		"wrong type":  {"c.json", `{"appointment_types":[{"id":"a","name":"A","duration_minutes":"five"}]}`, "appointment_types.duration_minutes: must be a number"},
		"not yaml":    {"c.yaml", "a: [", "not valid YAML"},
		"no such one": {"", "", "no such file"},
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, "missing.json")
			if tc.file != "" {
				path = filepath.Join(dir, tc.file)
				require.NoError(t, os.WriteFile(path, []byte(tc.content), 0o600))
			}
			r := runCLI(t, nil, "mock", "--addr", "127.0.0.1:0", "--catalogue", path)
			assert.Equal(t, exitConfig, r.code)
			assert.Contains(t, r.stderr, tc.want)
			assert.Empty(t, r.stdout, "refused before it listens")
		})
	}
}
