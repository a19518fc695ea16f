package sandbox

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dronline/connected-go/connected/connectedtest"
)

// newJournalServer starts a test server with the control API on and
// returns its journal too, for its byte accounting.
func newJournalServer(t *testing.T, lim JournalLimits) (*connectedtest.Server, *journal, *controlClient) {
	t.Helper()
	j := newJournal(lim)
	s := newTestServer(t, connectedtest.WithExchangeHook(j.add),
		connectedtest.WithHandler(func(srv *connectedtest.Server) http.Handler { return handler(srv, "", j) }))
	return s, j, newControlClient(t, s)
}

// postRaw sends body as is to the API and returns the status.
func postRaw(t *testing.T, s *connectedtest.Server, path string, body []byte) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, s.URL()+path, bytes.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+s.APIKey())
	req.Header.Set("Content-Type", "application/json")
	resp, err := freshClient(t).Do(req)
	require.NoError(t, err)
	_ = resp.Body.Close()
	return resp.StatusCode
}

// A body refused as too large leaves nothing of itself in the journal:
// 300 of them cost the journal what 300 small requests do.
func TestJournalKeepsNothingOfARefusedBody(t *testing.T) {
	s, j, ctl := newJournalServer(t, JournalLimits{})
	huge := bytes.Repeat([]byte("x"), maxBody+1)
	const requests = 30 // each would have kept a MiB before
	for range requests {
		require.Equal(t, http.StatusRequestEntityTooLarge, postRaw(t, s, "/connected/appointment_holds", huge))
	}
	n, used := j.usage()
	assert.Equal(t, requests, n)
	assert.Less(t, used, int64(requests*4<<10), "at most 4 KiB an entry, headers and the error envelope included")

	e := ctl.get("/_sandbox/requests?limit=1").Data()[0]
	assert.EqualValues(t, http.StatusRequestEntityTooLarge, e["status"])
	assert.NotContains(t, e, "request_body", "nothing kept of the refused body")
	assert.Contains(t, e, "response_body", "the error envelope is kept")
	assert.Equal(t, []any{}, e["truncated"])
}

// A body longer than BodyBytes is kept cut, as a string, and named in
// the entry's truncated list; hold tokens are redacted before the cut.
func TestJournalCutsLongBodies(t *testing.T) {
	s, _, ctl := newJournalServer(t, JournalLimits{BodyBytes: 1 << 10})
	long := `{"slot_id":"nope","hold_token":"hld_secret","pad":"` + strings.Repeat("a", 4<<10) + `"}`
	require.Equal(t, http.StatusNotFound, postRaw(t, s, "/connected/appointment_holds", []byte(long)), "no such slot")

	e := ctl.get("/_sandbox/requests?limit=1").Data()[0]
	assert.Equal(t, []any{"request_body"}, e["truncated"])
	body, ok := e["request_body"].(string)
	require.True(t, ok, "a cut body is a string: %v", e["request_body"])
	assert.Len(t, body, 1<<10)
	assert.NotContains(t, body, "hld_secret")
	assert.Contains(t, body, `"hold_token":"REDACTED"`)
	assert.IsType(t, map[string]any{}, e["response_body"], "the short error envelope stays JSON")
}

// The journal keeps within its bytes however large the bodies, dropping
// the oldest entries first, and within its count.
func TestJournalBounds(t *testing.T) {
	j := newJournal(JournalLimits{Bytes: 1 << 20, BodyBytes: 64 << 10})
	body := []byte(`{"pad":"` + strings.Repeat("a", 200<<10) + `"}`)
	for i := range 30 { // twice the budget's worth: the oldest must go
		j.add(connectedtest.Exchange{Request: connectedtest.RecordedRequest{Method: "POST", Path: basePath + "/connected/appointment_holds",
			RequestID: "req_" + itoa(int64(i)), Status: 400}, RequestBody: body, ResponseBody: body})
	}
	n, used := j.usage()
	assert.LessOrEqual(t, used, int64(1<<20))
	assert.Greater(t, used, int64(1<<20)-2*(130<<10), "full but for less than an entry")
	recs, more, _ := j.find(journalFilter{limit: 1000})
	require.Len(t, recs, n)
	assert.False(t, more)
	assert.Contains(t, string(recs[0].json()), `"request_id":"req_29"`, "the newest kept, first")

	k := newJournal(JournalLimits{Entries: 10})
	for i := range 25 {
		k.add(connectedtest.Exchange{Request: connectedtest.RecordedRequest{Method: "GET", Path: basePath + "/connected/account", RequestID: "req_" + itoa(int64(i))}})
	}
	recs, _, _ = k.find(journalFilter{limit: 1000})
	require.Len(t, recs, 10)
	assert.Contains(t, string(recs[9].json()), `"request_id":"req_15"`, "the oldest kept")
	k.clear()
	n, used = k.usage()
	assert.Zero(t, n)
	assert.Zero(t, used)
}

// A read answers the same JSON as an entry rendered alone, and a limit
// stops the scan with has_more.
func TestJournalReadIsTheEntries(t *testing.T) {
	s, _, ctl := newJournalServer(t, JournalLimits{})
	api := newClient(t, s, s.APIKey())
	for range 3 {
		require.Equal(t, http.StatusOK, api.Get("/connected/account").Status)
	}
	r := ctl.get("/_sandbox/requests?limit=2")
	var l struct {
		Object  string            `json:"object"`
		Data    []json.RawMessage `json:"data"`
		HasMore bool              `json:"has_more"`
		URL     string            `json:"url"`
	}
	require.NoError(t, json.Unmarshal(r.Raw, &l))
	assert.Equal(t, "list", l.Object)
	assert.Len(t, l.Data, 2)
	assert.True(t, l.HasMore)
	assert.Equal(t, "/_sandbox/requests", l.URL)
	assert.False(t, ctl.get("/_sandbox/requests?limit=3").Get("has_more").(bool))
}

// The server's own JSON responses are journaled as they are; a body a
// fault wrote is checked, so one that claims to be JSON and is not is
// kept as a string and the journal stays valid JSON. What the journal
// counts for an entry covers the JSON a read returns for it.
func TestJournalEntriesStayJSONAndWithinTheirCount(t *testing.T) {
	s, j, ctl := newJournalServer(t, JournalLimits{})
	s.InjectFault(connectedtest.Fault{Path: "/connected/account", Status: http.StatusBadGateway,
		Body: []byte("<html>bad gateway</html>"), ContentType: "application/json"})
	req, err := http.NewRequest(http.MethodGet, s.URL()+"/connected/account", http.NoBody)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+s.APIKey())
	resp, err := freshClient(t).Do(req)
	require.NoError(t, err)
	_ = resp.Body.Close()
	require.Equal(t, http.StatusBadGateway, resp.StatusCode)
	api := newClient(t, s, s.APIKey())
	require.Equal(t, http.StatusOK, api.Get("/connected/appointment_types").Status)
	require.Equal(t, http.StatusBadRequest, postRaw(t, s, "/connected/appointment_holds", []byte(`{"slot_id":`)))

	all := ctl.get("/_sandbox/requests")
	require.True(t, json.Valid(all.Raw), "the journal's answer is JSON")
	e := all.Data() // newest first
	require.Len(t, e, 3)
	assert.Equal(t, `{"slot_id":`, e[0]["request_body"], "a request body that is not JSON is kept as a string")
	assert.Equal(t, "list", e[1]["response_body"].(map[string]any)["object"], "the server's JSON is kept as JSON")
	assert.Equal(t, "<html>bad gateway</html>", e[2]["response_body"], "a fault's body that is not JSON is kept as a string")

	j.mu.RLock()
	defer j.mu.RUnlock()
	for i := range j.n {
		rec := j.buf[(j.head+i)%len(j.buf)]
		assert.Greater(t, rec.size, int64(len(rec.json())), "entry %s: counted at least its JSON", rec.id)
	}
}
