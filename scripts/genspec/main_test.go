package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dronline/connected-go/api"
)

func TestDropsNullOnlyFromNullableEnums(t *testing.T) {
	in := []byte(`{
  "nullable_enum": {"type": "string", "nullable": true, "enum": ["a", null, "b"]},
  "plain_enum": {"type": "string", "enum": ["a", "b"]},
  "not_nullable_with_null": {"type": "string", "enum": ["a", null]},
  "nested": {"items": [{"nullable": true, "enum": [null, 1.50]}]},
  "example": {"enum": [null], "nullable": "yes"}
}`)
	out, err := forGenerator(in)
	require.NoError(t, err)
	var got map[string]any
	require.NoError(t, json.Unmarshal(out, &got))
	var want map[string]any
	require.NoError(t, json.Unmarshal([]byte(`{
  "nullable_enum": {"type": "string", "nullable": true, "enum": ["a", "b"]},
  "plain_enum": {"type": "string", "enum": ["a", "b"]},
  "not_nullable_with_null": {"type": "string", "enum": ["a", null]},
  "nested": {"items": [{"nullable": true, "enum": [1.50]}]},
  "example": {"enum": [null], "nullable": "yes"}
}`), &want))
	assert.Equal(t, want, got)
	assert.Contains(t, string(out), "1.50", "numbers are kept as written")
}

func TestNotJSON(t *testing.T) {
	_, err := forGenerator([]byte("<html>"))
	require.ErrorContains(t, err, "not JSON")
	var stdout bytes.Buffer
	require.ErrorContains(t, run(nil, &stdout), "usage")
}

// The pinned spec lists null in SlotValidation.reason's enum, as OpenAPI
// 3.0.3 requires; what the generator reads does not, and what it wrote
// (gen/, kept in sync by make check-generate) has no "<nil>" constant.
func TestThePinnedSpec(t *testing.T) {
	var spec struct {
		Components struct {
			Schemas map[string]struct {
				Properties map[string]struct {
					Enum     []any `json:"enum"`
					Nullable bool  `json:"nullable"`
				} `json:"properties"`
			} `json:"schemas"`
		} `json:"components"`
	}
	require.NoError(t, json.Unmarshal(api.Spec(), &spec))
	reason := spec.Components.Schemas["SlotValidation"].Properties["reason"]
	require.True(t, reason.Nullable)
	require.Contains(t, reason.Enum, nil, "api/ keeps the null that OpenAPI 3.0.3 requires")

	var stdout bytes.Buffer
	require.NoError(t, run([]string{filepath.Join("..", "..", api.Path)}, &stdout))
	require.NoError(t, json.Unmarshal(stdout.Bytes(), &spec))
	reason = spec.Components.Schemas["SlotValidation"].Properties["reason"]
	assert.True(t, reason.Nullable)
	assert.NotContains(t, reason.Enum, nil)
	assert.Len(t, reason.Enum, 4)

	generated, err := os.ReadFile(filepath.Join("..", "..", "gen", "connected.gen.go"))
	require.NoError(t, err)
	assert.NotContains(t, string(generated), `"<nil>"`)
	assert.Contains(t, string(generated), "Reason *SlotValidationReason")
}
