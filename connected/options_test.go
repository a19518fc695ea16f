package connected_test

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dronline/connected-go/connected"
)

// A setting that only means something for one call cannot be given to a
// Client: the program does not compile. Each program is built as a user's
// package would be, beside this module's packages.
func TestPerCallOptionsDoNotCompileOnAClient(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("runs go build")
	}
	const header = "package main\n\nimport (\n\t\"context\"\n\n\t\"github.com/dronline/connected-go/connected\"\n)\n\nvar _ = context.Background\n\n"
	for _, tc := range []struct {
		name, body string
		refusal    string // "" for a program that must compile
	}{
		{"response info on NewClient", `func main() {
	var info connected.ResponseInfo
	_, _ = connected.NewClient("sk_sandbox_x", connected.WithResponseInfo(&info))
}`, "connected.CallOption does not implement connected.ClientOption"},
		{"idempotency key on NewClient", `func main() {
	_, _ = connected.NewClient("sk_sandbox_x", connected.WithIdempotencyKey("k"))
}`, "connected.CallOption does not implement connected.ClientOption"},
		{"idempotency key on NewClientFromEnv", `func main() {
	_, _ = connected.NewClientFromEnv(connected.WithIdempotencyKey("k"))
}`, "connected.CallOption does not implement connected.ClientOption"},
		{"options where they work", `func main() {
	var info connected.ResponseInfo
	c, _ := connected.NewClient("sk_sandbox_x", connected.WithMaxRetries(1), connected.WithHeader("X-Trace", "1"))
	_, _ = c.Account.Get(context.Background(), connected.WithMaxRetries(0), connected.WithResponseInfo(&info), connected.WithIdempotencyKey("k"))
	opts := []connected.CallOption{connected.WithLogger(nil), connected.WithResponseInfo(&info)}
	_, _ = c.Patients.Get(context.Background(), "pat_1", opts...)
}`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := buildProgram(t, header+tc.body+"\n")
			if tc.refusal == "" {
				require.NoError(t, err, out)
				return
			}
			require.Error(t, err, "the program compiled")
			assert.Contains(t, out, tc.refusal)
		})
	}
}

// buildProgram builds src as package main of a directory in this module
// that does not exist on disk (go build's -overlay), so it imports the
// module's packages as a user's program would.
func buildProgram(t *testing.T, src string) (string, error) {
	t.Helper()
	tmp := t.TempDir()
	file := filepath.Join(tmp, "main.go")
	require.NoError(t, os.WriteFile(file, []byte(src), 0o600))
	wd, err := os.Getwd()
	require.NoError(t, err)
	dir := filepath.Join(wd, "internal_probe_"+strings.ReplaceAll(t.Name(), "/", "_"))
	overlay, err := json.Marshal(map[string]map[string]string{"Replace": {filepath.Join(dir, "main.go"): file}})
	require.NoError(t, err)
	ov := filepath.Join(tmp, "overlay.json")
	require.NoError(t, os.WriteFile(ov, overlay, 0o600))
	cmd := exec.Command("go", "build", "-overlay", ov, "-o", os.DevNull, dir)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// The zero value of every exported option type changes nothing: never a
// panic, never an error.
func TestZeroOptionsAreHarmless(t *testing.T) {
	rec := newRecorder(t, okJSON(`{"id":"acct_1","object":"account"}`))
	c, err := connected.NewClient(testKey, connected.WithBaseURL(rec.srv.URL+"/v1"), connected.Option{}, nil)
	require.NoError(t, err)
	_, err = c.Account.Get(context.Background(), connected.Option{}, nil)
	require.NoError(t, err)
	_, err = connected.NewClient(testKey, connected.WithHooks(connected.Hooks{}))
	require.NoError(t, err)
}
