//go:build !unix

package proccpu

import "time"

const measured = false

// Used is not measured off unix: it is always 0.
func Used() time.Duration { return 0 }
