package connected_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dronline/connected-go/connected"
)

// An AttemptStart hook adds headers, and cannot replace, add or remove
// one the SDK owns: for each, in any spelling, the server receives what
// the SDK set, and the hook's own header arrives.
func TestAHookCannotChangeTheSDKsHeaders(t *testing.T) {
	owned := []string{"Authorization", "Idempotency-Key", "Accept", "Content-Type", "User-Agent", "X-Appointment-Hold-Token"}
	for _, name := range owned {
		// The canonical key, and a lower-case one set straight into the map.
		for _, spelling := range []string{name, lowerASCII(name)} {
			for _, action := range []string{"set", "delete"} {
				t.Run(name+"/"+spelling+"/"+action, func(t *testing.T) {
					rec := newRecorder(t, okJSON(holdJSON), okJSON(`{"id":"apt_1","object":"appointment"}`))
					hooks := connected.Hooks{AttemptStart: func(ctx context.Context, a connected.AttemptInfo) context.Context {
						h := a.Request.Header
						if action == "delete" {
							delete(h, name)
						} else {
							h[spelling] = []string{"hook's value"}
						}
						h.Set("X-Tenant", "t1")
						return ctx
					}}
					c, err := connected.NewClient(testKey, connected.WithBaseURL(rec.srv.URL+"/v1"), connected.WithHooks(hooks))
					require.NoError(t, err)
					hold, err := c.Holds.Create(context.Background(), &connected.HoldParams{SlotID: "s"})
					require.NoError(t, err)
					_, err = c.Appointments.Confirm(context.Background(), hold.AppointmentID, hold.HoldToken, confirmParamsForHooks(),
						connected.WithIdempotencyKey("key-of-the-call"))
					require.NoError(t, err)
					require.Len(t, rec.attempts, 2)
					for _, a := range rec.attempts {
						assert.NotContains(t, a.header.Values(name), "hook's value", "%s %s", a.method, a.path)
						assert.Equal(t, "t1", a.header.Get("X-Tenant"))
					}
					confirm := rec.attempts[1].header
					assert.Equal(t, "Bearer "+testKey, confirm.Get("Authorization"))
					assert.Equal(t, "key-of-the-call", confirm.Get("Idempotency-Key"))
					assert.Equal(t, "application/json", confirm.Get("Accept"))
					assert.Equal(t, "application/json", confirm.Get("Content-Type"))
					assert.Equal(t, "aht_x", confirm.Get("X-Appointment-Hold-Token"))
					assert.Contains(t, confirm.Get("User-Agent"), "dronline-connected-go/")
					assert.Empty(t, rec.attempts[0].header.Values("X-Appointment-Hold-Token"), "a header the SDK did not set stays unset")
				})
			}
		}
	}
}

func lowerASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

func confirmParamsForHooks() *connected.ConfirmParams {
	dob, _ := connected.ParseDate("1986-04-12")
	return &connected.ConfirmParams{ExternalPaymentReference: "pi_1", Patient: connected.PatientInput{
		FirstName: "Jane", LastName: "Doe", Email: "jane@example.com", Sex: connected.SexFemale, DateOfBirth: dob}}
}
