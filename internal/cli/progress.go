package cli

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// progress draws one status line on a terminal, redrawn at most every
// 100ms so that a fast scan costs nothing to display.
type progress struct {
	mu    sync.Mutex
	w     io.Writer
	step  string
	total int
	done  int
	last  time.Time
	drawn bool
}

func newProgress(w io.Writer) *progress { return &progress{w: w} }

func (p *progress) Step(name string, total int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.step, p.total, p.done = name, total, 0
	p.draw(true)
}

func (p *progress) Advance(n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done += n
	p.draw(p.done == p.total)
}

func (p *progress) draw(force bool) {
	now := time.Now()
	if !force && now.Sub(p.last) < 100*time.Millisecond {
		return
	}
	p.last = now
	p.drawn = true
	if p.total > 0 {
		fmt.Fprintf(p.w, "\r\033[K%s %d/%d", p.step, p.done, p.total)
		return
	}
	fmt.Fprintf(p.w, "\r\033[K%s…", p.step)
}

// Clear removes the status line before the report is printed.
func (p *progress) Clear() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.drawn {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
