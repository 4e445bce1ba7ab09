package ui

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/opentill/opentill/assets"
	"github.com/opentill/opentill/pos"
)

// ButtonGrid is a button-grid layout file from assets/layouts: each button
// is an operation ID with parameters and a translated label.
type ButtonGrid struct {
	Name           string       `json:"name"`
	Columns        int          `json:"columns"`         // default columns
	DesktopColumns int          `json:"desktop_columns"` // columns of the desktop layout (default Columns)
	TabletColumns  int          `json:"tablet_columns"`  // columns of the tablet layout (default Columns)
	Buttons        []GridButton `json:"buttons"`
}

// GridButton is one button of a grid.
type GridButton struct {
	Label  string            `json:"label"` // message ID
	Op     pos.OpID          `json:"op"`
	Params map[string]string `json:"params,omitempty"`
	Style  string            `json:"style,omitempty"` // "", "primary" or "danger"
}

// LoadButtonGrid reads assets/layouts/<name>.json and checks that every
// button names an operation of the registry with valid parameters.
func LoadButtonGrid(name string, ops *pos.Registry) (ButtonGrid, error) {
	var g ButtonGrid
	b, err := assets.Layouts.ReadFile("layouts/" + name + ".json")
	if err != nil {
		return g, fmt.Errorf("button layout %q: %w", name, err)
	}
	if err := json.Unmarshal(b, &g); err != nil {
		return g, fmt.Errorf("button layout %q: %w", name, err)
	}
	if g.Columns <= 0 {
		g.Columns = 4
	}
	if g.DesktopColumns <= 0 {
		g.DesktopColumns = g.Columns
	}
	if g.TabletColumns <= 0 {
		g.TabletColumns = g.Columns
	}
	for i, btn := range g.Buttons {
		if _, ok := ops.Spec(btn.Op); !ok {
			return g, fmt.Errorf("button layout %q: button %d: unknown operation %d", name, i+1, btn.Op)
		}
		if p, ok := btn.Params["percent"]; ok {
			if v, err := strconv.ParseFloat(p, 64); err != nil || v < 0 || v > 100 {
				return g, fmt.Errorf("button layout %q: button %d: percent %q is not 0–100", name, i+1, p)
			}
		}
	}
	return g, nil
}

// percentBP reads a "10" or "2.5" percent parameter as basis points.
func percentBP(s string) (int64, bool) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v < 0 || v > 100 {
		return 0, false
	}
	return int64(v*100 + 0.5), true
}
