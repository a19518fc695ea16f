package connectedtest

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dronline/connected-go/connected"
	"github.com/dronline/connected-go/gen"
)

// TestUnimplementedOperations reports the operations of the contract the
// fake answers with 501 because it has no handler for them yet: an
// additive contract change adds one here without failing the build or
// this test. Which they are is found at run time, by calling every
// operation of gen.StrictServerInterface through handlers, as the strict
// server calls it; each that answers 501 must answer the documented
// envelope naming itself.
func TestUnimplementedOperations(t *testing.T) {
	iface := reflect.TypeFor[gen.StrictServerInterface]()
	reported := 0
	for i := range iface.NumMethod() {
		name := iface.Method(i).Name
		e := notImplementedThroughHandlers(name)
		if e == nil {
			continue
		}
		reported++
		t.Logf("not implemented by the fake yet, answers 501 %s: %s (%s)", ErrorCodeNotImplemented, name, e.message)
		assertNotImplemented(t, e, name)
	}
	if reported == 0 {
		t.Log("the fake implements every operation of the contract")
	}
}

// notImplementedThroughHandlers calls the operation name on handlers with
// a zero request and no server, and returns its error if that is the 501
// of unimplementedHandlers. A handler the fake implements does something
// else with such a call: it answers, refuses the request, or panics on the
// server or credential it lacks (recovered here). Any of those means it is
// implemented; the 501 needs neither.
func notImplementedThroughHandlers(name string) (e *apiError) {
	defer func() {
		if recover() != nil {
			e = nil
		}
	}()
	m := reflect.ValueOf(&handlers{}).MethodByName(name)
	out := m.Call([]reflect.Value{reflect.ValueOf(context.Background()), reflect.Zero(m.Type().In(1))})
	err, _ := out[1].Interface().(error)
	if !errors.As(err, &e) || e.status != http.StatusNotImplemented || e.code != gen.ErrorCode(ErrorCodeNotImplemented) {
		return nil
	}
	return e
}

// The 501 itself, whatever handlers implements today: every method of
// unimplementedHandlers, one per operation of the contract, answers the
// documented envelope naming its operation and route.
func TestUnimplementedHandlersAnswer501(t *testing.T) {
	var stubs gen.StrictServerInterface = unimplementedHandlers{}
	v := reflect.ValueOf(stubs)
	iface := reflect.TypeFor[gen.StrictServerInterface]()
	require.Positive(t, iface.NumMethod())
	for i := range iface.NumMethod() {
		name := iface.Method(i).Name
		m := v.MethodByName(name)
		out := m.Call([]reflect.Value{reflect.ValueOf(context.Background()), reflect.Zero(m.Type().In(1))})
		require.True(t, out[0].IsNil(), name)
		err, _ := out[1].Interface().(error)
		assertNotImplemented(t, err, name)
		assert.Regexp(t, `\((GET|POST|PUT|PATCH|DELETE) /connected/\S+\)`, err.Error(), name)
	}
}

func assertNotImplemented(t *testing.T, err error, name string) {
	t.Helper()
	require.Error(t, err, name)
	rec := httptest.NewRecorder()
	paramErrorHandler(rec, httptest.NewRequest(http.MethodGet, "/", nil), err)
	assert.Equal(t, http.StatusNotImplemented, rec.Code, name)
	assert.Equal(t, "application/json", rec.Header().Get("Content-Type"), name)
	var env struct {
		Error struct {
			Type, Code, Message string
			Param               *string
		}
	}
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &env), name)
	assert.Equal(t, "api_error", env.Error.Type, name)
	assert.Equal(t, string(ErrorCodeNotImplemented), env.Error.Code, name)
	assert.Contains(t, env.Error.Message, name)
	assert.Nil(t, env.Error.Param, name)
}

// With spec validation on, the 501 reaches the client as written: its
// code is the fake's own, outside the contract's enum, on purpose.
func TestNotImplementedPassesSpecValidation(t *testing.T) {
	s := NewServer(WithStartTime(monday()), WithSpecValidation(true))
	defer s.Close()
	c := newClient(t, s, s.APIKey())
	s.mu.Lock()
	s.hook = func(w http.ResponseWriter, _ *http.Request) bool {
		errNotImplemented("GetAccount", "GET /connected/account").write(w)
		return true
	}
	s.mu.Unlock()
	r := c.Get("/connected/account")
	assert.Equal(t, http.StatusNotImplemented, r.Status)
	code, _ := r.ErrCode(t)
	assert.Equal(t, string(ErrorCodeNotImplemented), code)

	// What a user compares: the SDK's error carries the code as sent, and
	// the constant has the type of its Code. The 501 is not retried.
	client, err := connected.NewClient(s.APIKey(), connected.WithBaseURL(s.URL()))
	require.NoError(t, err)
	_, err = client.Account.Get(context.Background())
	var apiErr *connected.Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, ErrorCodeNotImplemented, apiErr.Code)
	assert.Equal(t, connected.ErrorTypeAPI, apiErr.Type)
	assert.Equal(t, http.StatusNotImplemented, apiErr.StatusCode)
	assert.Empty(t, s.SpecViolations())
}
