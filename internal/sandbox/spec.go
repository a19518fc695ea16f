package sandbox

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"sync"

	"github.com/dronline/connected-go/api"
)

// contractRef is how the control API's document refers to a schema of
// the pinned contract: by a relative path that Redocly, Spectral and an
// editor resolve from the repository.
const contractRef = "../../../api/openapi-partner-v1.json#/components/schemas/"

// localRef is how a schema refers to another in the same document.
const localRef = "#/components/schemas/"

var schemaRef = regexp.MustCompile(`"\$ref":\s*"` + regexp.QuoteMeta(localRef) + `([^"]+)"`)

// servedSpec is the document GET /_sandbox/openapi.json answers with:
// control/openapi.json made self-contained. Its references to the pinned
// contract become local ones, and the contract's schemas they reach, and
// the schemas those refer to, are added to its own, as the contract
// writes them. So a client generated from it (openapi-typescript, for
// one) types a state's holds and appointments as the API's objects, and
// the contract stays their one source.
var servedSpec = sync.OnceValues(func() ([]byte, error) {
	raw, err := files.ReadFile("control/openapi.json")
	if err != nil {
		return nil, err
	}
	return assembleSpec(raw, api.Spec())
})

// assembleSpec is control with contract's schemas merged in, as for
// servedSpec. Members keep the order they are written in.
func assembleSpec(control, contract []byte) ([]byte, error) {
	external := regexp.MustCompile(`"\$ref":\s*"` + regexp.QuoteMeta(contractRef) + `([^"]+)"`)
	var want []string
	for _, m := range external.FindAllSubmatch(control, -1) {
		want = append(want, string(m[1]))
	}
	control = external.ReplaceAll(control, []byte(`"$$ref": "`+localRef+`$1"`))

	theirs, err := schemasOf(contract)
	if err != nil {
		return nil, fmt.Errorf("the contract: %w", err)
	}
	byName := map[string]json.RawMessage{}
	for _, m := range theirs {
		byName[m.key] = m.value
	}
	// The contract's schemas reached from the control document, each
	// once, in the order they are first reached.
	var add members
	for i := 0; i < len(want); i++ {
		name := want[i]
		if slices.ContainsFunc(add, func(m member) bool { return m.key == name }) {
			continue
		}
		s, ok := byName[name]
		if !ok {
			return nil, fmt.Errorf("the control document refers to the contract's schema %s, which it does not have", name)
		}
		add = append(add, member{name, s})
		for _, m := range schemaRef.FindAllSubmatch(s, -1) {
			want = append(want, string(m[1]))
		}
	}

	doc, err := parseObject(control)
	if err != nil {
		return nil, err
	}
	err = doc.edit("components", func(comp members) (members, error) {
		return comp, comp.edit("schemas", func(own members) (members, error) {
			for _, m := range add {
				if slices.ContainsFunc(own, func(o member) bool { return o.key == m.key }) {
					return nil, fmt.Errorf("the contract's schema %s has the name of one of the control document's own", m.key)
				}
			}
			return append(own, add...), nil
		})
	})
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	if err := json.Indent(&out, doc.marshal(), "", "  "); err != nil {
		return nil, err
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

// schemasOf is the members of doc's components.schemas.
func schemasOf(doc []byte) (members, error) {
	var d struct {
		Components struct {
			Schemas json.RawMessage `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(doc, &d); err != nil {
		return nil, err
	}
	return parseObject(d.Components.Schemas)
}

// members is a JSON object's members in their order, each value as
// written.
type members []member

type member struct {
	key   string
	value json.RawMessage
}

func parseObject(raw []byte) (members, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, fmt.Errorf("not a JSON object")
	}
	var out members
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, err
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, err
		}
		out = append(out, member{t.(string), v})
	}
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	return out, nil
}

func (ms members) marshal() []byte {
	b := []byte{'{'}
	for i, m := range ms {
		if i > 0 {
			b = append(b, ',')
		}
		k, _ := json.Marshal(m.key)
		b = append(append(append(b, k...), ':'), m.value...)
	}
	return append(b, '}')
}

// edit replaces the object at key with what f makes of it.
func (ms members) edit(key string, f func(members) (members, error)) error {
	for i := range ms {
		if ms[i].key != key {
			continue
		}
		inner, err := parseObject(ms[i].value)
		if err != nil {
			return fmt.Errorf("%s: %w", key, err)
		}
		if inner, err = f(inner); err != nil {
			return err
		}
		ms[i].value = inner.marshal()
		return nil
	}
	return fmt.Errorf("no member %s", key)
}
