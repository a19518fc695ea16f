package canonjson_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dronline/connected-go/internal/canonjson"
)

func TestCompactOrdersKeysIDObjectThenAToZ(t *testing.T) {
	out, err := canonjson.Compact([]byte(`{"b":1,"object":"x","a":{"z":1,"id":"i","A":2},"id":"y"}`))
	require.NoError(t, err)
	assert.Equal(t, `{"id":"y","object":"x","a":{"id":"i","A":2,"z":1},"b":1}`, string(out))
}

func TestIndentIsTwoSpacesWithATrailingNewline(t *testing.T) {
	out, err := canonjson.Indent([]byte(`{"list":[2,1,{}],"empty":[],"id":"x"}`))
	require.NoError(t, err)
	assert.Equal(t, "{\n  \"id\": \"x\",\n  \"empty\": [],\n  \"list\": [\n    2,\n    1,\n    {}\n  ]\n}\n", string(out))
}

func TestNumbersAndMarkupAreKeptAsWritten(t *testing.T) {
	out, err := canonjson.Compact([]byte(`{"big":12345678901234567890,"f":1.50,"e":1e3,"s":"<a&b>"}`))
	require.NoError(t, err)
	assert.Equal(t, `{"big":12345678901234567890,"e":1e3,"f":1.50,"s":"<a&b>"}`, string(out))
}

func TestIndentIsIdempotent(t *testing.T) {
	once, err := canonjson.Indent([]byte(`{"b":[{"object":"o","id":"i"}],"a":null}`))
	require.NoError(t, err)
	twice, err := canonjson.Indent(once)
	require.NoError(t, err)
	assert.Equal(t, string(once), string(twice))
}

func TestRejectsWhatIsNotExactlyOneJSONValue(t *testing.T) {
	for name, in := range map[string]string{
		"not JSON":      `<html>`,
		"truncated":     `{"a":`,
		"empty":         ``,
		"trailing data": `{"a":1} {"b":2}`,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := canonjson.Indent([]byte(in))
			require.Error(t, err)
			_, err = canonjson.Compact([]byte(in))
			require.Error(t, err)
		})
	}
	_, err := canonjson.Compact([]byte(`{"a":1} {"b":2}`))
	assert.ErrorContains(t, err, "trailing data")
	_, err = canonjson.Compact([]byte(`nope`))
	assert.ErrorContains(t, err, "not JSON")
}

func TestLess(t *testing.T) {
	assert.True(t, canonjson.Less("id", "object"))
	assert.True(t, canonjson.Less("object", "a"))
	assert.True(t, canonjson.Less("B", "a"), "byte order after id and object")
	assert.False(t, canonjson.Less("a", "id"))
}

func TestMarshalIndentEncodesThenOrders(t *testing.T) {
	out, err := canonjson.MarshalIndent(map[string]any{"b": "<a&b>", "object": "x", "id": 1})
	require.NoError(t, err)
	assert.Equal(t, "{\n  \"id\": 1,\n  \"object\": \"x\",\n  \"b\": \"<a&b>\"\n}\n", string(out))
	_, err = canonjson.MarshalIndent(func() {})
	assert.Error(t, err, "a value JSON cannot encode is an error")
}
