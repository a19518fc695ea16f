// Package modgraph states what the SDK promises about the module graph of
// a program that requires it: how many modules at most, and which never.
// The release rehearsal holds a consumer built from a module proxy to it;
// the SDK's own tests hold the root module's graph to it.
package modgraph

import (
	"fmt"
	"strings"
)

// MaxModules bounds the module graph (`go list -m all`, the program's own
// module included) of a program that requires only the SDK: every module
// in it is one its owner's scanners report and Go's version selection may
// raise.
const MaxModules = 50

// workshop are module path prefixes that must never reach an SDK user's
// graph: test, tracing and browser dependencies, which live in modules of
// their own.
func workshop() []string {
	return []string{
		"github.com/Shopify/toxiproxy",
		"github.com/prometheus/",
		"github.com/rs/zerolog",
		"github.com/chromedp/",
		"go.opentelemetry.io/",
	}
}

// Check says what is wrong with a graph, the module paths of `go list -m
// all`, or returns nil.
func Check(modules []string) error {
	var excluded []string
	for _, m := range modules {
		for _, w := range workshop() {
			if strings.HasPrefix(m, w) {
				excluded = append(excluded, m)
			}
		}
	}
	switch {
	case len(excluded) > 0:
		return fmt.Errorf("the module graph holds %s, which must stay out of SDK users' graphs", strings.Join(excluded, ", "))
	case len(modules) > MaxModules:
		return fmt.Errorf("%d modules in the graph, over the bound of %d:\n    %s", len(modules), MaxModules, strings.Join(modules, "\n    "))
	}
	return nil
}
