package connectedtest

import "slices"

// ordered is a sorted set kept as a list of short sorted chunks, so that an
// insert or delete moves at most a chunk's worth of elements and a lookup is
// two binary searches, however large the set grows. It backs every index
// the fake keeps (appointments in list order, busy intervals by start):
// a plain sorted slice would move the whole history on each insert.
//
// cmp must be a strict total order: no two elements compare equal unless
// they are the same element.
type ordered[T any] struct {
	cmp    func(a, b T) int
	chunks [][]T // each non-empty and sorted; their concatenation is sorted
	n      int
}

// chunkMax bounds a chunk: big enough that a million elements make only a
// few thousand chunks, small enough that shifting one is cheap.
const chunkMax = 256

func newOrdered[T any](cmp func(a, b T) int) *ordered[T] {
	return &ordered[T]{cmp: cmp}
}

// Len is the number of elements.
func (o *ordered[T]) Len() int { return o.n }

// cursor is a position in the set: chunk c, element i of it. The end of
// the set is {len(chunks), 0}.
type cursor struct{ c, i int }

// seek returns the position of the first element not less than v.
func (o *ordered[T]) seek(v T) cursor {
	c, _ := slices.BinarySearchFunc(o.chunks, v, func(ch []T, v T) int { return o.cmp(ch[len(ch)-1], v) })
	if c == len(o.chunks) {
		return cursor{c: c}
	}
	i, _ := slices.BinarySearchFunc(o.chunks[c], v, o.cmp)
	return cursor{c: c, i: i}
}

// at reports the element at p, if p is not the end.
func (o *ordered[T]) at(p cursor) (T, bool) {
	if p.c >= len(o.chunks) {
		var zero T
		return zero, false
	}
	return o.chunks[p.c][p.i], true
}

// insert adds v, which must not be in the set yet.
func (o *ordered[T]) insert(v T) {
	o.n++
	if len(o.chunks) == 0 {
		o.chunks = append(o.chunks, []T{v})
		return
	}
	p := o.seek(v)
	if p.c == len(o.chunks) { // after everything: append to the last chunk
		p = cursor{c: p.c - 1, i: len(o.chunks[p.c-1])}
	}
	ch := slices.Insert(o.chunks[p.c], p.i, v)
	if len(ch) <= chunkMax {
		o.chunks[p.c] = ch
		return
	}
	// Split in two halves, each with its own backing array.
	half := len(ch) / 2
	left, right := slices.Clip(slices.Clone(ch[:half])), slices.Clone(ch[half:])
	o.chunks[p.c] = left
	o.chunks = slices.Insert(o.chunks, p.c+1, right)
}

// delete removes v and reports whether it was there.
func (o *ordered[T]) delete(v T) bool {
	p := o.seek(v)
	if got, ok := o.at(p); !ok || o.cmp(got, v) != 0 {
		return false
	}
	o.n--
	ch := slices.Delete(o.chunks[p.c], p.i, p.i+1)
	if len(ch) == 0 {
		o.chunks = slices.Delete(o.chunks, p.c, p.c+1)
		return true
	}
	o.chunks[p.c] = ch
	return true
}

// index is p's position counted from the first element. It walks the
// chunks, a few thousand at most, not the elements.
func (o *ordered[T]) index(p cursor) int {
	n := p.i
	for _, ch := range o.chunks[:p.c] {
		n += len(ch)
	}
	return n
}

// cursorAt is the position of the i-th element (the end for i ≥ Len).
func (o *ordered[T]) cursorAt(i int) cursor {
	for c, ch := range o.chunks {
		if i < len(ch) {
			return cursor{c: c, i: i}
		}
		i -= len(ch)
	}
	return cursor{c: len(o.chunks)}
}

// ascend calls yield on the elements from p on, in order, until it
// returns false.
func (o *ordered[T]) ascend(p cursor, yield func(T) bool) {
	for c := p.c; c < len(o.chunks); c++ {
		ch := o.chunks[c]
		start := 0
		if c == p.c {
			start = p.i
		}
		for _, v := range ch[start:] {
			if !yield(v) {
				return
			}
		}
	}
}

// slice returns the elements with positions [lo, hi).
func (o *ordered[T]) slice(lo, hi int) []T {
	out := make([]T, 0, max(hi-lo, 0))
	if hi <= lo {
		return out
	}
	o.ascend(o.cursorAt(lo), func(v T) bool {
		out = append(out, v)
		return len(out) < hi-lo
	})
	return out
}
