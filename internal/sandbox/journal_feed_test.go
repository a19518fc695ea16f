package sandbox

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// getIfNoneMatch reads path with If-None-Match: etag, checked against
// the document like every control call.
func (c *controlClient) getIfNoneMatch(path, etag string) (status int, newETag string, body []byte) {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodGet, c.root()+path, http.NoBody)
	require.NoError(c.t, err)
	req.Header.Set("If-None-Match", etag)
	resp, err := c.hc.Do(req)
	require.NoError(c.t, err)
	defer func() { _ = resp.Body.Close() }()
	body, err = io.ReadAll(resp.Body)
	require.NoError(c.t, err)
	c.checkAgainstDoc(req, nil, resp, body)
	return resp.StatusCode, resp.Header.Get("ETag"), body
}

func ids(entries []map[string]any) []string {
	out := make([]string, len(entries))
	for i, e := range entries {
		out[i], _ = e["request_id"].(string)
	}
	return out
}

// A reader polling the journal fetches only what changed: the same read
// answers 304 while nothing has, after= answers the entries newer than
// the one it names, and a change made through the control API alone (no
// new entry) changes the revision too.
func TestJournalAfterAndRevision(t *testing.T) {
	s, ctl := newControlServer(t)
	api := newClient(t, s, s.APIKey())
	for range 2 {
		require.Equal(t, http.StatusOK, api.Get("/connected/account").Status)
	}
	first := ctl.get("/_sandbox/requests")
	require.Len(t, first.Data(), 2)
	etag := first.Header.Get("ETag")
	require.NotEmpty(t, etag)
	newest := ids(first.Data())[0]

	st, again, body := ctl.getIfNoneMatch("/_sandbox/requests", etag)
	assert.Equal(t, http.StatusNotModified, st, "nothing changed: %s", body)
	assert.Empty(t, body)
	assert.Equal(t, etag, again)
	st, _, _ = ctl.getIfNoneMatch("/_sandbox/requests?after="+newest, etag)
	assert.Equal(t, http.StatusNotModified, st, "the revision is the sandbox's, whatever the query")
	assert.Empty(t, ctl.get("/_sandbox/requests?after="+newest).Data(), "nothing after the newest")

	// One new request: a new revision, and after= answers it alone.
	require.Equal(t, http.StatusOK, api.Get("/connected/appointment_types").Status)
	st, etag2, _ := ctl.getIfNoneMatch("/_sandbox/requests?after="+newest, etag)
	assert.Equal(t, http.StatusOK, st)
	assert.NotEqual(t, etag, etag2)
	fresh := ctl.get("/_sandbox/requests?after=" + newest).Data()
	require.Len(t, fresh, 1)
	assert.Equal(t, "/v1/connected/appointment_types", fresh[0]["path"])
	newest = fresh[0]["request_id"].(string)

	// Filters apply after the cursor, and has_more says more are new
	// than the limit let through.
	for range 3 {
		require.Equal(t, http.StatusOK, api.Get("/connected/account").Status)
	}
	page := ctl.get("/_sandbox/requests?limit=2&after=" + newest)
	assert.Len(t, page.Data(), 2)
	assert.Equal(t, true, page.Get("has_more"))
	assert.Len(t, ctl.get("/_sandbox/requests?path=/connected/appointment_types&after="+newest).Data(), 0)
	assert.Len(t, ctl.get("/_sandbox/requests?path=/connected/account&after="+newest).Data(), 3)

	// Changes through the control API alone, no entry added: each gives
	// a new revision.
	etag = ctl.get("/_sandbox/requests").Header.Get("ETag")
	for _, change := range []func(){
		func() { ctl.post("/_sandbox/clock/advance", map[string]any{"seconds": 60}) },
		func() { ctl.post("/_sandbox/faults", map[string]any{"kind": "status", "status": 503}) },
		func() { ctl.do(http.MethodDelete, "/_sandbox/faults", nil) },
		func() { ctl.post("/_sandbox/credentials", nil) },
	} {
		change()
		st, next, _ := ctl.getIfNoneMatch("/_sandbox/requests", etag)
		assert.Equal(t, http.StatusOK, st)
		assert.NotEqual(t, etag, next)
		etag = next
	}

	// Cleared: the cursor is gone, and saying so tells the reader to
	// start over.
	assert.Equal(t, http.StatusNoContent, ctl.do(http.MethodDelete, "/_sandbox/requests", nil).Status)
	gone := ctl.get("/_sandbox/requests?after=" + newest)
	assert.Equal(t, http.StatusNotFound, gone.Status)
	code, param := gone.ErrCode(t)
	assert.Equal(t, "resource_missing", code)
	assert.Equal(t, "after", param)
	assert.Empty(t, gone.Header.Get("ETag"))
}

// An entry names the credential by its shortened key and keeps the
// response's headers.
func TestJournalCredentialAndResponseHeaders(t *testing.T) {
	s, ctl := newControlServer(t)
	key := s.APIKey()
	api := newClient(t, s, key)
	short := sandboxPrefix + "…" + key[len(key)-4:]

	require.Equal(t, http.StatusOK, api.Get("/connected/account").Status)
	ctl.post("/_sandbox/faults", map[string]any{"path": "/connected/account", "kind": "status", "status": 429, "retry_after_seconds": 3})
	require.Equal(t, http.StatusTooManyRequests, api.Get("/connected/account").Status)
	ctl.post("/_sandbox/faults", map[string]any{"path": "/connected/account", "kind": "drop"})
	req, err := http.NewRequest(http.MethodGet, s.URL()+"/connected/account", http.NoBody)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+key)
	_, err = freshClient(t).Do(req) //nolint:bodyclose // no response: the connection is dropped
	require.Error(t, err)
	// No key at all.
	anon, err := http.NewRequest(http.MethodGet, s.URL()+"/connected/account", http.NoBody)
	require.NoError(t, err)
	resp, err := freshClient(t).Do(anon)
	require.NoError(t, err)
	_ = resp.Body.Close()
	require.Equal(t, http.StatusUnauthorized, resp.StatusCode)

	all := ctl.get("/_sandbox/requests")
	require.Len(t, all.Data(), 4)
	e := all.Data() // newest first
	noKey, dropped, limited, ok := e[0], e[1], e[2], e[3]

	assert.Equal(t, short, ok["credential"])
	rh := ok["response_headers"].(map[string]any)
	assert.Equal(t, ok["request_id"], rh["x-request-id"])
	assert.Contains(t, rh["content-type"], "application/json")
	assert.Equal(t, "3", limited["response_headers"].(map[string]any)["retry-after"])
	assert.Equal(t, short, dropped["credential"])
	assert.Nil(t, dropped["response_headers"], "no response was sent")
	assert.Nil(t, noKey["credential"])
	assert.NotNil(t, noKey["response_headers"])

	raw := string(all.Raw)
	assert.NotContains(t, raw, strings.TrimPrefix(key, sandboxPrefix), "the key never shows whole")
	assert.True(t, bytes.Contains(all.Raw, []byte(`"authorization":"Bearer sk_sandbox_REDACTED"`)))
}
