package connected_test

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dronline/connected-go/connected"
)

// genConstants lists the constants of a generated enum type, e.g. all
// gen.ErrorCode… values, by parsing the generated file.
func genConstants(t *testing.T, typeName string) []string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "../gen/connected.gen.go", nil, 0)
	require.NoError(t, err)
	var names []string
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.CONST {
			continue
		}
		for _, s := range gd.Specs {
			vs := s.(*ast.ValueSpec)
			if id, ok := vs.Type.(*ast.Ident); ok && id.Name == typeName {
				names = append(names, vs.Names[0].Name)
			}
		}
	}
	sort.Strings(names)
	return names
}

// referenced lists the gen.<prefix>… identifiers error_codes.gen.go uses.
func referenced(t *testing.T, prefix string) []string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "error_codes.gen.go", nil, 0)
	require.NoError(t, err)
	var names []string
	ast.Inspect(f, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if pkg, ok := sel.X.(*ast.Ident); ok && pkg.Name == "gen" && strings.HasPrefix(sel.Sel.Name, prefix) {
				names = append(names, sel.Sel.Name)
			}
		}
		return true
	})
	sort.Strings(names)
	return names
}

// Every code and type of the contract has a constant in this package: the
// file `make generate` writes covers every value of the generated enums.
func TestEveryContractErrorValueHasAConstant(t *testing.T) {
	codes := genConstants(t, "ErrorCode")
	require.NotEmpty(t, codes)
	assert.Equal(t, codes, referenced(t, "ErrorCode"))
	types := genConstants(t, "ErrorType")
	require.NotEmpty(t, types)
	assert.Equal(t, types, referenced(t, "ErrorType"))
}

func TestErrorMessageAndSentinels(t *testing.T) {
	e := &connected.Error{Type: connected.ErrorTypeInvalidRequest, Code: connected.ErrorCodeRescheduleTooLate, Message: "too late", StatusCode: 409, RequestID: "req_1", Param: "slot_id"}
	assert.Equal(t, "dronline: 409 reschedule_too_late: too late (param slot_id) [request_id req_1]", e.Error())
	wrapped := fmt.Errorf("booking failed: %w", e)
	assert.ErrorIs(t, wrapped, connected.ErrRescheduleRefused)
	assert.NotErrorIs(t, wrapped, connected.ErrHoldExpired)
	assert.NotErrorIs(t, wrapped, connected.ErrNotFound)
	var got *connected.Error
	require.ErrorAs(t, wrapped, &got)
	assert.Same(t, e, got)
	assert.False(t, e.Retryable())

	limited := &connected.Error{StatusCode: 429, Code: connected.ErrorCodeRateLimited}
	assert.ErrorIs(t, limited, connected.ErrRateLimited)
	assert.True(t, limited.Retryable())

	cause := errors.New("connection reset by peer")
	netErr := &connected.Error{Type: connected.ErrorTypeConnection, Err: cause, Ambiguous: true, IdempotencyKey: "k1"}
	assert.ErrorIs(t, netErr, cause)
	assert.ErrorIs(t, netErr, connected.ErrAmbiguous)
	assert.Contains(t, netErr.Error(), "retry with idempotency key k1")
	assert.True(t, netErr.Retryable())
}
