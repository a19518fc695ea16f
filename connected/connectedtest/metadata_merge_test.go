package connectedtest

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// keysFrom is a metadata object of n keys named prefix0, prefix1, ….
func keysFrom(prefix string, n int) map[string]string {
	m := make(map[string]string, n)
	for i := range n {
		m[prefix+itoa(int64(i))] = "v"
	}
	return m
}

// Metadata merges over what is stored, and the contract allows at most 50
// keys on the stored object: a write that would leave more is refused,
// naming the object written, and changes nothing.
func TestMergedMetadataStaysWithinFiftyKeys(t *testing.T) {
	s := newTestServer(t)
	c := newClient(t, s, s.APIKey())
	slot := func() string { return c.FirstSlot("appointment_type_id=aptype_gp15")["id"].(string) }
	withMeta := func(m map[string]string) map[string]any {
		p := patient("merge@example.com")
		p["metadata"] = m
		return p
	}

	t.Run("patient", func(t *testing.T) {
		c.Hold(slot(), map[string]any{"patient": withMeta(keysFrom("a", 30))})
		r := c.Post("/connected/appointment_holds", map[string]any{"slot_id": slot(), "patient": withMeta(keysFrom("b", 21))})
		require.Equal(t, http.StatusBadRequest, r.Status, "%s", r.Raw)
		code, param := r.ErrCode(t)
		assert.Equal(t, "parameter_invalid", code)
		assert.Equal(t, "patient[metadata]", param)
		// Keys already stored do not count twice, so 50 is fine.
		h := c.Hold(slot(), map[string]any{"patient": withMeta(keysFrom("b", 20))})
		pid := h.Str("patient_id")
		got := c.Get("/connected/patients/" + pid)
		require.Equal(t, http.StatusOK, got.Status)
		assert.Len(t, got.Body["metadata"], 50)
		h = c.Hold(slot(), map[string]any{"patient": withMeta(keysFrom("a", 30))})
		assert.Equal(t, pid, h.Str("patient_id"))

		r = c.Confirm(h, map[string]any{"patient": withMeta(map[string]string{"c": "v"}), "external_payment_reference": "pi_1"})
		require.Equal(t, http.StatusBadRequest, r.Status, "%s", r.Raw)
		code, param = r.ErrCode(t)
		assert.Equal(t, "parameter_invalid", code)
		assert.Equal(t, "patient[metadata]", param)
	})

	t.Run("appointment", func(t *testing.T) {
		body := func(m map[string]string) map[string]any {
			return map[string]any{"patient": patient("other@example.com"), "external_payment_reference": "pi_2", "metadata": m}
		}
		h := c.Hold(slot(), map[string]any{"metadata": keysFrom("h", 30)})
		r := c.Confirm(h, body(keysFrom("c", 21)))
		require.Equal(t, http.StatusBadRequest, r.Status, "%s", r.Raw)
		code, param := r.ErrCode(t)
		assert.Equal(t, "parameter_invalid", code)
		assert.Equal(t, "metadata", param)
		assert.Empty(t, s.Appointments(s.APIKey()), "nothing booked")

		r = c.Confirm(h, body(keysFrom("c", 20)))
		require.Equal(t, http.StatusOK, r.Status, "%s", r.Raw)
		assert.Len(t, r.Body["metadata"], 50)
	})
}
