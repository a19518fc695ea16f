package canonjson

import (
	"bytes"
	"encoding/json"
	"slices"
)

// compactFast is Compact without decoding: it reorders the members of each
// object as byte ranges and copies numbers, literals and plain strings as
// they are. The fake server canonicalizes every response body with
// Compact, and decoding a page of 100 appointments into maps and
// re-encoding every scalar cost milliseconds. It reports false for
// anything it is not certain to write exactly as format would (invalid
// JSON, very deep nesting), and Compact then takes the decoding path.
func compactFast(doc []byte) ([]byte, bool) {
	p := &compactor{in: doc, out: make([]byte, 0, len(doc))}
	p.space()
	if !p.value(0) {
		return nil, false
	}
	p.space()
	if p.pos != len(p.in) {
		return nil, false
	}
	return p.out, true
}

// maxDepth bounds recursion; deeper documents take the decoding path.
const maxDepth = 1000

type compactor struct {
	in      []byte
	pos     int
	out     []byte
	members []member // a stack: each open object's members, innermost last
	scratch []byte   // a copy of the object being reordered
}

// member is one object member written to out: its decoded key and the
// range of `"key":value` in out.
type member struct {
	key      []byte
	from, to int
}

func (p *compactor) space() {
	for p.pos < len(p.in) {
		switch p.in[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

func (p *compactor) value(depth int) bool {
	if p.pos >= len(p.in) || depth > maxDepth {
		return false
	}
	switch c := p.in[p.pos]; {
	case c == '{':
		return p.object(depth)
	case c == '[':
		return p.array(depth)
	case c == '"':
		_, ok := p.str()
		return ok
	case c == 't':
		return p.literal("true")
	case c == 'f':
		return p.literal("false")
	case c == 'n':
		return p.literal("null")
	case c == '-' || c >= '0' && c <= '9':
		return p.number()
	}
	return false
}

func (p *compactor) literal(lit string) bool {
	if !bytes.HasPrefix(p.in[p.pos:], []byte(lit)) {
		return false
	}
	p.out = append(p.out, lit...)
	p.pos += len(lit)
	return true
}

// number copies a number that matches JSON's grammar, as written:
// -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
func (p *compactor) number() bool {
	start, i, in := p.pos, p.pos, p.in
	digits := func() int {
		n := 0
		for i < len(in) && in[i] >= '0' && in[i] <= '9' {
			i++
			n++
		}
		return n
	}
	if i < len(in) && in[i] == '-' {
		i++
	}
	switch {
	case i < len(in) && in[i] == '0':
		i++
	case digits() == 0:
		return false
	}
	if i < len(in) && in[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	}
	if i < len(in) && (in[i] == 'e' || in[i] == 'E') {
		i++
		if i < len(in) && (in[i] == '+' || in[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	p.out = append(p.out, in[start:i]...)
	p.pos = i
	return true
}

// str writes the string at pos as encoding/json writes it without HTML
// escaping, and returns its decoded value. A string of printable ASCII
// without escapes is already in that form; any other goes through
// encoding/json both ways, as format's does.
func (p *compactor) str() ([]byte, bool) {
	start := p.pos
	plain := true
	i := start + 1
	for ; i < len(p.in); i++ {
		c := p.in[i]
		if c == '"' {
			break
		}
		if c == '\\' {
			plain = false
			i++ // the escaped byte cannot end the string
			continue
		}
		if c < 0x20 || c > 0x7e {
			plain = false
		}
	}
	if i >= len(p.in) {
		return nil, false
	}
	raw := p.in[start : i+1]
	p.pos = i + 1
	if plain {
		p.out = append(p.out, raw...)
		return raw[1 : len(raw)-1], true
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return nil, false
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if enc.Encode(s) != nil {
		return nil, false
	}
	p.out = append(p.out, bytes.TrimSuffix(b.Bytes(), []byte("\n"))...)
	return []byte(s), true
}

func (p *compactor) array(depth int) bool {
	p.pos++ // [
	p.out = append(p.out, '[')
	p.space()
	if p.pos < len(p.in) && p.in[p.pos] == ']' {
		p.pos++
		p.out = append(p.out, ']')
		return true
	}
	for {
		p.space()
		if !p.value(depth + 1) {
			return false
		}
		p.space()
		if p.pos >= len(p.in) {
			return false
		}
		switch p.in[p.pos] {
		case ',':
			p.pos++
			p.out = append(p.out, ',')
		case ']':
			p.pos++
			p.out = append(p.out, ']')
			return true
		default:
			return false
		}
	}
}

// object writes the members as they come, then, unless they were already
// in order and unique, rewrites them sorted, keeping the last of
// duplicate keys (as decoding into a map does).
func (p *compactor) object(depth int) bool {
	p.pos++ // {
	start := len(p.out)
	p.out = append(p.out, '{')
	p.space()
	if p.pos < len(p.in) && p.in[p.pos] == '}' {
		p.pos++
		p.out = append(p.out, '}')
		return true
	}
	base := len(p.members)
	defer func() { p.members = p.members[:base] }()
	inOrder := true
	for {
		p.space()
		if p.pos >= len(p.in) || p.in[p.pos] != '"' {
			return false
		}
		from := len(p.out)
		key, ok := p.str()
		if !ok {
			return false
		}
		p.space()
		if p.pos >= len(p.in) || p.in[p.pos] != ':' {
			return false
		}
		p.pos++
		p.out = append(p.out, ':')
		p.space()
		if !p.value(depth + 1) {
			return false
		}
		if n := len(p.members); n > base && compareKeys(p.members[n-1].key, key) >= 0 {
			inOrder = false
		}
		p.members = append(p.members, member{key: key, from: from, to: len(p.out)})
		p.space()
		if p.pos >= len(p.in) {
			return false
		}
		switch p.in[p.pos] {
		case ',':
			p.pos++
			p.out = append(p.out, ',')
			continue
		case '}':
			p.pos++
		default:
			return false
		}
		break
	}
	if inOrder {
		p.out = append(p.out, '}')
		return true
	}
	members := p.members[base:]
	p.scratch = append(p.scratch[:0], p.out[start:]...)
	written := p.scratch
	// Stable, so that of equal keys the last written is last: it wins.
	slices.SortStableFunc(members, func(a, b member) int { return compareKeys(a.key, b.key) })
	p.out = append(p.out[:start], '{')
	first := true
	for i, m := range members {
		if i+1 < len(members) && compareKeys(m.key, members[i+1].key) == 0 {
			continue
		}
		if !first {
			p.out = append(p.out, ',')
		}
		first = false
		p.out = append(p.out, written[m.from-start:m.to-start]...)
	}
	p.out = append(p.out, '}')
	return true
}

// compareKeys is Less as a comparison, on decoded keys.
func compareKeys(a, b []byte) int {
	if ra, rb := keyRank(a), keyRank(b); ra != rb {
		return ra - rb
	}
	return bytes.Compare(a, b)
}

func keyRank(k []byte) int {
	switch {
	case bytes.Equal(k, []byte("id")):
		return 0
	case bytes.Equal(k, []byte("object")):
		return 1
	}
	return 2
}
