package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dronline/connected-go/api"
	"github.com/dronline/connected-go/internal/canonjson"
)

func TestUpdateRecordsProvenanceEvenWithoutDrift(t *testing.T) {
	clearEnv(t)
	t.Setenv("OASDIFF", "false") // the same contract never runs oasdiff
	official := mutated(t, func(doc map[string]any) { delete(doc, provenanceKey) })
	stdout, written := update(t, official)
	assert.Contains(t, stdout, "no drift")
	assert.Equal(t, "1.0.0+docs.2026-11-24", obj(t, written, "info")["version"])
}

func TestUpdateWritesTheOfficialSpecAndPrintsTheChangelog(t *testing.T) {
	clearEnv(t)
	t.Setenv("OASDIFF", strings.Join(oasdiffForTest(t), " "))
	official := mutated(t, func(doc map[string]any) {
		removeResponseField(t)(doc)
		obj(t, doc, "info")["version"] = "1.1.0"
	})
	stdout, written := update(t, official)
	assert.Contains(t, stdout, "[breaking] GET /connected/patients/{patient_id}: removed the required property `phone`")
	assert.NotContains(t, stdout, "Next: run `make update-spec`")
	assert.Equal(t, "1.1.0", obj(t, written, "info")["version"])
}

// update runs -update against official served on loopback, checks what
// every update must write, and returns stdout and the written document.
func update(t *testing.T, official []byte) (string, map[string]any) {
	t.Helper()
	pinned := pinnedFile(t)
	url := serveSpec(t, official)
	var stdout, stderr bytes.Buffer
	code := run([]string{"-update", "-spec", pinned, "-url", url + "?key=secret"}, &stdout, &stderr)
	require.Equal(t, exitSame, code, stderr.String())
	assert.Contains(t, stdout.String(), "wrote the official spec")

	written, err := os.ReadFile(pinned)
	require.NoError(t, err)
	canonical, err := canonjson.Indent(written)
	require.NoError(t, err)
	assert.Equal(t, string(canonical), string(written), "written in the canonical formatting")

	var doc map[string]any
	require.NoError(t, json.Unmarshal(written, &doc))
	assert.Equal(t, map[string]any{
		"kind":         "official",
		"official_url": url + "?REDACTED",
		"synced_at":    time.Now().UTC().Format(time.DateOnly),
	}, doc[provenanceKey])

	parsedOfficial, err := parseOpenAPI(official, "")
	require.NoError(t, err)
	parsedWritten, err := parseOpenAPI(written, "")
	require.NoError(t, err)
	assert.Empty(t, contractDiffs(parsedOfficial, parsedWritten, 10), "the contract is the official one")
	return stdout.String(), doc
}

func TestUpdateLeavesThePinnedSpecAloneWhenTheFetchFails(t *testing.T) {
	clearEnv(t)
	pinned := pinnedFile(t)
	var stdout, stderr bytes.Buffer
	code := run([]string{"-update", "-spec", pinned, "-url", serve(t, http.StatusBadGateway, "text/html", nil)}, &stdout, &stderr)
	assert.Equal(t, exitFailed, code)
	assert.Contains(t, stderr.String(), "HTTP 502")
	written, err := os.ReadFile(pinned)
	require.NoError(t, err)
	assert.Equal(t, api.Spec(), written)
}
