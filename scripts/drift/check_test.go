package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dronline/connected-go/api"
)

// failingOasdiff makes any call to oasdiff fail the check, which proves the
// "same contract" cases never reach it.
var failingOasdiff = []string{"false"}

func check(t *testing.T, url string, oasdiff []string) Result {
	t.Helper()
	return Check(context.Background(), Options{
		URL:        url,
		PinnedPath: pinnedFile(t),
		Timeout:    10 * time.Second,
		MaxBytes:   DefaultMaxBytes,
		Oasdiff:    oasdiff,
	})
}

func TestSameContract(t *testing.T) {
	t.Parallel()
	reformatted := func() []byte {
		// encoding/json orders keys A–Z (so "id" and "object" move), and the
		// indentation and provenance differ: none of that is drift.
		doc := parsedSpec(t)
		doc[provenanceKey] = map[string]any{"kind": "official", "synced_at": "2030-01-01"}
		out, err := json.MarshalIndent(doc, "", "\t")
		require.NoError(t, err)
		return append([]byte("\n  "), out...)
	}()
	respelled := bytes.Replace(api.Spec(), []byte(`"minimum": 0,`), []byte(`"minimum": 0.0e0,`), 1)
	require.NotEqual(t, api.Spec(), respelled, "fixture: no number to respell")

	for name, body := range map[string][]byte{
		"identical bytes":              api.Spec(),
		"reformatted and reordered":    reformatted,
		"a number spelled differently": respelled,
	} {
		t.Run(name, func(t *testing.T) {
			res := check(t, serveSpec(t, body), failingOasdiff)
			require.NoError(t, res.Err)
			assert.Equal(t, StatusSame, res.Status)
			assert.Equal(t, exitSame, exitCode(res))
			assert.Contains(t, Text(res), "no drift")
			assert.Contains(t, Markdown(res), "Contract drift: none")
		})
	}
}

func TestCouldNotCheck(t *testing.T) {
	t.Parallel()
	spec := api.Spec()
	cases := []struct {
		name string
		url  func(t *testing.T) string
		want string
	}{
		{"404", func(t *testing.T) string { return serve(t, http.StatusNotFound, "text/plain", []byte("not found")) }, "HTTP 404 Not Found"},
		{"500", func(t *testing.T) string { return serve(t, http.StatusInternalServerError, "application/json", spec) }, "HTTP 500 Internal Server Error"},
		{"HTML login page", func(t *testing.T) string {
			return serve(t, http.StatusOK, "text/html; charset=utf-8", []byte("<!doctype html><html><body>Sign in</body></html>"))
		}, "probably HTML"},
		{"truncated JSON", func(t *testing.T) string { return serveSpec(t, spec[:len(spec)/2]) }, "truncated"},
		{"trailing data", func(t *testing.T) string { return serveSpec(t, append(api.Spec(), "{}"...)) }, "trailing data"},
		{"empty body", func(t *testing.T) string { return serveSpec(t, nil) }, "the body is empty"},
		{"JSON error object", func(t *testing.T) string {
			return serveSpec(t, []byte(`{"error":{"type":"authentication_error","message":"No API key"}}`))
		}, `not an OpenAPI 3 document: no "openapi" version field`},
		{"Swagger 2", func(t *testing.T) string { return serveSpec(t, []byte(`{"swagger":"2.0","info":{},"paths":{}}`)) }, "Swagger 2"},
		{"JSON array", func(t *testing.T) string { return serveSpec(t, []byte(`[]`)) }, "not an object"},
		{"connection refused", refusedURL, "network error: connection refused"},
		{"not an http URL", func(*testing.T) string { return "file:///etc/passwd" }, "want an http(s) URL"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := check(t, c.url(t), failingOasdiff)
			require.Equal(t, StatusFailed, res.Status, "%+v", res)
			assert.Equal(t, exitFailed, exitCode(res))
			require.Error(t, res.Err)
			assert.Contains(t, res.Err.Error(), c.want)
			assert.Contains(t, Text(res), "NOT a result")
			assert.NotContains(t, Text(res), "no drift")
			assert.Contains(t, Markdown(res), "could not run")
		})
	}
}

func TestBodyTooLarge(t *testing.T) {
	t.Parallel()
	for name, declare := range map[string]bool{"declared length": true, "streamed": false} {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				if declare {
					w.Header().Set("Content-Length", "100000")
				}
				_, _ = w.Write(bytes.Repeat([]byte(" "), 100000))
			}))
			t.Cleanup(srv.Close)
			res := Check(context.Background(), Options{
				URL: srv.URL, PinnedPath: pinnedFile(t), Timeout: 10 * time.Second, MaxBytes: 1000, Oasdiff: failingOasdiff,
			})
			require.Equal(t, StatusFailed, res.Status)
			assert.Contains(t, res.Err.Error(), "body too large")
		})
	}
}

func TestTimeout(t *testing.T) {
	t.Parallel()
	// The handler holds the response until the client gives up, so the
	// client's timeout is the only way out: no race with a sleep.
	srv := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	}))
	t.Cleanup(srv.Close)
	res := Check(context.Background(), Options{
		URL: srv.URL, PinnedPath: pinnedFile(t), Timeout: 50 * time.Millisecond, MaxBytes: DefaultMaxBytes, Oasdiff: failingOasdiff,
	})
	require.Equal(t, StatusFailed, res.Status)
	assert.Contains(t, res.Err.Error(), "timed out after 50ms")
}

func TestSecretsInTheURLAreNotShown(t *testing.T) {
	t.Parallel()
	url := serve(t, http.StatusUnauthorized, "text/plain", nil)
	url = strings.Replace(url, "http://", "http://user:hunter2@", 1) + "?token=sk_live_secret"
	res := check(t, url, failingOasdiff)
	require.Equal(t, StatusFailed, res.Status)
	for _, out := range []string{Text(res), Markdown(res)} {
		assert.NotContains(t, out, "hunter2")
		assert.NotContains(t, out, "sk_live_secret")
		assert.Contains(t, out, "HTTP 401")
	}
}

func TestOasdiffFailureIsNotAResult(t *testing.T) {
	t.Parallel()
	res := check(t, serveSpec(t, mutated(t, addOptionalResponseField(t))), failingOasdiff)
	require.Equal(t, StatusFailed, res.Status)
	assert.Contains(t, res.Err.Error(), "oasdiff could not compare")
}

func TestDrift(t *testing.T) {
	t.Parallel()
	oasdiff := oasdiffForTest(t)

	t.Run("added optional response field is non-breaking", func(t *testing.T) {
		res := check(t, serveSpec(t, mutated(t, addOptionalResponseField(t))), oasdiff)
		require.Equal(t, StatusDrift, res.Status, "%v", res.Err)
		assert.Equal(t, exitDrift, exitCode(res))
		assert.Zero(t, res.Breaking())
		text := Text(res)
		assert.Contains(t, text, "BREAKING changes (0):\n  none")
		assert.Contains(t, text, "[non-breaking] GET /connected/appointments/{appointment_id}: added the optional property `notes` to the response")
		assert.NotContains(t, text, "[breaking]")
		md := Markdown(res)
		assert.Contains(t, md, "## Contract drift: 0 breaking,")
		assert.Contains(t, md, "### Non-breaking changes")
		assert.NotContains(t, md, "**BREAKING**")
	})

	t.Run("added response enum values are non-breaking, as documented", func(t *testing.T) {
		res := check(t, serveSpec(t, mutated(t, addResponseEnumValues(t))), oasdiff)
		require.Equal(t, StatusDrift, res.Status, "%v", res.Err)
		assert.Zero(t, res.Breaking(), Text(res))
		assert.Contains(t, Text(res), "`no_show`")
		assert.Contains(t, Text(res), "`video_session_unavailable`")
	})

	t.Run("removed response field is breaking", func(t *testing.T) {
		res := check(t, serveSpec(t, mutated(t, removeResponseField(t))), oasdiff)
		require.Equal(t, StatusDrift, res.Status, "%v", res.Err)
		assert.Positive(t, res.Breaking())
		assert.Contains(t, Text(res), "[breaking] GET /connected/patients/{patient_id}: removed the required property `phone` from the response")
		assert.Contains(t, Markdown(res), "- **BREAKING** `GET /connected/patients/{patient_id}`: removed the required property `phone`")
	})

	t.Run("new required request field is breaking", func(t *testing.T) {
		res := check(t, serveSpec(t, mutated(t, addRequiredRequestField(t))), oasdiff)
		require.Equal(t, StatusDrift, res.Status, "%v", res.Err)
		assert.Contains(t, Text(res), "[breaking] POST /connected/appointment_holds: added the new required request property `channel`")
		assert.Contains(t, Markdown(res), "### ⚠️ Breaking changes")
	})

	t.Run("breaking changes come first", func(t *testing.T) {
		both := mutated(t, func(doc map[string]any) {
			addOptionalResponseField(t)(doc)
			removeResponseField(t)(doc)
		})
		res := check(t, serveSpec(t, both), oasdiff)
		require.Equal(t, StatusDrift, res.Status, "%v", res.Err)
		require.NotEmpty(t, res.Changes)
		assert.True(t, res.Changes[0].Breaking(), "Changes is sorted breaking first")
		assert.False(t, res.Changes[len(res.Changes)-1].Breaking())
		for _, out := range []string{Text(res), Markdown(res)} {
			b, n := strings.Index(out, "removed the required property `phone`"), strings.Index(out, "added the optional property `notes`")
			require.True(t, b >= 0 && n >= 0, out)
			assert.Less(t, b, n, "breaking changes are listed first")
		}
	})

	t.Run("a description-only change is drift that oasdiff does not list", func(t *testing.T) {
		res := check(t, serveSpec(t, mutated(t, func(doc map[string]any) {
			obj(t, doc, "info")["description"] = "Rewritten."
		})), oasdiff)
		require.Equal(t, StatusDrift, res.Status, "%v", res.Err)
		assert.Empty(t, res.Changes)
		assert.Contains(t, Text(res), "oasdiff reports no API change")
		assert.Contains(t, Text(res), "/info/description")
	})
}
