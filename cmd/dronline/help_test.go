package main

import (
	"runtime"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dronline/connected-go/connected"
)

func TestVersion(t *testing.T) {
	r := runCLI(t, nil, "version")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, "dronline "+connected.Version+" (connected-go SDK "+connected.Version+", "+runtime.Version()+" "+runtime.GOOS+"/"+runtime.GOARCH+")\n", r.stdout)
}

// TestHelpOnEveryCommand walks the command tree, so a new command without
// help fails here.
func TestHelpOnEveryCommand(t *testing.T) {
	root := (&app{}).rootCommand()
	var walk func(c *cobra.Command)
	n := 0
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			if sub.Name() == "help" {
				continue
			}
			path := strings.Fields(sub.CommandPath())[1:]
			r := runCLI(t, nil, append(path, "--help")...)
			assert.Equal(t, exitOK, r.code, "%v --help", path)
			assert.Contains(t, r.stdout, "Usage:\n  "+sub.CommandPath(), "%v --help", path)
			assert.NotEmpty(t, sub.Short, "%v has a short description", path)
			n++
			walk(sub)
		}
	}
	walk(root)
	assert.Equal(t, 24, n, "every command and subcommand was checked")

	r := runCLI(t, nil, "--help")
	require.Equal(t, exitOK, r.code)
	for _, want := range []string{"Exit codes:", "0  success", "1  API error", "2  usage error", "3  configuration error", "DRONLINE_API_KEY", "DRONLINE_BASE_URL"} {
		assert.Contains(t, r.stdout, want)
	}
	r = runCLI(t, nil, "verify", "--help")
	require.Equal(t, exitOK, r.code)
	for _, want := range []string{"Exit codes:", "0  the API conforms", "1  the run could not complete", "3  configuration", "4  additions only", "5  violations", "--read-only", "--json", "--report FILE"} {
		assert.Contains(t, r.stdout, want)
	}
	// A group without a subcommand shows its help.
	r = runCLI(t, nil, "appointments")
	assert.Equal(t, exitOK, r.code)
	assert.Contains(t, r.stdout, "Available Commands:")
}
