package connected_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dronline/connected-go/api"
	"github.com/dronline/connected-go/connected"
	"github.com/dronline/connected-go/gen"
)

// generatedValues reads the values of the constants of type typ that
// error_codes.gen.go declares.
func generatedValues(t *testing.T, typ string) []string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "error_codes.gen.go", nil, 0)
	require.NoError(t, err)
	var values []string
	ast.Inspect(f, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok || len(vs.Values) != 1 {
			return true
		}
		id, ok := vs.Type.(*ast.Ident)
		lit, isLit := vs.Values[0].(*ast.BasicLit)
		if ok && isLit && id.Name == typ && lit.Kind == token.STRING {
			v, err := strconv.Unquote(lit.Value)
			require.NoError(t, err)
			values = append(values, v)
		}
		return true
	})
	return values
}

// Every code and type of the contract has a constant in this package, and
// each is a value gen knows.
func TestEveryContractErrorValueHasAConstant(t *testing.T) {
	var spec struct {
		Components struct {
			Schemas map[string]struct{ Enum []string } `json:"schemas"`
		} `json:"components"`
	}
	require.NoError(t, json.Unmarshal(api.Spec(), &spec))
	codes, types := spec.Components.Schemas["ErrorCode"].Enum, spec.Components.Schemas["ErrorType"].Enum
	require.NotEmpty(t, codes)
	require.NotEmpty(t, types)
	assert.ElementsMatch(t, codes, generatedValues(t, "ErrorCode"))
	assert.ElementsMatch(t, types, generatedValues(t, "ErrorType"))
	for _, c := range codes {
		assert.True(t, gen.ErrorCode(c).Valid(), c)
	}
	for _, ty := range types {
		assert.True(t, gen.ErrorType(ty).Valid(), ty)
	}
}

// The enum constants are gen's values: its Valid accepts each.
func TestEnumConstantsAreValid(t *testing.T) {
	for _, v := range []connected.Sex{connected.SexFemale, connected.SexMale, connected.SexOther, connected.SexUnknown} {
		assert.True(t, v.Valid(), v)
	}
	for _, v := range []connected.AppointmentStatus{connected.AppointmentStatusConfirmed, connected.AppointmentStatusCancelled} {
		assert.True(t, v.Valid(), v)
	}
	for _, v := range []connected.QuestionnaireStatus{connected.QuestionnaireStatusPending, connected.QuestionnaireStatusInProgress, connected.QuestionnaireStatusCompleted} {
		assert.True(t, v.Valid(), v)
	}
	for _, v := range []connected.SlotValidationReason{connected.SlotValidationReasonSlotHeld, connected.SlotValidationReasonSlotBooked,
		connected.SlotValidationReasonSlotInPast, connected.SlotValidationReasonSlotNotFound} {
		assert.True(t, v.Valid(), v)
	}
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
