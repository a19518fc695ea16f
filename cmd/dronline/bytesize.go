package main

import (
	"fmt"
	"strconv"
	"strings"
)

// byteSize is a flag's size in bytes: a number of bytes, or a number
// followed by KiB, MiB or GiB (KB, MB, GB and k, M, G mean the same).
type byteSize int64

var byteUnits = []struct {
	suffix string
	scale  int64
}{
	{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30},
	{"KB", 1 << 10}, {"MB", 1 << 20}, {"GB", 1 << 30},
	{"k", 1 << 10}, {"K", 1 << 10}, {"M", 1 << 20}, {"G", 1 << 30},
	{"B", 1},
}

func (b *byteSize) Set(s string) error {
	num, scale := strings.TrimSpace(s), int64(1)
	for _, u := range byteUnits {
		if n, ok := strings.CutSuffix(num, u.suffix); ok {
			num, scale = strings.TrimSpace(n), u.scale
			break
		}
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n < 0 || n > (1<<62)/scale {
		return fmt.Errorf("%q is not a size (such as 64MiB, 512KiB or 1048576)", s)
	}
	*b = byteSize(n * scale)
	return nil
}

func (b *byteSize) String() string {
	n := int64(*b)
	for i := 2; i >= 0; i-- { // the largest of GiB, MiB, KiB that divides n
		if u := byteUnits[i]; n > 0 && n%u.scale == 0 {
			return strconv.FormatInt(n/u.scale, 10) + u.suffix
		}
	}
	return strconv.FormatInt(n, 10)
}

func (*byteSize) Type() string { return "size" }
