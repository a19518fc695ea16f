package main

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWritesTheRunsConfiguration(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run([]string{"-naming", "../../oapi-codegen.yaml", "-out", "/tmp/x", "../../codegen/operations.yaml"}, &out, &bytes.Buffer{}))
	assert.Contains(t, out.String(), "output: /tmp/x/connected/operations.gen.go\n")
	assert.Contains(t, out.String(), "name-normalizer: ToCamelCaseWithInitialisms\n")

	assert.ErrorContains(t, run([]string{"../../codegen/operations.yaml"}, &out, &bytes.Buffer{}), "usage")
	assert.ErrorContains(t, run([]string{"-naming", "../../oapi-codegen.yaml"}, &out, &bytes.Buffer{}), "usage")
}
