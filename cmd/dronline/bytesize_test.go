package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestByteSizeFlag(t *testing.T) {
	for in, want := range map[string]int64{
		"64MiB": 64 << 20, "512KiB": 512 << 10, "1048576": 1 << 20, "2GiB": 2 << 30,
		"3 MB": 3 << 20, "8M": 8 << 20, "100B": 100,
	} {
		var b byteSize
		require.NoError(t, b.Set(in), in)
		assert.Equal(t, want, int64(b), in)
	}
	for _, in := range []string{"", "MiB", "-1MiB", "1.5MiB", "64 mebibytes", "99999999999GiB"} {
		var b byteSize
		assert.Error(t, b.Set(in), in)
	}
	for n, want := range map[int64]string{64 << 20: "64MiB", 1 << 30: "1GiB", 1536 << 10: "1536KiB", 1000: "1000", 4 << 40: "4096GiB"} {
		b := byteSize(n)
		assert.Equal(t, want, b.String())
	}
}
