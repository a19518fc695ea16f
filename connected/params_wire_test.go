package connected_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dronline/connected-go/connected"
)

// wire answers every request with body and records the last one's query
// and body.
func wire(t *testing.T, body string) (*connected.Client, *http.Request, *string) {
	t.Helper()
	var got http.Request
	var sent string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got, sent = *r.Clone(context.Background()), string(b)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	var w waits
	return newTestClient(t, srv.URL+"/v1", &w), &got, &sent
}

// Slot instants are sent in UTC, whatever the caller's location, and the
// caller's params are left as they were.
func TestSlotListSendsInstantsInUTC(t *testing.T) {
	c, got, _ := wire(t, `{"object":"list","data":[],"has_more":false,"url":"/v1/connected/slots"}`)
	paris, err := time.LoadLocation("Europe/Paris")
	require.NoError(t, err)
	from := time.Date(2026, 12, 1, 9, 0, 0, 0, paris)
	to := from.Add(time.Hour)
	params := &connected.SlotListParams{StartGte: &from, StartLt: &to, Limit: connected.Ptr(5)}
	_, err = c.Slots.List(context.Background(), params)
	require.NoError(t, err)
	q := got.URL.Query()
	assert.Equal(t, "2026-12-01T08:00:00Z", q.Get("start_gte"))
	assert.Equal(t, "2026-12-01T09:00:00Z", q.Get("start_lt"))
	assert.Equal(t, "5", q.Get("limit"))
	assert.Same(t, paris, params.StartGte.Location(), "the caller's params are not changed")
}

// Validate sends its params as the body: every field the contract gives
// it reaches the wire.
func TestSlotValidateSendsItsParams(t *testing.T) {
	c, got, sent := wire(t, `{"object":"slot_validation","available":true,"reason":null,"slot":null}`)
	_, err := c.Slots.Validate(context.Background(), &connected.SlotValidateParams{SlotID: "slot_1"})
	require.NoError(t, err)
	assert.Equal(t, http.MethodPost, got.Method)
	assert.JSONEq(t, `{"slot_id":"slot_1"}`, *sent)
}
