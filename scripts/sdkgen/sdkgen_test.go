package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/oapi-codegen/oapi-codegen/v2/pkg/codegen"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dronline/connected-go/internal/codegenconfig"
)

// The module root, where generate.sh runs sdkgen, and its files.
var (
	root       = must(filepath.Abs("../.."))
	specPath   = filepath.Join(root, "api/openapi-partner-v1.json")
	configPath = filepath.Join(root, "oapi-codegen.yaml")
)

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// The files sdkgen writes, by the flag that names each.
const (
	outCodes  = "errorcodes"
	outEnums  = "enums"
	outModels = "models"
	outRules  = "rules"
)

// sdkgen runs sdkgen on spec with the oapi-codegen configuration at config,
// in the module root as generate.sh does (the overlay's path is relative
// to it), and returns the files it wrote, by flag.
func sdkgen(t *testing.T, spec, config string) (map[string]string, error) {
	t.Helper()
	t.Chdir(root)
	out := t.TempDir()
	args := []string{"-spec", spec, "-config", config}
	for _, f := range []string{outCodes, outEnums, outModels, outRules} {
		args = append(args, "-"+f, filepath.Join(out, f+".go"))
	}
	if err := run(args, &bytes.Buffer{}); err != nil {
		return nil, err
	}
	files := map[string]string{}
	for _, f := range []string{outCodes, outEnums, outModels, outRules} {
		b, err := os.ReadFile(filepath.Join(out, f+".go"))
		require.NoError(t, err)
		files[f] = string(b)
	}
	return files, nil
}

// pinned is what sdkgen writes from the pinned spec with
// oapi-codegen.yaml: the same for every test that reads it, so it is
// generated once per test binary.
var pinned struct {
	sync.Once
	files map[string]string
	err   error
}

// pinnedFiles returns the files sdkgen writes from the pinned spec with
// oapi-codegen.yaml, generating them the first time a test asks.
func pinnedFiles(t *testing.T) map[string]string {
	t.Helper()
	pinned.Do(func() { pinned.files, pinned.err = sdkgen(t, specPath, configPath) })
	require.NoError(t, pinned.err)
	return pinned.files
}

// generate runs sdkgen on spec with oapi-codegen.yaml and returns two of
// the files it wrote.
func generate(t *testing.T, spec string) (codes, enums string, err error) {
	t.Helper()
	return generateWith(t, spec, configPath)
}

// generateWith runs sdkgen on spec with the oapi-codegen configuration at
// config and returns two of the files it wrote.
func generateWith(t *testing.T, spec, config string) (codes, enums string, err error) {
	t.Helper()
	files, err := sdkgen(t, spec, config)
	if err != nil {
		return "", "", err
	}
	return files[outCodes], files[outEnums], nil
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
	codes := pinnedFiles(t)[outCodes]
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
	enums := pinnedFiles(t)[outEnums]
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
	files := pinnedFiles(t)
	for name, src := range map[string]string{"codes": files[outCodes], "enums": files[outEnums]} {
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

// configWith writes oapi-codegen.yaml with each old replaced by its new,
// once, to a temporary file (a change someone might make to it), and
// returns its path.
func configWith(t *testing.T, pairs ...string) string {
	t.Helper()
	b, err := os.ReadFile(configPath)
	require.NoError(t, err)
	for i := 0; i < len(pairs); i += 2 {
		require.Contains(t, string(b), pairs[i])
		b = bytes.Replace(b, []byte(pairs[i]), []byte(pairs[i+1]), 1)
	}
	path := filepath.Join(t.TempDir(), "oapi-codegen.yaml")
	require.NoError(t, os.WriteFile(path, b, 0o600))
	return path
}

// nameSpec is a contract with a name of each kind sdkgen makes: an enum
// schema, an enum property and values, and fields for the initialisms.
const nameSpec = `{"openapi": "3.0.3", "info": {"title": "names", "version": "1"}, "paths": {},
  "components": {"schemas": {
    "ErrorCode": {"type": "string", "enum": ["api_key_invalid", "in_progress", "sku_unknown", "callback_url_v2"]},
    "Practitioner": {"type": "object", "properties": {
      "appointment_type_ids": {"type": "array", "items": {"type": "string"}},
      "product_sku": {"type": "string"},
      "video_provider": {"type": "string", "enum": ["zoom_us", "in_house_url"]},
      "SlotValidation_reason": {"type": "string", "enum": ["slot-in past", "v1"]}}}}}}`

// gensNames has oapi-codegen generate models from nameSpec with cfg and
// returns what it wrote, then sets sdkgen's names to cfg's.
func gensNames(t *testing.T, cfg codegen.Configuration) (string, names) {
	t.Helper()
	spec, err := openapi3.NewLoader().LoadFromData([]byte(nameSpec))
	require.NoError(t, err)
	cfg.Generate = codegen.GenerateOptions{Models: true}
	cfg.OutputOptions.SkipPrune = true // no operation refers to the schemas
	src, err := codegen.Generate(spec, cfg)
	require.NoError(t, err)
	n, err := newNames(cfg)
	require.NoError(t, err)
	return src, n
}

// declares tells whether Go source src declares name: a type, a constant
// of a const block or a struct field.
func declares(src, name string) bool {
	return regexp.MustCompile(`(?m)^(type |\t)` + regexp.QuoteMeta(name) + ` `).MatchString(src)
}

// sdkgen's names are the ones oapi-codegen gives the same identifiers with
// oapi-codegen.yaml: its initialisms, the one the file adds (IDs), and
// the enum types' names.
func TestNamesAreOapiCodegens(t *testing.T) {
	cfg, err := codegenconfig.Load(configPath)
	require.NoError(t, err)
	src, n := gensNames(t, cfg.Configuration)
	for name, want := range map[string]string{
		n.schemaType("ErrorCode"):                                                         "ErrorCode",
		n.schemaType("ErrorCode") + n.value("api_key_invalid"):                            "ErrorCodeAPIKeyInvalid",
		n.schemaType("ErrorCode") + n.value("in_progress"):                                "ErrorCodeInProgress",
		n.schemaType("ErrorCode") + n.value("callback_url_v2"):                            "ErrorCodeCallbackURLV2",
		n.schemaType("ErrorCode") + n.value("sku_unknown"):                                "ErrorCodeSkuUnknown",
		n.propertyType("Practitioner", "video_provider"):                                  "PractitionerVideoProvider",
		n.propertyType("Practitioner", "video_provider") + n.value("in_house_url"):        "PractitionerVideoProviderInHouseURL",
		n.propertyType("Practitioner", "SlotValidation_reason"):                           "PractitionerSlotValidationReason",
		n.propertyType("Practitioner", "SlotValidation_reason") + n.value("slot-in past"): "PractitionerSlotValidationReasonSlotInPast",
		n.propertyType("Practitioner", "SlotValidation_reason") + n.value("v1"):           "PractitionerSlotValidationReasonV1",
		n.value("appointment_type_ids"):                                                   "AppointmentTypeIDs",
		n.value("product_sku"):                                                            "ProductSku",
	} {
		assert.Equal(t, want, name)
		assert.True(t, declares(src, name), "oapi-codegen declares no %s:\n%s", name, src)
	}
}

// An initialism the configuration adds, and that oapi-codegen's own list
// lacks, is spelled by sdkgen as by oapi-codegen.
func TestAnInitialismOfTheConfigurationAlone(t *testing.T) {
	cfg, err := codegenconfig.Load(configWith(t, "additional-initialisms: [IDs]", "additional-initialisms: [IDs, SKU]"))
	require.NoError(t, err)
	src, n := gensNames(t, cfg.Configuration)
	for name, want := range map[string]string{
		n.schemaType("ErrorCode") + n.value("sku_unknown"): "ErrorCodeSKUUnknown",
		n.value("product_sku"):                             "ProductSKU",
		n.value("appointment_type_ids"):                    "AppointmentTypeIDs",
	} {
		assert.Equal(t, want, name)
		assert.True(t, declares(src, name), "oapi-codegen declares no %s:\n%s", name, src)
	}
}

// sdkgen names its constants with the naming options of the configuration
// it is given: an initialism added to oapi-codegen.yaml, or another name
// normalizer, changes its names as it changes gen's.
func TestTheConfigurationMakesTheNames(t *testing.T) {
	spec := patched(t, `          "hold_expired",`, `          "hold_expired", "sku_unknown",`)

	codes, _, err := generate(t, spec)
	require.NoError(t, err)
	assert.Contains(t, codes, `ErrorCodeSkuUnknown ErrorCode = "sku_unknown"`)

	codes, _, err = generateWith(t, spec, configWith(t, "additional-initialisms: [IDs]", "additional-initialisms: [IDs, SKU]"))
	require.NoError(t, err)
	assert.Contains(t, codes, `ErrorCodeSKUUnknown ErrorCode = "sku_unknown"`)

	camel := configWith(t, "name-normalizer: ToCamelCaseWithInitialisms\n", "name-normalizer: ToCamelCase\n", "additional-initialisms: [IDs]\n", "")
	codes, _, err = generateWith(t, spec, camel)
	require.NoError(t, err)
	assert.Contains(t, codes, `ErrorCodeApiKeyInvalid ErrorCode = "api_key_invalid"`)
	assert.Contains(t, codes, `ErrorCodeSkuUnknown ErrorCode = "sku_unknown"`)

	// As oapi-codegen does, sdkgen refuses initialisms without their
	// normalizer.
	_, _, err = generateWith(t, spec, configWith(t, "name-normalizer: ToCamelCaseWithInitialisms\n", "name-normalizer: ToCamelCase\n"))
	assert.ErrorContains(t, err, "additional-initialisms")
}

func TestRefusesWhatItCannotRead(t *testing.T) {
	_, _, err := generate(t, patched(t, `"ErrorCode": {`, `"ErrorCodes": {`, `"#/components/schemas/ErrorCode"`, `"#/components/schemas/ErrorCodes"`))
	assert.ErrorContains(t, err, "no ErrorType or ErrorCode enum")

	_, _, err = generate(t, filepath.Join(t.TempDir(), "missing.json"))
	assert.Error(t, err)

	err = run([]string{"-spec", specPath}, &bytes.Buffer{})
	assert.ErrorContains(t, err, "is required")
}
