package station

import (
	"context"
	"sync"

	"github.com/opentill/opentill/peripherals"
	"github.com/opentill/opentill/peripherals/profile"
	"github.com/opentill/opentill/peripherals/virtual"
	"github.com/opentill/opentill/pos/receipt"
	"github.com/opentill/opentill/pos/till/devices"
)

// newPanel returns the virtual devices of dev as a devices.Panel, or nil
// when there are none. It takes the virtual devices' hooks (OnShow,
// OnChange, OnPrint), so it runs before the devices do.
func newPanel(dev *profile.Devices) *devices.Panel {
	w := &watchers{fns: map[int]func(devices.Change){}}
	p := &devices.Panel{Changes: w}
	if s := dev.VirtualScale; s != nil {
		p.Scale = s
	}
	if d := dev.VirtualDisplay; d != nil {
		d.OnShow = func(peripherals.Lines) { w.changed(devices.Change{Device: devices.Display}) }
		p.Display = panelDisplay{d}
	}
	if d := dev.VirtualDrawer; d != nil {
		d.OnChange = func(bool) { w.changed(devices.Change{Device: devices.Drawer}) }
		p.Drawer = panelDrawer{d}
	}
	if pr := dev.VirtualPrinter; pr != nil {
		pr.OnPrint = func(r *receipt.Receipt, text string) {
			w.changed(devices.Change{Device: devices.Printer, Printed: r, Text: text})
		}
		p.Printer = panelPrinter{pr}
	}
	if p.Empty() {
		return nil
	}
	return p
}

// watchers hands the virtual devices' changes to whoever watches them.
type watchers struct {
	mu   sync.Mutex
	next int
	fns  map[int]func(devices.Change)
}

// Watch calls fn after every change; the returned function stops it.
func (w *watchers) Watch(fn func(devices.Change)) (cancel func()) {
	w.mu.Lock()
	id := w.next
	w.next++
	w.fns[id] = fn
	w.mu.Unlock()
	return func() {
		w.mu.Lock()
		delete(w.fns, id)
		w.mu.Unlock()
	}
}

func (w *watchers) changed(c devices.Change) {
	w.mu.Lock()
	fns := make([]func(devices.Change), 0, len(w.fns))
	for _, fn := range w.fns {
		fns = append(fns, fn)
	}
	w.mu.Unlock()
	for _, fn := range fns {
		fn(c)
	}
}

// panelDisplay is the virtual customer display on the panel.
type panelDisplay struct{ d *virtual.Display }

func (d panelDisplay) Lines() [2]string { return d.d.Shown() }
func (d panelDisplay) Columns() int     { return d.d.Columns() }

// panelDrawer is the virtual cash drawer on the panel.
type panelDrawer struct{ d *virtual.Drawer }

func (d panelDrawer) IsOpen() bool {
	st, _ := d.d.Status(context.Background())
	return st.Open
}

func (d panelDrawer) Shut() { d.d.Shut() }

// panelPrinter is the virtual receipt printer on the panel.
type panelPrinter struct{ p *virtual.Printer }

func (p panelPrinter) Last() (*receipt.Receipt, string, string) { return p.p.Last() }

func (p panelPrinter) PaperOut() bool {
	st, _ := p.p.Status(context.Background())
	return st.PaperOut
}

func (p panelPrinter) SetPaperOut(out bool) {
	st, _ := p.p.Status(context.Background())
	st.PaperOut = out
	p.p.SetStatus(st)
}
