package rehearsal

import (
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
)

// patchOp is one operation of a JSON Patch (RFC 6902). Of its six
// operations, add, remove, replace, move and test are enough for the
// rehearsal's contract changes; copy is refused.
type patchOp struct {
	Op    string `json:"op"`
	Path  string `json:"path"`
	From  string `json:"from,omitempty"`
	Value any    `json:"value,omitempty"`
}

// applyPatch applies ops in order to doc, a document decoded with
// encoding/json (maps, slices, json.Number), and returns the result. A
// failing operation, a "test" that does not hold included, is an error
// naming it: a patch that no longer fits the pinned spec must say so, not
// rehearse nothing.
func applyPatch(doc any, ops []patchOp) (any, error) {
	for i, op := range ops {
		var err error
		switch op.Op {
		case "add":
			doc, err = setAt(doc, op.Path, op.Value, true)
		case "remove":
			doc, _, err = removeAt(doc, op.Path)
		case "replace":
			if _, err = getAt(doc, op.Path); err == nil {
				doc, err = setAt(doc, op.Path, op.Value, false)
			}
		case "move":
			var v any
			if doc, v, err = removeAt(doc, op.From); err == nil {
				doc, err = setAt(doc, op.Path, v, true)
			}
		case "test":
			var v any
			if v, err = getAt(doc, op.Path); err == nil && !reflect.DeepEqual(normalise(v), normalise(op.Value)) {
				err = fmt.Errorf("the value there is %v, not %v", v, op.Value)
			}
		default:
			err = fmt.Errorf("unsupported op %q", op.Op)
		}
		if err != nil {
			return nil, fmt.Errorf("operation %d (%s %s): %w", i+1, op.Op, op.Path, err)
		}
	}
	return doc, nil
}

// pointer splits an RFC 6901 JSON Pointer into its unescaped tokens.
func pointer(p string) ([]string, error) {
	if p == "" {
		return nil, nil
	}
	if !strings.HasPrefix(p, "/") {
		return nil, errors.New("a JSON Pointer starts with /")
	}
	toks := strings.Split(p[1:], "/")
	for i, t := range toks {
		toks[i] = strings.ReplaceAll(strings.ReplaceAll(t, "~1", "/"), "~0", "~")
	}
	return toks, nil
}

func getAt(doc any, path string) (any, error) {
	toks, err := pointer(path)
	if err != nil {
		return nil, err
	}
	cur := doc
	for _, t := range toks {
		switch c := cur.(type) {
		case map[string]any:
			v, ok := c[t]
			if !ok {
				return nil, fmt.Errorf("no member %q", t)
			}
			cur = v
		case []any:
			i, err := index(t, len(c), false)
			if err != nil {
				return nil, err
			}
			cur = c[i]
		default:
			return nil, fmt.Errorf("%q: not an object or array", t)
		}
	}
	return cur, nil
}

// setAt sets (insert: adds, inserting into arrays) the value at path and
// returns the new root.
func setAt(doc any, path string, value any, insert bool) (any, error) {
	toks, err := pointer(path)
	if err != nil {
		return nil, err
	}
	if len(toks) == 0 {
		return value, nil
	}
	parentPath := "/" + strings.Join(escape(toks[:len(toks)-1]), "/")
	if len(toks) == 1 {
		parentPath = ""
	}
	parent, err := getAt(doc, parentPath)
	if err != nil {
		return nil, err
	}
	last := toks[len(toks)-1]
	switch c := parent.(type) {
	case map[string]any:
		c[last] = value
		return doc, nil
	case []any:
		i, err := index(last, len(c), insert)
		if err != nil {
			return nil, err
		}
		if insert {
			c = append(c[:i], append([]any{value}, c[i:]...)...)
		} else {
			c[i] = value
		}
		return setAt(doc, parentPath, c, false)
	}
	return nil, fmt.Errorf("the parent of %q is not an object or array", last)
}

func removeAt(doc any, path string) (any, any, error) {
	toks, err := pointer(path)
	if err != nil || len(toks) == 0 {
		return nil, nil, errors.New("cannot remove the whole document")
	}
	old, err := getAt(doc, path)
	if err != nil {
		return nil, nil, err
	}
	parentPath := "/" + strings.Join(escape(toks[:len(toks)-1]), "/")
	if len(toks) == 1 {
		parentPath = ""
	}
	parent, _ := getAt(doc, parentPath)
	last := toks[len(toks)-1]
	switch c := parent.(type) {
	case map[string]any:
		delete(c, last)
		return doc, old, nil
	case []any:
		i, _ := index(last, len(c), false)
		doc, err = setAt(doc, parentPath, append(c[:i:i], c[i+1:]...), false)
		return doc, old, err
	}
	return nil, nil, errors.New("not in an object or array")
}

// index reads an array index; "-" (one past the end) only when inserting.
func index(tok string, n int, insert bool) (int, error) {
	if tok == "-" && insert {
		return n, nil
	}
	i, err := strconv.Atoi(tok)
	limit := n - 1
	if insert {
		limit = n
	}
	if err != nil || i < 0 || i > limit || (len(tok) > 1 && tok[0] == '0') {
		return 0, fmt.Errorf("index %q out of range for an array of %d", tok, n)
	}
	return i, nil
}

func escape(toks []string) []string {
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = strings.ReplaceAll(strings.ReplaceAll(t, "~", "~0"), "/", "~1")
	}
	return out
}

// normalise makes numbers comparable whatever decoded them.
func normalise(v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, x := range t {
			out[k] = normalise(x)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = normalise(x)
		}
		return out
	case fmt.Stringer:
		return t.String()
	case float64:
		return strconv.FormatFloat(t, 'g', -1, 64)
	}
	return v
}
