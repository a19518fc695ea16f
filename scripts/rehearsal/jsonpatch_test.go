package rehearsal

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestApplyPatch(t *testing.T) {
	doc := func() any {
		var v any
		require.NoError(t, json.Unmarshal([]byte(`{"a":{"b/c":[1,2,3],"m~n":"x"},"list":["p","q"]}`), &v))
		return v
	}
	ops := func(s string) []patchOp {
		var o []patchOp
		require.NoError(t, json.Unmarshal([]byte(s), &o))
		return o
	}
	out, err := applyPatch(doc(), ops(`[
		{"op":"test","path":"/a/m~0n","value":"x"},
		{"op":"add","path":"/a/b~1c/-","value":4},
		{"op":"add","path":"/a/b~1c/0","value":0},
		{"op":"remove","path":"/a/b~1c/2"},
		{"op":"replace","path":"/list/1","value":"r"},
		{"op":"move","from":"/a/m~0n","path":"/moved"},
		{"op":"add","path":"/new","value":{"k":true}}
	]`))
	require.NoError(t, err)
	got, _ := json.Marshal(out)
	assert.JSONEq(t, `{"a":{"b/c":[0,1,3,4]},"list":["p","r"],"moved":"x","new":{"k":true}}`, string(got))

	for _, bad := range []struct{ patch, err string }{
		{`[{"op":"test","path":"/a/m~0n","value":"y"}]`, "operation 1 (test /a/m~0n): the value there is x, not y"},
		{`[{"op":"remove","path":"/nope"}]`, `no member "nope"`},
		{`[{"op":"replace","path":"/a/zz","value":1}]`, `no member "zz"`},
		{`[{"op":"add","path":"/list/5","value":1}]`, "out of range"},
		{`[{"op":"remove","path":"/list/-"}]`, "out of range"},
		{`[{"op":"copy","from":"/a","path":"/b"}]`, "unsupported op"},
		{`[{"op":"add","path":"a","value":1}]`, "starts with /"},
	} {
		_, err := applyPatch(doc(), ops(bad.patch))
		assert.ErrorContains(t, err, bad.err, bad.patch)
	}
}

func TestVariantsSayWhatTheyRehearse(t *testing.T) {
	for _, tc := range []struct {
		v   variant
		err string
	}{
		{variant{Name: "additive-x", Kind: "minor", Description: "d", Patch: []patchOp{{}}}, "kind is"},
		{variant{Name: "x", Kind: additive, Description: "d", Patch: []patchOp{{}}}, "must start with its kind"},
		{variant{Name: "additive-x", Kind: additive, Patch: []patchOp{{}}}, "description"},
		{variant{Name: "additive-x", Kind: additive, Description: "d"}, "patch is empty"},
		{variant{Name: "breaking-x", Kind: breaking, Description: "d", Patch: []patchOp{{}}}, "caught_by"},
		{variant{Name: "additive-x", Kind: additive, Description: "d", Patch: []patchOp{{}}, Expect: expect{CaughtBy: "build"}}, "breaking changes only"},
		{variant{Name: "breaking-x", Kind: breaking, Description: "d", Patch: []patchOp{{}}, Expect: expect{CaughtBy: "build", Unimplemented: []string{"X"}}}, "only caught_by"},
	} {
		assert.ErrorContains(t, tc.v.check(), tc.err)
	}
}
