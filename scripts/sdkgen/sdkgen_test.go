package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	specPath    = "../../api/openapi-partner-v1.json"
	overlayPath = "../../api/go-overlay.yaml"
)

// generate runs sdkgen on spec and returns the two files it wrote.
func generate(t *testing.T, spec string) (codes, enums string, err error) {
	t.Helper()
	out := t.TempDir()
	err = run([]string{"-spec", spec, "-overlay", overlayPath,
		"-errorcodes", filepath.Join(out, "codes.go"), "-enums", filepath.Join(out, "enums.go")}, &bytes.Buffer{})
	if err != nil {
		return "", "", err
	}
	c, err := os.ReadFile(filepath.Join(out, "codes.go"))
	require.NoError(t, err)
	e, err := os.ReadFile(filepath.Join(out, "enums.go"))
	require.NoError(t, err)
	return string(c), string(e), nil
}

// patched writes the pinned spec with each old replaced by its new, once,
// and returns its path.
func patched(t *testing.T, pairs ...string) string {
	t.Helper()
	spec, err := os.ReadFile(specPath)
	require.NoError(t, err)
	for i := 0; i < len(pairs); i += 2 {
		require.Contains(t, string(spec), pairs[i])
		spec = bytes.Replace(spec, []byte(pairs[i]), []byte(pairs[i+1]), 1)
	}
	path := filepath.Join(t.TempDir(), "spec.json")
	require.NoError(t, os.WriteFile(path, spec, 0o600))
	return path
}

// The SDK's names, from the values alone, and the values as literals of
// connected's types: nothing refers to gen's constants.
func TestErrorConstants(t *testing.T) {
	codes, _, err := generate(t, specPath)
	require.NoError(t, err)
	for _, want := range []string{
		`ErrorCodeAPIKeyInvalid ErrorCode = "api_key_invalid"`,
		`ErrorCodeIdempotencyKeyInUse ErrorCode = "idempotency_key_in_use"`,
		`ErrorCodeInternalError ErrorCode = "internal_error"`,
		`ErrorTypeAPI ErrorType = "api_error"`,
		`ErrorTypeRateLimit ErrorType = "rate_limit_error"`,
		`ErrorTypeInvalidRequest ErrorType = "invalid_request_error"`,
		"// ErrorCodeHoldExpired is \"hold_expired\" (HTTP 409): Confirm after the\n\t// hold's `expires_at`",
	} {
		assert.Contains(t, codes, want)
	}
	assert.NotContains(t, codes, "gen.")
	assert.Regexp(t, `^// Code generated .* DO NOT EDIT\.\n\npackage connected\n`, codes)
}

// Every value of every enum of more than one value, as the spec lists
// them, has a constant of gen's type's alias.
func TestEveryEnumValueHasAConstant(t *testing.T) {
	_, enums, err := generate(t, specPath)
	require.NoError(t, err)
	for _, want := range []string{
		"type Sex = gen.Sex\n",
		`SexFemale Sex = "female"`,
		"type AppointmentStatus = gen.AppointmentStatus\n",
		`AppointmentStatusConfirmed AppointmentStatus = "confirmed"`,
		`AppointmentStatusCancelled AppointmentStatus = "cancelled"`,
		`QuestionnaireStatusInProgress QuestionnaireStatus = "in_progress"`,
		`SlotValidationReasonSlotNotFound SlotValidationReason = "slot_not_found"`,
		"// Sex is the type of the contract's Patient.sex and PatientInput.sex:",
	} {
		assert.Contains(t, enums, want)
	}

	var spec struct {
		Components struct {
			Schemas map[string]struct {
				Properties map[string]struct{ Enum []any } `json:"properties"`
			} `json:"schemas"`
		} `json:"components"`
	}
	b, err := os.ReadFile(specPath)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &spec))
	values := 0
	for name, s := range spec.Components.Schemas {
		for prop, p := range s.Properties {
			if len(p.Enum) < 2 {
				continue
			}
			for _, v := range p.Enum {
				if v, ok := v.(string); ok {
					values++
					assert.Regexp(t, `\n\t[A-Z]\w* [A-Z]\w* = `+regexp.QuoteMeta(`"`+v+`"`)+`\n`, enums, "%s.%s: %s", name, prop, v)
				}
			}
		}
	}
	assert.Greater(t, values, 10)
	assert.NotContains(t, enums, "AccountObject", "a single value is not a choice")
	assert.NotContains(t, enums, "ListObject")
	assert.NotContains(t, enums, "ErrorCode", "the error envelope's are error_codes.gen.go's")
}

// Generated documentation is for users: it names no file, target or
// command of this repository.
func TestDocumentationIsForUsers(t *testing.T) {
	codes, enums, err := generate(t, specPath)
	require.NoError(t, err)
	for name, src := range map[string]string{"codes": codes, "enums": enums} {
		body := src[strings.Index(src, "\npackage "):]
		assert.NotRegexp(t, `\.go\b|make |scripts/|sdkgen|generate`, body, name)
	}
}

// A value the contract adds gets a constant, documented from the spec; an
// enum it adds gets its type and constants.
func TestValuesAndEnumsAddedToTheContract(t *testing.T) {
	spec := patched(t,
		"- `hold_expired`", "- `video_session_unavailable` (HTTP 409): No video session yet.\\n- `hold_expired`",
		`          "hold_expired",`, `          "hold_expired", "video_session_unavailable",`,
		`"confirmed",`, `"confirmed", "no_show",`,
		`"title": {`, `"video_provider": {"description": "Where the practitioner holds video visits.", "enum": ["zoom_us", "in_house_url"], "type": "string"},
        "title": {`,
	)
	codes, enums, err := generate(t, spec)
	require.NoError(t, err)
	assert.Contains(t, codes, `ErrorCodeVideoSessionUnavailable ErrorCode = "video_session_unavailable"`)
	assert.Contains(t, codes, "// ErrorCodeVideoSessionUnavailable is \"video_session_unavailable\" (HTTP\n\t// 409): No video session yet.\n")
	assert.Contains(t, enums, `AppointmentStatusNoShow AppointmentStatus = "no_show"`)
	assert.Contains(t, enums, "// PractitionerVideoProvider is the type of the contract's\n// Practitioner.video_provider: Where the practitioner holds video visits.\ntype PractitionerVideoProvider = gen.PractitionerVideoProvider\n")
	assert.Contains(t, enums, `PractitionerVideoProviderInHouseURL PractitionerVideoProvider = "in_house_url"`)
}

func TestGoName(t *testing.T) {
	for in, want := range map[string]string{
		"api_key_invalid":       "APIKeyInvalid",
		"in_progress":           "InProgress",
		"SlotValidation_reason": "SlotValidationReason",
		"appointment_type_ids":  "AppointmentTypeIDs",
		"completion_url":        "CompletionURL",
		"v1":                    "V1",
		"slot-in past":          "SlotInPast",
	} {
		assert.Equal(t, want, goName(in), in)
	}
}

func TestRefusesWhatItCannotRead(t *testing.T) {
	_, _, err := generate(t, patched(t, `"ErrorCode": {`, `"ErrorCodes": {`, `"#/components/schemas/ErrorCode"`, `"#/components/schemas/ErrorCodes"`))
	assert.ErrorContains(t, err, "no ErrorType or ErrorCode enum")

	_, _, err = generate(t, filepath.Join(t.TempDir(), "missing.json"))
	assert.Error(t, err)

	err = run([]string{"-spec", specPath}, &bytes.Buffer{})
	assert.ErrorContains(t, err, "is required")
}
