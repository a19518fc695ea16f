package main

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
