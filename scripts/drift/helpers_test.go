package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/dronline/connected-go/api"
)

// binDir holds the programs the tests build once per test binary: oasdiff
// and this command.
var binDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "drift-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	binDir = dir
	code := m.Run()
	_ = os.RemoveAll(dir)
	// No goroutine may outlive the tests (a fetch server not closed, a
	// response body left open).
	if code == 0 {
		if err := goleak.Find(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			code = 1
		}
	}
	os.Exit(code)
}

var oasdiffBuild struct {
	sync.Once
	cmd []string
	err error
}

// oasdiffForTest returns the oasdiff command: $OASDIFF if set, else the
// pinned version installed once into binDir (this needs the Go module
// proxy, which CI has; -short skips the tests that need it).
func oasdiffForTest(t *testing.T) []string {
	t.Helper()
	if testing.Short() {
		t.Skip("-short: skipping a test that runs oasdiff")
	}
	oasdiffBuild.Do(func() {
		if env := strings.Fields(os.Getenv("OASDIFF")); len(env) > 0 {
			oasdiffBuild.cmd = env
			return
		}
		cmd := exec.Command("go", "install", oasdiffModule+"@"+oasdiffVersion)
		cmd.Dir = binDir // no go.mod here: module@version stays out of ours
		cmd.Env = append(oasdiffEnv([]string{"go"}), "GOBIN="+binDir)
		if out, err := cmd.CombinedOutput(); err != nil {
			oasdiffBuild.err = fmt.Errorf("go install %s@%s: %w\n%s", oasdiffModule, oasdiffVersion, err, out)
			return
		}
		oasdiffBuild.cmd = []string{filepath.Join(binDir, "oasdiff")}
	})
	require.NoError(t, oasdiffBuild.err)
	return oasdiffBuild.cmd
}

// clearEnv keeps the caller's environment (a CI job's $DRIFT_REPORT, say)
// out of the command under test.
func clearEnv(t *testing.T) {
	t.Helper()
	for _, k := range []string{"DRONLINE_SPEC_URL", "DRIFT_REPORT", "DRIFT_RESULT", "OASDIFF", "APIDIFF", "DRIFT_GOAPI"} {
		t.Setenv(k, "")
	}
}

// pinnedFile writes the pinned contract to a temporary file, so that tests
// compare against exactly the bytes api.Spec() fixtures are made from.
func pinnedFile(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "openapi-partner-v1.json")
	require.NoError(t, os.WriteFile(path, api.Spec(), 0o600))
	return path
}

// parsedSpec is the pinned contract as a mutable value.
func parsedSpec(t *testing.T) map[string]any {
	t.Helper()
	var doc map[string]any
	require.NoError(t, json.Unmarshal(api.Spec(), &doc))
	return doc
}

// mutated returns the pinned contract with edit applied, as JSON.
func mutated(t *testing.T, edit func(doc map[string]any)) []byte {
	t.Helper()
	doc := parsedSpec(t)
	edit(doc)
	out, err := json.Marshal(doc)
	require.NoError(t, err)
	return out
}

// obj walks doc along keys, failing the test when a key is missing, so a
// fixture never silently mutates nothing.
func obj(t *testing.T, doc map[string]any, keys ...string) map[string]any {
	t.Helper()
	cur := doc
	for _, k := range keys {
		next, ok := cur[k].(map[string]any)
		require.True(t, ok, "fixture: no object at %q in %v", k, keys)
		cur = next
	}
	return cur
}

// The fixtures, each a change the official spec could make.

func addOptionalResponseField(t *testing.T) func(map[string]any) {
	return func(doc map[string]any) {
		props := obj(t, doc, "components", "schemas", "Appointment", "properties")
		props["notes"] = map[string]any{"type": "string", "description": "Free text notes."}
	}
}

func removeResponseField(t *testing.T) func(map[string]any) {
	return func(doc map[string]any) {
		patient := obj(t, doc, "components", "schemas", "Patient")
		props := obj(t, patient, "properties")
		// phone, not sex: api/go-overlay.yaml names Patient.sex, and a
		// strict overlay refuses a contract without its target.
		require.Contains(t, props, "phone")
		delete(props, "phone")
		var required []any
		for _, r := range patient["required"].([]any) {
			if r != "phone" {
				required = append(required, r)
			}
		}
		patient["required"] = required
	}
}

// addResponseEnumValues adds an appointment status and an error code, two
// changes the documentation calls additive.
func addResponseEnumValues(t *testing.T) func(map[string]any) {
	return func(doc map[string]any) {
		status := obj(t, doc, "components", "schemas", "Appointment", "properties", "status")
		status["enum"] = append(status["enum"].([]any), "no_show")
		code := obj(t, doc, "components", "schemas", "ErrorCode")
		code["enum"] = append(code["enum"].([]any), "video_session_unavailable")
	}
}

func addRequiredRequestField(t *testing.T) func(map[string]any) {
	return func(doc map[string]any) {
		req := obj(t, doc, "components", "schemas", "CreateAppointmentHoldRequest")
		obj(t, req, "properties")["channel"] = map[string]any{"type": "string"}
		req["required"] = append(req["required"].([]any), "channel")
	}
}

// serve answers every request with status, contentType and body, on
// loopback.
func serve(t *testing.T, status int, contentType string, body []byte) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", contentType)
		w.WriteHeader(status)
		_, _ = w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/api/partner/openapi-partner-v1.json"
}

func serveSpec(t *testing.T, body []byte) string {
	return serve(t, http.StatusOK, "application/json", body)
}

// refusedURL is a loopback URL nothing listens on any more.
func refusedURL(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL + "/api/partner/openapi-partner-v1.json"
	srv.Close()
	return url
}
