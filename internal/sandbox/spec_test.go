package sandbox

import (
	"encoding/json"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dronline/connected-go/api"
)

// The served document stands alone: every reference is local, and the
// contract's schemas in it are the contract's, unchanged.
func TestServedSpecCarriesTheContractsSchemas(t *testing.T) {
	served, err := servedSpec()
	require.NoError(t, err)
	for _, m := range regexp.MustCompile(`"\$ref":\s*"([^"]*)"`).FindAllSubmatch(served, -1) {
		assert.Regexp(t, `^#/`, string(m[1]), "a reference within the document")
	}
	var doc, contract struct {
		Components struct {
			Schemas map[string]json.RawMessage `json:"schemas"`
		} `json:"components"`
	}
	require.NoError(t, json.Unmarshal(served, &doc))
	require.NoError(t, json.Unmarshal(api.Spec(), &contract))
	for _, name := range []string{"AppointmentHold", "Appointment", "Patient"} {
		require.Contains(t, doc.Components.Schemas, name)
		assert.JSONEq(t, string(contract.Components.Schemas[name]), string(doc.Components.Schemas[name]), name)
	}
	assert.NotContains(t, doc.Components.Schemas, "AppointmentList", "only the schemas the document reaches")
	own, err := files.ReadFile("control/openapi.json")
	require.NoError(t, err)
	assert.Contains(t, string(own), `"$ref": "`+contractRef+`AppointmentHold"`, "the document refers to the contract, not to a copy")
}

func TestAssembleSpecRefusals(t *testing.T) {
	contract := []byte(`{"components": {"schemas": {"A": {"$ref": "#/components/schemas/B"}, "B": {"type": "string"}}}}`)
	doc := func(ref string, own string) []byte {
		return []byte(`{"openapi": "3.0.3", "components": {"schemas": {` + own + `"X": {"$ref": "` + contractRef + ref + `"}}}}`)
	}
	out, err := assembleSpec(doc("A", ""), contract)
	require.NoError(t, err)
	assert.JSONEq(t, `{"openapi": "3.0.3", "components": {"schemas": {"X": {"$ref": "#/components/schemas/A"},
		"A": {"$ref": "#/components/schemas/B"}, "B": {"type": "string"}}}}`, string(out))

	_, err = assembleSpec(doc("C", ""), contract)
	assert.ErrorContains(t, err, "schema C, which it does not have")
	_, err = assembleSpec(doc("A", `"B": {"type": "integer"}, `), contract)
	assert.ErrorContains(t, err, "the contract's schema B has the name of one of the control document's own")
}
