package modgraph

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCheck(t *testing.T) {
	lean := []string{"example.com/app", "github.com/dronline/connected-go", "github.com/google/uuid"}
	require.NoError(t, Check(lean))

	err := Check(append(lean, "go.opentelemetry.io/otel", "github.com/rs/zerolog"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "go.opentelemetry.io/otel, github.com/rs/zerolog")

	var many []string
	for i := range MaxModules + 1 {
		many = append(many, fmt.Sprintf("example.com/m%d", i))
	}
	require.NoError(t, Check(many[:MaxModules]))
	err = Check(many)
	require.Error(t, err)
	assert.Contains(t, err.Error(), fmt.Sprintf("%d modules in the graph, over the bound of %d", MaxModules+1, MaxModules))
}
