package codegenconfig

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const naming = "../../oapi-codegen.yaml"

// write writes content to a file of a temporary directory and returns its
// path.
func write(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
	return path
}

// compose composes the run of runPath with the naming options of
// namingPath, under /out, and reads it back as oapi-codegen would.
func compose(t *testing.T, namingPath, runPath string) File {
	t.Helper()
	b, err := Compose(namingPath, runPath, "/out")
	require.NoError(t, err)
	f, err := parse("composed", b)
	require.NoError(t, err)
	return f
}

// Every run of codegen/ gets oapi-codegen.yaml's naming options and keeps
// everything else it states; its output moves under the directory given.
func TestRunsTakeTheNamingOptionsOfOapiCodegenYAML(t *testing.T) {
	base, err := Load(naming)
	require.NoError(t, err)
	require.Equal(t, "ToCamelCaseWithInitialisms", base.OutputOptions.NameNormalizer)
	require.Contains(t, base.OutputOptions.AdditionalInitialisms, "IDs")
	require.NotEmpty(t, base.OutputOptions.Overlay.Path)

	for _, run := range []string{"../../codegen/operations.yaml", "../../codegen/unimplemented.yaml"} {
		own, err := Load(run)
		require.NoError(t, err)
		assert.Empty(t, own.OutputOptions.NameNormalizer, "%s states a naming option", run)
		assert.Empty(t, own.OutputOptions.AdditionalInitialisms, "%s states a naming option", run)
		assert.Empty(t, own.OutputOptions.Overlay, "%s states a naming option", run)

		want := own
		want.Output = filepath.Join("/out", own.Output)
		want.OutputOptions.NameNormalizer = base.OutputOptions.NameNormalizer
		want.OutputOptions.AdditionalInitialisms = base.OutputOptions.AdditionalInitialisms
		want.OutputOptions.Overlay = base.OutputOptions.Overlay
		assert.Equal(t, want, compose(t, naming, run), run)
	}

	// oapi-codegen.yaml's own run is itself, under /out.
	want := base
	want.Output = filepath.Join("/out", base.Output)
	assert.Equal(t, want, compose(t, naming, naming))
}

// An initialism added to the naming file reaches every run.
func TestAnAddedInitialismReachesTheRuns(t *testing.T) {
	b, err := os.ReadFile(naming)
	require.NoError(t, err)
	require.Contains(t, string(b), "additional-initialisms: [IDs]")
	added := write(t, "oapi-codegen.yaml", strings.Replace(string(b), "additional-initialisms: [IDs]", "additional-initialisms: [IDs, SKU]", 1))
	f := compose(t, added, "../../codegen/operations.yaml")
	assert.Equal(t, []string{"IDs", "SKU"}, f.OutputOptions.AdditionalInitialisms)
}

// A run that states a naming option itself is refused: it would be a
// second statement of it, free to disagree with the first.
func TestARunStatingANamingOptionIsRefused(t *testing.T) {
	for _, opt := range []string{"name-normalizer: ToCamelCase", "additional-initialisms: [SKU]", "overlay:\n    path: other.yaml"} {
		run := write(t, "run.yaml", "package: p\noutput: p.gen.go\ngenerate:\n  client: true\noutput-options:\n  "+opt+"\n")
		_, err := Compose(naming, run, "/out")
		assert.ErrorContains(t, err, "is stated in "+naming+" alone", opt)
	}
}

// A run without output-options gets the naming options all the same.
func TestARunWithoutOutputOptions(t *testing.T) {
	run := write(t, "run.yaml", "package: p\noutput: p.gen.go\ngenerate:\n  models: true\n")
	f := compose(t, naming, run)
	assert.Equal(t, "ToCamelCaseWithInitialisms", f.OutputOptions.NameNormalizer)
	assert.Equal(t, "/out/p.gen.go", f.Output)
}

func TestRefusesWhatOapiCodegenWouldNotRead(t *testing.T) {
	_, err := Load(write(t, "typo.yaml", "package: p\noutput-options:\n  name-normaliser: ToCamelCase\n"))
	assert.ErrorContains(t, err, "name-normaliser")

	_, err = Compose(naming, write(t, "typo.yaml", "package: p\noutput: p.gen.go\noutputs-options: {}\n"), "/out")
	assert.ErrorContains(t, err, "outputs-options")

	_, err = Compose(naming, write(t, "nooutput.yaml", "package: p\n"), "/out")
	assert.ErrorContains(t, err, "no output")

	_, err = Load(filepath.Join(t.TempDir(), "missing.yaml"))
	assert.Error(t, err)
}
