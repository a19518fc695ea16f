package connected_test

import (
	"crypto/x509"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dronline/connected-go/connected"
)

// sentinels is every Err… sentinel by name; TestSentinelTableIsComplete
// keeps it in step with the package.
var sentinels = map[string]error{
	"ErrHoldExpired":          connected.ErrHoldExpired,
	"ErrHoldTokenInvalid":     connected.ErrHoldTokenInvalid,
	"ErrHoldAlreadyConfirmed": connected.ErrHoldAlreadyConfirmed,
	"ErrSlotUnavailable":      connected.ErrSlotUnavailable,
	"ErrRescheduleRefused":    connected.ErrRescheduleRefused,
	"ErrAlreadyCancelled":     connected.ErrAlreadyCancelled,
	"ErrNotFound":             connected.ErrNotFound,
	"ErrRateLimited":          connected.ErrRateLimited,
	"ErrAuthentication":       connected.ErrAuthentication,
	"ErrIdempotencyKeyReused": connected.ErrIdempotencyKeyReused,
	"ErrInvalidRequest":       connected.ErrInvalidRequest,
	"ErrAmbiguous":            connected.ErrAmbiguous,
}

// Every exported Err… variable of the package is in sentinels, so a new
// sentinel cannot go untested by TestErrorsIsMapsEachErrorToItsSentinels.
func TestSentinelTableIsComplete(t *testing.T) {
	var declared []string
	for _, f := range parsePackage(t, ".") {
		for _, d := range f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.VAR {
				continue
			}
			for _, s := range gd.Specs {
				for _, n := range s.(*ast.ValueSpec).Names {
					if strings.HasPrefix(n.Name, "Err") {
						declared = append(declared, n.Name)
					}
				}
			}
		}
	}
	slices.Sort(declared)
	require.NotEmpty(t, declared)
	assert.Equal(t, declared, slices.Sorted(maps.Keys(sentinels)))
}

// Each kind of *Error matches exactly the sentinels listed for it, wrapped
// or not: dropping a mapping fails the row that needs it, and a mapping
// that grows too wide fails the rows that must not match.
func TestErrorsIsMapsEachErrorToItsSentinels(t *testing.T) {
	const invalid, auth, conn = connected.ErrorTypeInvalidRequest, connected.ErrorTypeAuthentication, connected.ErrorTypeConnection
	rows := []struct {
		name string
		err  *connected.Error
		want []string
	}{
		{"hold expired", &connected.Error{StatusCode: 409, Type: invalid, Code: connected.ErrorCodeHoldExpired}, []string{"ErrHoldExpired"}},
		{"hold token invalid", &connected.Error{StatusCode: 400, Type: invalid, Code: connected.ErrorCodeHoldTokenInvalid}, []string{"ErrHoldTokenInvalid", "ErrInvalidRequest"}},
		{"hold already confirmed", &connected.Error{StatusCode: 409, Type: invalid, Code: connected.ErrorCodeHoldAlreadyConfirmed}, []string{"ErrHoldAlreadyConfirmed"}},
		{"slot unavailable", &connected.Error{StatusCode: 409, Type: invalid, Code: connected.ErrorCodeSlotUnavailable}, []string{"ErrSlotUnavailable"}},
		{"reschedule limit", &connected.Error{StatusCode: 409, Type: invalid, Code: connected.ErrorCodeRescheduleLimitReached}, []string{"ErrRescheduleRefused"}},
		{"reschedule window", &connected.Error{StatusCode: 409, Type: invalid, Code: connected.ErrorCodeRescheduleOutsideWindow}, []string{"ErrRescheduleRefused"}},
		{"reschedule too late", &connected.Error{StatusCode: 409, Type: invalid, Code: connected.ErrorCodeRescheduleTooLate}, []string{"ErrRescheduleRefused"}},
		{"already cancelled", &connected.Error{StatusCode: 409, Type: invalid, Code: connected.ErrorCodeAppointmentAlreadyCancelled}, []string{"ErrAlreadyCancelled"}},
		{"resource missing", &connected.Error{StatusCode: 404, Type: invalid, Code: connected.ErrorCodeResourceMissing}, []string{"ErrNotFound"}},
		{"404 without envelope", &connected.Error{StatusCode: 404}, []string{"ErrNotFound"}},
		{"resource_missing code alone", &connected.Error{Code: connected.ErrorCodeResourceMissing}, []string{"ErrNotFound"}},
		{"questionnaire not required", &connected.Error{StatusCode: 404, Type: invalid, Code: connected.ErrorCodeQuestionnaireNotRequired}, []string{"ErrNotFound"}},
		{"rate limited", &connected.Error{StatusCode: 429, Type: connected.ErrorTypeRateLimit, Code: connected.ErrorCodeRateLimited}, []string{"ErrRateLimited"}},
		{"429 without envelope", &connected.Error{StatusCode: 429}, []string{"ErrRateLimited"}},
		{"rate_limited code alone", &connected.Error{Code: connected.ErrorCodeRateLimited}, []string{"ErrRateLimited"}},
		{"api key invalid", &connected.Error{StatusCode: 401, Type: auth, Code: connected.ErrorCodeAPIKeyInvalid}, []string{"ErrAuthentication"}},
		{"401 without envelope", &connected.Error{StatusCode: 401}, []string{"ErrAuthentication"}},
		{"authentication type alone", &connected.Error{Type: auth}, []string{"ErrAuthentication"}},
		{"idempotency key reused", &connected.Error{StatusCode: 409, Type: connected.ErrorTypeIdempotency, Code: connected.ErrorCodeIdempotencyKeyReused}, []string{"ErrIdempotencyKeyReused"}},
		{"parameter invalid", &connected.Error{StatusCode: 400, Type: invalid, Code: connected.ErrorCodeParameterInvalid, Param: "limit"}, []string{"ErrInvalidRequest"}},
		{"400 without envelope", &connected.Error{StatusCode: 400}, []string{"ErrInvalidRequest"}},
		{"refused before sending", &connected.Error{Type: invalid, Code: connected.ErrorCodeParameterMissing, Param: "slot_id"}, []string{"ErrInvalidRequest"}},
		{"ambiguous", &connected.Error{Type: conn, Ambiguous: true, IdempotencyKey: "k"}, []string{"ErrAmbiguous"}},
		{"ambiguous 5xx", &connected.Error{StatusCode: 502, Type: connected.ErrorTypeAPI, Ambiguous: true}, []string{"ErrAmbiguous"}},
		{"connection error", &connected.Error{Type: conn}, nil},
		{"internal error", &connected.Error{StatusCode: 500, Type: connected.ErrorTypeAPI, Code: connected.ErrorCodeInternalError}, nil},
		{"key in use", &connected.Error{StatusCode: 409, Type: connected.ErrorTypeIdempotency, Code: connected.ErrorCodeIdempotencyKeyInUse}, nil},
		{"unknown code", &connected.Error{StatusCode: 409, Type: invalid, Code: "code_from_the_future"}, nil},
	}
	covered := map[string]bool{}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			for _, e := range []error{r.err, fmt.Errorf("booking: %w", r.err)} {
				var got []string
				for name, s := range sentinels {
					if errors.Is(e, s) {
						got = append(got, name)
					}
				}
				slices.Sort(got)
				want := slices.Sorted(slices.Values(r.want))
				assert.Equal(t, want, got, "%v", e)
			}
		})
		for _, n := range r.want {
			covered[n] = true
		}
	}
	for name := range sentinels {
		assert.True(t, covered[name], "no row expects %s", name)
	}
}

// A sentinel is matched by what it covers, not by its message: an error of
// the caller's own with the same text is not it.
func TestSentinelsAreValues(t *testing.T) {
	for name, s := range sentinels {
		assert.True(t, strings.HasPrefix(s.Error(), "dronline: "), name)
		assert.NotErrorIs(t, errors.New(s.Error()), s, name)
		for other, o := range sentinels {
			if other != name {
				assert.NotErrorIs(t, s, o, "%s is %s", name, other)
			}
		}
	}
}

func TestRetryable(t *testing.T) {
	rows := []struct {
		name string
		err  *connected.Error
		want bool
	}{
		{"request timeout", &connected.Error{StatusCode: 408}, true},
		{"rate limited", &connected.Error{StatusCode: 429, Code: connected.ErrorCodeRateLimited}, true},
		{"internal error", &connected.Error{StatusCode: 500, Code: connected.ErrorCodeInternalError}, true},
		{"bad gateway", &connected.Error{StatusCode: 502}, true},
		{"unavailable", &connected.Error{StatusCode: 503, Code: connected.ErrorCodeServiceUnavailable}, true},
		{"gateway timeout", &connected.Error{StatusCode: 504}, true},
		{"key still in use", &connected.Error{StatusCode: 409, Code: connected.ErrorCodeIdempotencyKeyInUse}, true},
		{"network failure", &connected.Error{Type: connected.ErrorTypeConnection, Err: errors.New("connection reset by peer")}, true},
		{"slot unavailable", &connected.Error{StatusCode: 409, Code: connected.ErrorCodeSlotUnavailable}, false},
		{"key reused", &connected.Error{StatusCode: 409, Code: connected.ErrorCodeIdempotencyKeyReused}, false},
		{"bad request", &connected.Error{StatusCode: 400, Code: connected.ErrorCodeParameterInvalid}, false},
		{"unauthorised", &connected.Error{StatusCode: 401}, false},
		{"not found", &connected.Error{StatusCode: 404}, false},
		{"refused before sending", &connected.Error{Type: connected.ErrorTypeInvalidRequest}, false},
		{"untrusted certificate", &connected.Error{Type: connected.ErrorTypeConnection, Err: x509.UnknownAuthorityError{}}, false},
	}
	for _, r := range rows {
		assert.Equal(t, r.want, r.err.Retryable(), r.name)
	}
}

// parsePackage parses the non-test Go files of dir.
func parsePackage(t *testing.T, dir string) []*ast.File {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(dir, "*.go"))
	require.NoError(t, err)
	fset := token.NewFileSet()
	var files []*ast.File
	for _, n := range names {
		if strings.HasSuffix(n, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, n, nil, parser.SkipObjectResolution)
		require.NoError(t, err)
		files = append(files, f)
	}
	require.NotEmpty(t, files, "no Go files in %s", dir)
	return files
}
