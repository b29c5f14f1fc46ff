package harden

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/fixity-sec/fixity/pkg/image/imagetest"
	"github.com/fixity-sec/fixity/pkg/image/layertest"
)

// BenchmarkCheck runs the rules over 20,000 small text files and a few
// large ones, the shape of a distribution image's /usr.
func BenchmarkCheck(b *testing.B) {
	var es []layertest.Entry
	text := strings.Repeat("Some documentation line with key = value and a URL https://example.com/x\n", 40)
	for i := 0; i < 20000; i++ {
		es = append(es, layertest.File(fmt.Sprintf("usr/share/doc/pkg%d/README", i), text))
	}
	big := strings.Repeat("x", 4<<20)
	for i := 0; i < 8; i++ {
		es = append(es, layertest.Exe(fmt.Sprintf("usr/bin/big%d", i), elfHeader+big))
	}
	img := imagetest.Image(b, safeConfig(), now, layertest.Layer(b, es...), layertest.Layer(b, layertest.File("etc/app.conf", "x")))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Check(context.Background(), img, Options{Now: fixedNow}); err != nil {
			b.Fatal(err)
		}
	}
}
