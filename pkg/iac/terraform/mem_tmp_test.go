package terraform

import (
	"context"
	"runtime"
	"testing"
)

func TestMemTmp(t *testing.T) {
	root := t.TempDir()
	writeTree(t, root, 100, 20, 11)
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc
	st, _ := Load(context.Background(), root, Options{})
	runtime.GC()
	runtime.ReadMemStats(&ms)
	t.Logf("state live: %d MB, total alloc %d MB, sys %d MB", (ms.HeapAlloc-base)>>20, ms.TotalAlloc>>20, ms.HeapSys>>20)
	runtime.KeepAlive(st)
}
