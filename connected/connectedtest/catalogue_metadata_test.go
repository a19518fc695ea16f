package connectedtest

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A catalogue whose items have no metadata still answers every catalogue
// list within the contract, which requires metadata: an empty object.
func TestCatalogueWithoutMetadataFollowsTheContract(t *testing.T) {
	cat := DefaultCatalogue()
	for i := range cat.AppointmentTypes {
		cat.AppointmentTypes[i].Metadata = nil
	}
	for i := range cat.Practitioners {
		cat.Practitioners[i].Metadata = nil
	}
	s := newTestServer(t, WithCatalogue(cat)) // spec validation on, checked at cleanup
	c := newClient(t, s, s.APIKey())
	for _, path := range []string{"/connected/appointment_types", "/connected/practitioners"} {
		r := c.Get(path)
		require.Equal(t, http.StatusOK, r.Status, "%s: %s", path, r.Raw)
		for _, item := range r.Data() {
			assert.Equal(t, map[string]any{}, item["metadata"], path)
		}
	}
	assert.Empty(t, s.SpecViolations())
}
