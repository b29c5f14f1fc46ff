package scan

import (
	"context"
	"os"
	"runtime/pprof"
	"testing"
	"time"

	"github.com/fixity-sec/fixity/pkg/iac/terraform"
	"github.com/fixity-sec/fixity/pkg/rules"
)

func TestProfTmp(t *testing.T) {
	f, _ := os.Create("/tmp/profscan/cpu.out")
	pprof.StartCPUProfile(f)
	t0 := time.Now()
	st, err := terraform.Load(context.Background(), "/tmp/fixity-corpus", terraform.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t1 := time.Now()
	for _, r := range rules.All() {
		s := time.Now()
		r.Check(st)
		if d := time.Since(s); d > 50*time.Millisecond {
			t.Logf("%s %v", r.ID, d)
		}
	}
	t2 := time.Now()
	pprof.StopCPUProfile()
	t.Logf("load %v rules %v", t1.Sub(t0), t2.Sub(t1))
}
