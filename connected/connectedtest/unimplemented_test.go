package connectedtest

import (
	"context"
	"encoding/json"
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
// this test. It checks that the generated list is exactly what answers
// 501, and that each answers the documented envelope naming itself.
func TestUnimplementedOperations(t *testing.T) {
	ops := unimplementedOperations()
	if len(ops) == 0 {
		t.Log("the fake implements every operation of the contract")
	}
	var listed []string
	for _, op := range ops {
		t.Logf("not implemented by the fake yet, answers 501 %s: %s (%s)", ErrorCodeNotImplemented, op.name, op.route)
		listed = append(listed, op.name)
	}

	// What falls back to the 501 is exactly the generated list: the
	// methods of unimplemented, which declares none that handlers does.
	stubs := reflect.TypeOf(unimplemented{})
	var fallback []string
	for i := range stubs.NumMethod() {
		fallback = append(fallback, stubs.Method(i).Name)
	}
	assert.ElementsMatch(t, listed, fallback)

	iface := reflect.TypeOf((*gen.StrictServerInterface)(nil)).Elem()
	own := reflect.TypeOf(&handlers{})
	for i := range iface.NumMethod() {
		name := iface.Method(i).Name
		_, stubbed := stubs.MethodByName(name)
		m, ok := own.MethodByName(name)
		require.True(t, ok, "handlers lacks %s", name)
		if !stubbed {
			continue
		}
		// Called through handlers, as the strict server calls it.
		out := m.Func.Call([]reflect.Value{reflect.ValueOf(&handlers{}), reflect.ValueOf(context.Background()), reflect.Zero(m.Type.In(2))})
		require.True(t, out[0].IsNil(), name)
		err, _ := out[1].Interface().(error)
		assertNotImplemented(t, err, name)
	}
}

// The answer itself, written as the strict server writes any handler
// error: whatever the list holds today, the envelope is checked.
func TestNotImplementedAnswer(t *testing.T) {
	assertNotImplemented(t, errNotImplemented("CreateVideoSession", "POST /connected/appointments/{appointment_id}/video_session"), "CreateVideoSession")
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
	r := c.get("/connected/account")
	assert.Equal(t, http.StatusNotImplemented, r.status)
	code, _ := r.errCode(t)
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
