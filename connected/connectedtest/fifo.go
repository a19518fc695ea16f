package connectedtest

// fifo is a first-in, first-out queue. The fake keeps its short-lived
// state (holds, idempotency keys) in one per kind, in order of expiry, so
// that forgetting what has expired looks only at the front.
type fifo[T any] struct {
	items []T
	head  int
}

func (q *fifo[T]) push(v T) { q.items = append(q.items, v) }

func (q *fifo[T]) len() int { return len(q.items) - q.head }

// front returns the oldest element, if any.
func (q *fifo[T]) front() (T, bool) {
	if q.head == len(q.items) {
		var zero T
		return zero, false
	}
	return q.items[q.head], true
}

// pop drops the oldest element. Once the dropped prefix is the larger part
// of the backing array, the rest moves down (to a smaller array if the
// queue was once much longer), so a queue that is pushed and popped for
// hours keeps an array about the size of what it holds.
func (q *fifo[T]) pop() {
	var zero T
	q.items[q.head] = zero // let the element be collected
	q.head++
	if q.head < fifoCompactAt || q.head*2 < len(q.items) {
		return
	}
	rest := q.items[q.head:]
	if cap(q.items) > 4*len(rest) {
		q.items = append(make([]T, 0, 2*len(rest)), rest...)
	} else {
		n := copy(q.items, rest)
		clear(q.items[n:])
		q.items = q.items[:n]
	}
	q.head = 0
}

// fifoCompactAt is how many popped slots a queue tolerates before moving
// its elements down: moving is O(len), so it must be rare.
const fifoCompactAt = 1024
