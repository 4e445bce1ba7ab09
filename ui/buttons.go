package ui

import (
	"encoding/json"
	"fmt"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

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
	// Extension names the extension whose operation the button runs: the
	// button is left out of a till that does not carry it.
	Extension string `json:"extension,omitempty"`
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
	kept := g.Buttons[:0]
	for i, btn := range g.Buttons {
		if _, ok := ops.Spec(btn.Op); !ok {
			if btn.Extension != "" {
				continue // the till does not carry the extension
			}
			return g, fmt.Errorf("button layout %q: button %d: unknown operation %d", name, i+1, btn.Op)
		}
		kept = append(kept, btn)
		if p, ok := btn.Params["percent"]; ok {
			if v, err := strconv.ParseFloat(p, 64); err != nil || v < 0 || v > 100 {
				return g, fmt.Errorf("button layout %q: button %d: percent %q is not 0–100", name, i+1, p)
			}
		}
	}
	g.Buttons = kept
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

// Function buttons are grouped by what they act on, the group taken from the
// operation's registry entry: each group has its colour (a bar along the top
// of the button) and each button an icon, so a cashier finds payment, line,
// transaction and manager functions by sight.

// Colour names of the groups (tillTheme defines them for each variant).
const (
	colorGroupSale        fyne.ThemeColorName = "opentill.group.sale"
	colorGroupDiscount    fyne.ThemeColorName = "opentill.group.discount"
	colorGroupPayment     fyne.ThemeColorName = "opentill.group.payment"
	colorGroupTransaction fyne.ThemeColorName = "opentill.group.transaction"
	colorGroupManager     fyne.ThemeColorName = "opentill.group.manager"
)

// groupColor is the colour of an operation group.
func groupColor(g pos.Group) fyne.ThemeColorName {
	switch g {
	case pos.GroupSale, pos.GroupLookup:
		return colorGroupSale
	case pos.GroupDiscount:
		return colorGroupDiscount
	case pos.GroupPayment:
		return colorGroupPayment
	case pos.GroupTransaction, pos.GroupCustomer:
		return colorGroupTransaction
	}
	return colorGroupManager
}

// opIcon is the icon of an operation's button.
func opIcon(id pos.OpID, g pos.Group) fyne.Resource {
	switch id {
	case pos.OpPayCash, pos.OpPayCashExact:
		return theme.ConfirmIcon()
	case pos.OpPayCard:
		return theme.AccountIcon()
	case pos.OpVoidLine, pos.OpVoidTransaction, pos.OpVoidPayment:
		return theme.DeleteIcon()
	case pos.OpSetQuantity:
		return theme.ListIcon()
	case pos.OpPriceOverride:
		return theme.DocumentCreateIcon()
	case pos.OpPriceCheck:
		return theme.InfoIcon()
	case pos.OpViewApplicableDiscounts, pos.OpViewAllDiscounts:
		return theme.VisibilityIcon()
	case pos.OpProductSearch:
		return theme.SearchIcon()
	case pos.OpSuspend:
		return theme.MediaPauseIcon()
	case pos.OpRecall:
		return theme.HistoryIcon()
	case pos.OpReturnTransaction, pos.OpReturnProduct:
		return theme.ContentUndoIcon()
	case pos.OpReprintReceipt:
		return theme.DocumentPrintIcon()
	case pos.OpLock:
		return theme.VisibilityOffIcon()
	case pos.OpSignOut:
		return theme.LogoutIcon()
	case pos.OpProductSale:
		return theme.ContentAddIcon()
	case pos.OpRecommendations:
		return theme.GridIcon()
	case pos.OpLoyaltyCard:
		return theme.AccountIcon()
	case pos.OpIssueGiftCard:
		return theme.MailSendIcon()
	}
	switch g {
	case pos.GroupDiscount:
		return theme.ContentRemoveIcon()
	case pos.GroupPayment:
		return theme.ConfirmIcon()
	case pos.GroupManager:
		return theme.SettingsIcon()
	}
	return nil
}

// gridButton builds a function button of a grid: the button, and what goes
// on screen (the button under its group's colour bar).
func (u *UI) gridButton(gb GridButton, run func()) (*widget.Button, fyne.CanvasObject) {
	group := pos.GroupCustom
	if spec, ok := u.reg.Operations().Spec(gb.Op); ok {
		group = spec.Group
	}
	b := widget.NewButtonWithIcon(u.L.T(gb.Label), opIcon(gb.Op, group), run)
	switch gb.Style {
	case "primary":
		b.Importance = widget.HighImportance
	case "danger":
		b.Importance = widget.DangerImportance
	}
	bar := canvas.NewRectangle(theme.Color(groupColor(group)))
	bar.CornerRadius = 2
	return b, container.NewStack(b, container.New(topBar{}, bar))
}

// topBar lays its objects out as a thin bar along the top edge.
type topBar struct{}

func (topBar) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	const h = 4
	for _, o := range objs {
		o.Move(fyne.NewPos(theme.InnerPadding(), 1))
		o.Resize(fyne.NewSize(size.Width-2*theme.InnerPadding(), h))
	}
}

func (topBar) MinSize([]fyne.CanvasObject) fyne.Size { return fyne.Size{} }
