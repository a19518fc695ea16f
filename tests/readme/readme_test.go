package readme

import (
	"fmt"
	"go/types"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/tools/go/packages"
)

// block is one ```go block of README.md.
type block struct {
	line int // of the fence
	code string
}

func goBlocks(t *testing.T, readme string) []block {
	t.Helper()
	var out []block
	var cur *block
	for i, l := range strings.Split(readme, "\n") {
		switch {
		case cur == nil && strings.TrimSpace(l) == "```go":
			cur = &block{line: i + 1}
		case cur != nil && strings.TrimSpace(l) == "```":
			out = append(out, *cur)
			cur = nil
		case cur != nil:
			cur.code += l + "\n"
		}
	}
	require.Nil(t, cur, "README.md: a ```go block is not closed")
	return out
}

// packagesByName are the imports a README block may use, by the name it
// uses them with.
func packagesByName() map[string]string {
	return map[string]string{
		"connected":     "github.com/dronline/connected-go/connected",
		"connectedtest": "github.com/dronline/connected-go/connected/connectedtest",
		"otelconnected": "github.com/dronline/connected-go/connected/otelconnected",
		"context":       "context",
		"errors":        "errors",
		"fmt":           "fmt",
		"http":          "net/http",
		"json":          "encoding/json",
		"log":           "log",
		"slog":          "log/slog",
		"time":          "time",
		"url":           "net/url",
		"propagation":   "go.opentelemetry.io/otel/propagation",
		"otel":          "go.opentelemetry.io/otel",
	}
}

// preamble declares what the README's fragments take from the text around
// them: a context, a client, a hold, the caller's references.
const preamble = `package snippets

import (
	"context"

	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"

	"github.com/dronline/connected-go/connected"
)

var (
	ctx                                                context.Context
	client                                             *connected.Client
	key, caseID, orderID, slotID, paymentIntentID      string
	appointmentID                                      string
	hold                                               *connected.AppointmentHold
	params                                             *connected.ConfirmParams
	patient                                            connected.PatientInput
	appt                                               *connected.Appointment
	apiErr                                             *connected.Error
	err                                                error
	tp                                                 trace.TracerProvider
	mp                                                 metric.MeterProvider
)

func show(connected.Date, []connected.Slot) {}
func reconcile(connected.Appointment)       {}

var _, _, _, _, _, _, _ = ctx, client, key, caseID, orderID, slotID, appointmentID
var _, _, _, _, _, _, _, _, _ = paymentIntentID, hold, params, patient, appt, apiErr, err, tp, mp
`

var qualified = regexp.MustCompile(`\b([a-z][a-z0-9]*)\.[A-Z]`)

// source is the file of one block: its imports, and the block as the body
// of a function (a fragment) or as it is (declarations).
func source(b block) string {
	var imports []string
	seen := map[string]bool{}
	for _, m := range qualified.FindAllStringSubmatch(b.code, -1) {
		if p, ok := packagesByName()[m[1]]; ok && !seen[p] {
			seen[p] = true
			imports = append(imports, fmt.Sprintf("%s %q", m[1], p))
		}
	}
	sort.Strings(imports)
	var s strings.Builder
	fmt.Fprintf(&s, "package snippets\n\nimport (\n\t%s\n)\n\n", strings.Join(imports, "\n\t"))
	if strings.HasPrefix(b.code, "func ") || strings.HasPrefix(b.code, "type ") || strings.HasPrefix(b.code, "package ") {
		s.WriteString(b.code)
		return s.String()
	}
	fmt.Fprintf(&s, "func readmeLine%d() error {\n%s\treturn nil\n}\n", b.line, b.code)
	return s.String()
}

// Every ```go block of README.md compiles: a fragment as the body of a
// function, with the names the text around it supplies. Only unused
// variables are forgiven, as a fragment shows a call without its sequel.
func TestReadmeGoBlocksCompile(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	blocks := goBlocks(t, string(readme))
	require.NotEmpty(t, blocks)

	dir, err := filepath.Abs("snippets")
	require.NoError(t, err)
	overlay := map[string][]byte{filepath.Join(dir, "preamble.go"): []byte(preamble)}
	byFile := map[string]block{}
	for _, b := range blocks {
		name := filepath.Join(dir, fmt.Sprintf("readme_line_%d.go", b.line))
		overlay[name] = []byte(source(b))
		byFile[name] = b
	}
	pkgs, err := packages.Load(&packages.Config{
		Mode:    packages.NeedName | packages.NeedFiles | packages.NeedTypes | packages.NeedSyntax | packages.NeedTypesInfo,
		Dir:     dir,
		Overlay: overlay,
	}, ".")
	require.NoError(t, err)
	require.Len(t, pkgs, 1)
	var problems []string
	for _, e := range pkgs[0].TypeErrors {
		if strings.Contains(e.Msg, "declared and not used") {
			continue
		}
		problems = append(problems, describe(e, byFile))
	}
	for _, e := range pkgs[0].Errors {
		// Type errors are in TypeErrors, placed and filtered above; the
		// rest (a block that does not parse, an import that cannot be
		// found) are problems as they are.
		// The go command's compile of the package, which go/packages asks
		// for its export data, repeats the type errors unfiltered.
		compiled := strings.HasPrefix(e.Msg, "# "+pkgs[0].PkgPath+"\n")
		if (e.Kind == packages.ListError && !compiled) || e.Kind == packages.ParseError {
			problems = append(problems, e.Error())
		}
	}
	require.Empty(t, problems, "README.md's Go code does not compile:\n%s", strings.Join(problems, "\n"))
}

// describe places a type error at its line of README.md.
func describe(e types.Error, byFile map[string]block) string {
	pos := e.Fset.Position(e.Pos)
	if b, ok := byFile[pos.Filename]; ok {
		// The fragment starts on the file's line after the function's
		// opening line; the block's code on the README's line after the fence.
		src := strings.Count(source(b)[:strings.Index(source(b), b.code)], "\n")
		return fmt.Sprintf("README.md:%d: %s", b.line+pos.Line-src, e.Msg)
	}
	return fmt.Sprintf("%s: %s", pos, e.Msg)
}
