package connected_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dronline/connected-go/connected"
)

// The headers the SDK sets are refused the same way wherever a caller
// gives them: WithHeader on the client, WithHeader on a call, and
// RawParams.Header — the same setting named, the same message, nothing
// sent, and never taken for the API's refusal.
func TestSDKHeadersAreRefusedTheSameEverywhere(t *testing.T) {
	var sent int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		sent++
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{}`))
	}))
	defer srv.Close()
	c, err := connected.NewClient(testKey, connected.WithBaseURL(srv.URL+"/v1"))
	require.NoError(t, err)

	for _, name := range []string{"Authorization", "accept", "Content-Type", "Content-Length", "Host", "User-Agent", "Idempotency-Key"} {
		canonical := http.CanonicalHeaderKey(name)
		_, clientErr := connected.NewClient(testKey, connected.WithHeader(name, "application/xml"))
		_, callErr := c.Account.Get(context.Background(), connected.WithHeader(name, "application/xml"))
		rawErr := c.Do(context.Background(), http.MethodPost, "/connected/things",
			&connected.RawParams{Header: http.Header{name: {"application/xml"}}}, nil, nil)
		for where, err := range map[string]error{"client": clientErr, "call": callErr, "raw": rawErr} {
			var cfgErr *connected.ConfigError
			require.ErrorAs(t, err, &cfgErr, "%s header %s", where, name)
			assert.Equal(t, "header "+canonical, cfgErr.Setting, where)
			assert.NotErrorIs(t, err, connected.ErrInvalidRequest, where)
		}
		assert.Equal(t, clientErr.Error(), callErr.Error(), name)
		assert.Equal(t, clientErr.Error(), rawErr.Error(), name)
	}
	assert.Zero(t, sent, "nothing was sent")
}

// An operation's own header is a parameter of its method: WithHeader may
// not set it (it would replace the method's argument), RawParams.Header
// may, as that is how a raw call passes it. A WithHeader value for a header
// the operation's request already carries is refused when the request is
// built, whatever the header.
func TestOperationHeaders(t *testing.T) {
	got := make(chan http.Header, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got <- r.Header.Clone()
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{}`))
	}))
	defer srv.Close()
	c, err := connected.NewClient(testKey, connected.WithBaseURL(srv.URL+"/v1"))
	require.NoError(t, err)

	_, err = c.Account.Get(context.Background(), connected.WithHeader("X-Appointment-Hold-Token", "tok"))
	var cfgErr *connected.ConfigError
	require.ErrorAs(t, err, &cfgErr)
	assert.Equal(t, "header X-Appointment-Hold-Token", cfgErr.Setting)

	require.NoError(t, c.Do(context.Background(), http.MethodPost, "/connected/appointments/{appointment_id}/confirm",
		&connected.RawParams{Path: map[string]string{"appointment_id": "apt_1"}, Header: http.Header{"X-Appointment-Hold-Token": {"tok"}}},
		map[string]string{"external_payment_reference": "pi_1"}, nil))
	h := <-got
	assert.Equal(t, "tok", h.Get("X-Appointment-Hold-Token"))
	assert.Equal(t, "application/json", h.Get("Accept"))

	err = c.Do(context.Background(), http.MethodGet, "/connected/reports",
		&connected.RawParams{Header: http.Header{"X-Report-Format": {"csv"}}}, nil, nil, connected.WithHeader("X-Report-Format", "pdf"))
	require.ErrorAs(t, err, &cfgErr, "a header the request carries is never replaced by WithHeader")
	assert.Equal(t, "header X-Report-Format", cfgErr.Setting)
	assert.Empty(t, got, "refused calls send nothing")
}
