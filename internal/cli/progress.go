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
	total int64 // <= 0: unknown
	done  int64
	bytes bool // done and total count bytes
	last  time.Time
	drawn bool
}

func newProgress(w io.Writer) *progress { return &progress{w: w} }

func (p *progress) Step(name string, total int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.step, p.total, p.done, p.bytes = name, int64(total), 0, false
	p.draw(true)
}

func (p *progress) Advance(n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done += int64(n)
	p.draw(p.done == p.total)
}

// Set moves the current step to done of total items.
func (p *progress) Set(done, total int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done, p.total = int64(done), int64(total)
	p.draw(p.done == p.total)
}

// Transfer starts a step that counts bytes and returns the function that
// moves it on: read so far of total (-1 when the size is not known).
func (p *progress) Transfer(name string) func(read, total int64) {
	p.mu.Lock()
	p.step, p.total, p.done, p.bytes = name, 0, 0, true
	p.draw(true)
	p.mu.Unlock()
	return func(read, total int64) {
		p.mu.Lock()
		defer p.mu.Unlock()
		p.done, p.total = read, total
		p.draw(read == total)
	}
}

func (p *progress) draw(force bool) {
	now := time.Now()
	if !force && now.Sub(p.last) < 100*time.Millisecond {
		return
	}
	p.last = now
	p.drawn = true
	switch {
	case p.bytes && p.total > 0:
		fmt.Fprintf(p.w, "\r\033[K%s %s/%s", p.step, byteSize(p.done), byteSize(p.total))
	case p.bytes && p.done > 0:
		fmt.Fprintf(p.w, "\r\033[K%s %s", p.step, byteSize(p.done))
	case p.total > 0:
		fmt.Fprintf(p.w, "\r\033[K%s %d/%d", p.step, p.done, p.total)
	default:
		fmt.Fprintf(p.w, "\r\033[K%s…", p.step)
	}
}

// byteSize writes n in the largest binary unit that keeps it at least 1.
func byteSize(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}

// Clear removes the status line before the report is printed.
func (p *progress) Clear() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.drawn {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
