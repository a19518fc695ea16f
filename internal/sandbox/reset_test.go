package sandbox

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A reset forgets the credentials' state and keeps the clock, the faults
// and the journal; its flags rewind the clock and clear the faults and the
// journal in the same call. An unknown flag is refused, naming it.
func TestResetFlags(t *testing.T) {
	for _, tc := range []struct {
		name                             string
		body                             any
		rewound, faultsGone, journalGone bool
	}{
		{"no body", nil, false, false, false},
		{"everything", map[string]bool{"rewind_clock": true, "clear_faults": true, "clear_journal": true}, true, true, true},
		{"the clock only", map[string]bool{"rewind_clock": true}, true, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, c := newControlServer(t)
			start := s.Now()
			require.Equal(t, http.StatusOK, newClient(t, s, s.APIKey()).Get("/connected/account").Status)
			require.Equal(t, http.StatusOK, c.post("/_sandbox/clock/advance", map[string]any{"seconds": 3600}).Status)
			require.Equal(t, http.StatusCreated, c.post("/_sandbox/faults", map[string]any{"path": "/connected/account", "kind": "status", "status": 503}).Status)
			require.Len(t, c.get("/_sandbox/requests").Data(), 1)

			r := c.post("/_sandbox/reset", tc.body)
			require.Equal(t, http.StatusOK, r.Status, "%s", r.Raw)
			assert.Equal(t, tc.rewound, s.Now().Equal(start), "clock")
			assert.Equal(t, tc.faultsGone, len(s.Faults()) == 0, "faults")
			assert.Equal(t, tc.journalGone, len(c.get("/_sandbox/requests").Data()) == 0, "journal")
		})
	}
	_, c := newControlServer(t)
	r := c.post("/_sandbox/reset", map[string]bool{"rewind_clok": true})
	require.Equal(t, http.StatusBadRequest, r.Status)
	_, param := r.ErrCode(t)
	assert.Equal(t, "rewind_clok", param)
}
