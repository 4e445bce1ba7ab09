package ui

import (
	"context"
	"fmt"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/peripherals/profile"
	"github.com/opentill/opentill/pos"
)

// Every screen fits the till it runs on, in every language and with the
// demo's virtual devices: its minimum size is within the window's, so no
// control is cut off. A desktop till leaves room for a window title bar
// (28 px) on a 1024×768 screen; a tablet fills its screen.
func TestScreensFitEverySize(t *testing.T) {
	sizes := []struct {
		name   string
		layout Layout
		win    fyne.Size // the window
		fit    fyne.Size // what the content may need
	}{
		{"desktop 1024×768", Desktop, fyne.NewSize(1024, 740), fyne.NewSize(1024, 740)},
		{"desktop 1280×800", Desktop, fyne.NewSize(1280, 772), fyne.NewSize(1280, 772)},
		{"desktop 1366×768", Desktop, fyne.NewSize(1366, 740), fyne.NewSize(1366, 740)},
		{"tablet portrait 800×1280", Tablet, fyne.NewSize(800, 1280), fyne.NewSize(800, 1280)},
		{"tablet landscape 1280×800", Tablet, fyne.NewSize(1280, 800), fyne.NewSize(1280, 800)},
	}
	for _, sz := range sizes {
		for _, lang := range []string{"en", "de", "fr", "es"} {
			t.Run(fmt.Sprintf("%s/%s", sz.name, lang), func(t *testing.T) {
				r := newDevRig(t, profile.Demo(), func(c *Config) { c.Lang, c.Layout = lang, sz.layout })
				r.win.Resize(sz.win)
				fits := func(screen string) {
					t.Helper()
					min := r.win.Content().MinSize()
					assert.LessOrEqual(t, min.Width, sz.fit.Width, "%s is too wide: %v", screen, min)
					assert.LessOrEqual(t, min.Height, sz.fit.Height, "%s is too tall: %v", screen, min)
				}
				r.ui.Start()
				fits("sign-in")
				r.signIn("2001", "2468")
				fits("shift")
				r.openShift()
				fits("home")
				test.Tap(r.ui.Tile("tile.sell"))
				r.scan("4000000000082")
				fits("sell")
				r.ui.sell.openPay()
				fits("payment")
				r.ui.pay.payCash()
				r.ui.CloseDialog()
				fits("receipt")
				r.ui.showReports()
				fits("reports")
				r.ui.showShift()
				fits("shift with the shift open")
				r.ui.showJournal()
				r.ui.journalV.list.Select(0)
				fits("journal")
				r.ui.showStock()
				r.ui.stockV.code.SetText("4000000000082")
				r.ui.lookUp()
				fits("stock lookup")
				r.ui.stockV.tabs.SelectIndex(1)
				fits("stock counts")
				r.ui.do(pos.StockCount{Action: pos.CountStart, Name: "Shelf 12 — dairy, cheese and yoghurt"}, func(res pos.Result) { r.ui.openCount(res.Count.Count.ID) })
				require.NotNil(t, r.ui.Count())
				r.ui.countV.scan.SetText("4000000000082")
				r.ui.countScan(pos.CountScan)
				fits("stock count")
				r.ui.showStock()
				r.ui.stockV.tabs.SelectIndex(len(r.ui.stockV.tabs.Items) - 1)
				fits("transfers")
				r.ui.do(pos.OutboundOrder{Action: pos.DocNew, Store: "S0002"}, func(res pos.Result) { r.ui.openDoc(res.Doc.Doc.ID, false) })
				require.NotNil(t, r.ui.Doc())
				r.ui.docV.scan.SetText("4000000000082")
				r.ui.docScan(pos.DocScan)
				fits("transfer")

				// A customer order: the form on the sell screen, then the orders
				// screen and an order's dialog.
				fitsOverlay := func(what string) {
					t.Helper()
					top := r.win.Canvas().Overlays().Top()
					require.NotNil(t, top, "%s is open", what)
					min := top.MinSize()
					assert.LessOrEqual(t, min.Width, sz.fit.Width, "%s is too wide: %v", what, min)
					assert.LessOrEqual(t, min.Height, sz.fit.Height, "%s is too tall: %v", what, min)
				}
				r.ui.showSell()
				_, err := r.reg.Do(context.Background(), pos.ProductSale{Barcode: "4000000000082"})
				require.NoError(t, err) // the register directly: the dev rig's screen updates wait in its queue
				r.ui.sell.customerOrder()
				fitsOverlay("the order form")
				test.Type(r.ui.orderF.name, "Zoë Müller-Lüdenscheidt")
				r.ui.orderF.dialog.Submit()
				c := r.reg.Cart()
				require.NotNil(t, c, "the order is on the sale")
				require.NotNil(t, c.OrderEvent, "the sale is an order: %s", r.overlayText())
				r.ui.do(pos.PayCashExact{}, r.ui.paid)
				r.ui.CloseDialog()
				r.ui.showOrders()
				fits("orders")
				require.NotEmpty(t, r.ui.ordersV.all.orders)
				r.ui.orderDialog(r.ui.ordersV.all.orders[0])
				fitsOverlay("an order")
			})
		}
	}
}
