package rehearsal

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dronline/connected-go/api"
)

// Part of make test: every rehearsed change still applies to the pinned
// spec, changes it, and leaves a valid OpenAPI document, so a spec edit
// that makes a fixture stale is noticed at once, not at the next
// `make rehearse`.
func TestEveryVariantAppliesToThePinnedSpec(t *testing.T) {
	variants, err := loadVariants("testdata")
	require.NoError(t, err)
	kinds := map[string]int{}
	for _, v := range variants {
		kinds[v.Kind]++
		t.Run(v.Name, func(t *testing.T) {
			patched, err := v.apply(api.Spec())
			require.NoError(t, err, "testdata/%s.json no longer applies to the pinned spec: update it, it rehearses a change of the spec as it is now", v.Name)
			var before, after any
			require.NoError(t, json.Unmarshal(api.Spec(), &before))
			require.NoError(t, json.Unmarshal(patched, &after))
			assert.NotEqual(t, before, after, "the patch changes nothing")
			doc, err := openapi3.NewLoader().LoadFromData(patched)
			require.NoError(t, err)
			assert.NoError(t, doc.Validate(context.Background()))
		})
	}
	assert.GreaterOrEqual(t, kinds[additive], 5, "the five kinds of additive change")
	assert.GreaterOrEqual(t, kinds[breaking], 1)
}
