package canonjson

import (
	"encoding/json"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The fast path must write exactly what the decoding path writes, or
// decline: decoding is the definition.
func checkSameAsDecoding(t *testing.T, doc []byte) {
	t.Helper()
	want, werr := format(doc, false)
	got, ok := compactFast(doc)
	if ok {
		require.NoError(t, werr, "the fast path accepted what decoding refuses: %q", doc)
		require.Equal(t, string(want), string(got), "input %q", doc)
	}
	viaCompact, err := Compact(doc)
	if werr != nil {
		require.Error(t, err, "input %q", doc)
		return
	}
	require.NoError(t, err)
	require.Equal(t, string(want), string(viaCompact), "input %q", doc)
}

var compactCorpus = []string{
	`{}`, `[]`, `null`, `true`, `false`, `0`, `-0`, `1.5e-3`, `12345678901234567890`, `"x"`, ` {"a" : 1 } `,
	`{"b":1,"object":"x","a":{"z":1,"id":"i","A":2},"id":"y"}`,
	`{"a":1,"a":2}`, `{"b":1,"a":1,"b":3}`, `{"id":1,"id":{"x":[1,{"b":2,"a":1}]}}`,
	`{"s":"\u003ca\u0026b\u003e","t":"caf\u00e9","u":"é","v":"\n\t\"\\\/","w":"\u2028","x":"\ud83d\ude00"}`,
	`{"\u0061":1,"a":2}`, `{"\u0069d":1,"b":2}`, `{"b":"\u0000"}`, "{\"b\":\"\xff\"}",
	`[1,[2,[3,[]]],{}]`, `{"a":[{"object":"o","id":"i"},{"id":"j"}]}`,
	// Not JSON, or not exactly one value: both paths must refuse or agree.
	``, `{`, `{"a"}`, `{"a":}`, `{"a":1,}`, `[1,]`, `01`, `1.`, `.5`, `1e`, `-`, `+1`, `tru`, `nul`,
	`"a`, `"\`, `{"a":1} {"b":2}`, `{}]`, `{} x`, "\"a\x01\"", `{'a':1}`, `[1 2]`, `{"a":1 "b":2}`,
}

func TestCompactFastMatchesDecodingOnTheCorpus(t *testing.T) {
	for _, doc := range compactCorpus {
		checkSameAsDecoding(t, []byte(doc))
	}
	deep := strings.Repeat("[", maxDepth+5) + strings.Repeat("]", maxDepth+5)
	_, ok := compactFast([]byte(deep))
	assert.False(t, ok, "too deep for the fast path")
	checkSameAsDecoding(t, []byte(deep))
}

// Documents as the fake's encoder writes them: generated values, encoded
// by encoding/json with its default HTML escaping.
func TestCompactFastMatchesDecodingOnRandomDocuments(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for range 3000 {
		doc, err := json.Marshal(randomValue(rng, 0))
		require.NoError(t, err)
		checkSameAsDecoding(t, doc)
	}
}

func randomValue(rng *rand.Rand, depth int) any {
	words := []string{"id", "object", "a", "B", "zeta", "<tag>", "a&b", "Müller", "line\nbreak", "quote\"", "tab\t", "\u2028", "😀", ""}
	switch k := rng.IntN(8); {
	case depth < 4 && k < 2:
		m := map[string]any{}
		for range rng.IntN(6) {
			m[words[rng.IntN(len(words))]+strconv.Itoa(rng.IntN(3))] = randomValue(rng, depth+1)
		}
		if rng.IntN(2) == 0 {
			m["id"] = "x"
		}
		return m
	case depth < 4 && k < 4:
		a := make([]any, rng.IntN(4))
		for i := range a {
			a[i] = randomValue(rng, depth+1)
		}
		return a
	case k == 4:
		return rng.Float64() * 1e6
	case k == 5:
		return rng.IntN(2) == 0
	case k == 6:
		return nil
	}
	return words[rng.IntN(len(words))]
}

func FuzzCompact(f *testing.F) {
	for _, doc := range compactCorpus {
		f.Add([]byte(doc))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		checkSameAsDecoding(t, doc)
	})
}
