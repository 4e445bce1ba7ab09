package ui

import (
	_ "embed"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// KeyBack is the number pad's delete-last-digit key, as Press, OnKey and
// Button name it; the Backspace key of a keyboard presses it too.
const KeyBack = "back"

//go:embed icons/backspace.svg
var backspaceSVG []byte

// backspaceIcon is the delete-last-digit key's icon (Material Design
// "backspace", Apache-2.0; icons/README.md). An icon, not U+232B: Fyne's
// bundled fonts lack that glyph, so without a system font that has it
// (under Wine, for one) the key would show a replacement character.
var backspaceIcon = theme.NewThemedResource(fyne.NewStaticResource("backspace.svg", backspaceSVG))

// PadMode is what the number pad's value means on the sell screen.
type PadMode int

// Number pad modes.
const (
	ModeQty PadMode = iota
	ModePrice
	ModeDiscount
)

// Numpad is an on-screen number pad: digits, decimal point, clear, backspace
// and Enter, with optional quantity/price/discount mode buttons. It keeps its
// value; OnKey (if set) receives each key instead, for typing into a field.
type Numpad struct {
	widget.BaseWidget
	Value   string
	Mode    PadMode
	OnEnter func(value string, mode PadMode)
	OnKey   func(key string) // "0"–"9", "00", ".", "C", KeyBack; set to type into an entry
	OnMode  func(PadMode)

	sep      string   // the decimal separator the "." key types and shows
	modes    []string // labels of the mode buttons; empty = no modes
	enter    string
	display  *widget.Label
	buttons  map[string]*widget.Button
	modeBtns []*widget.Button
}

var _ fyne.Widget = (*Numpad)(nil)

// NewNumpad builds a number pad. modes are the labels of the quantity, price
// and discount modes (nil for none); enter is the Enter key's label.
func NewNumpad(enter string, modes []string) *Numpad {
	n := &Numpad{enter: enter, modes: modes, sep: ".", buttons: map[string]*widget.Button{}}
	n.ExtendBaseWidget(n)
	n.display = widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
	for _, k := range []string{"7", "8", "9", "4", "5", "6", "1", "2", "3", "0", "00", ".", "C"} {
		n.buttons[k] = widget.NewButton(k, func() { n.Press(k) })
	}
	n.buttons[KeyBack] = widget.NewButtonWithIcon("", backspaceIcon, func() { n.Press(KeyBack) })
	n.buttons["enter"] = widget.NewButton(enter, func() { n.Press("enter") })
	n.buttons["enter"].Importance = widget.HighImportance
	for i, m := range modes {
		mode := PadMode(i)
		b := widget.NewButton(m, func() { n.SetMode(mode) })
		n.modeBtns = append(n.modeBtns, b)
	}
	n.SetMode(ModeQty)
	return n
}

// SetDecimalSeparator makes the decimal key show and type the locale's
// separator ("," in de-DE); its key stays "." for OnKey and Button.
func (n *Numpad) SetDecimalSeparator(sep string) {
	if sep == "" {
		return
	}
	n.sep = sep
	n.buttons["."].SetText(sep)
}

// Button returns a key's button ("0"–"9", "00", ".", "C", KeyBack, "enter"), for tests.
func (n *Numpad) Button(key string) *widget.Button { return n.buttons[key] }

// ModeButton returns a mode's button, for tests.
func (n *Numpad) ModeButton(m PadMode) *widget.Button { return n.modeBtns[m] }

// SetMode switches the mode and highlights its button.
func (n *Numpad) SetMode(m PadMode) {
	n.Mode = m
	for i, b := range n.modeBtns {
		if PadMode(i) == m {
			b.Importance = widget.HighImportance
		} else {
			b.Importance = widget.MediumImportance
		}
		b.Refresh()
	}
	if n.OnMode != nil {
		n.OnMode(m)
	}
}

// SetValue replaces the value shown.
func (n *Numpad) SetValue(v string) {
	n.Value = v
	n.display.SetText(v)
}

// Press handles one key as if it was tapped.
func (n *Numpad) Press(k string) {
	if n.OnKey != nil && k != "enter" {
		n.OnKey(k)
		return
	}
	switch k {
	case "enter":
		v := n.Value
		if n.OnEnter != nil {
			n.OnEnter(v, n.Mode)
		}
		return
	case "C":
		n.SetValue("")
	case KeyBack:
		if n.Value != "" {
			n.SetValue(n.Value[:len(n.Value)-1])
		}
	case ".":
		if !strings.ContainsAny(n.Value, ".,") {
			n.SetValue(n.Value + n.sep)
		}
	default:
		if len(n.Value) < 12 {
			n.SetValue(n.Value + k)
		}
	}
}

// CreateRenderer lays the keys out in a 4-column grid under the display.
func (n *Numpad) CreateRenderer() fyne.WidgetRenderer {
	n.ExtendBaseWidget(n)
	b := n.buttons
	grid := container.NewGridWithColumns(4,
		b["7"], b["8"], b["9"], b[KeyBack],
		b["4"], b["5"], b["6"], b["C"],
		b["1"], b["2"], b["3"], b["00"],
		b["0"], b["."], b["enter"],
	)
	objs := []fyne.CanvasObject{}
	if len(n.modeBtns) > 0 {
		ms := make([]fyne.CanvasObject, len(n.modeBtns))
		for i, m := range n.modeBtns {
			ms[i] = m
		}
		objs = append(objs, container.NewGridWithColumns(len(ms), ms...), n.display)
	}
	objs = append(objs, grid)
	return widget.NewSimpleRenderer(container.NewVBox(objs...))
}
