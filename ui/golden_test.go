package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"
)

// Markup goldens of the main screens in both layouts (testdata/desktop,
// testdata/tablet). A mismatch writes testdata/failed/…; review it and copy
// it over the master to accept a change.
func TestScreensGolden(t *testing.T) {
	for name, opt := range map[string]rigOpt{"desktop": func(*Config) {}, "tablet": tablet} {
		t.Run(name, func(t *testing.T) {
			r := newRig(t, opt)
			test.AssertRendersToMarkup(t, name+"/signin.xml", r.win.Canvas())
			r.signIn("1001", "1234") // no shift open yet: on to the shift screen
			test.AssertRendersToMarkup(t, name+"/shift.xml", r.win.Canvas())
			r.openShift()
			test.AssertRendersToMarkup(t, name+"/home.xml", r.win.Canvas())
			test.Tap(r.ui.Tile("tile.sell"))
			r.scan("4000000000082")
			pad(r.ui.sell.pad, "3")
			r.scan("4000000000150")
			r.scan("2100042012349")
			test.AssertRendersToMarkup(t, name+"/sell.xml", r.win.Canvas())
			r.ui.sell.openPay()
			r.ui.pay.SetAmount("10")
			test.AssertRendersToMarkup(t, name+"/payment.xml", r.win.Canvas())
			r.ui.pay.payCash()
			r.ui.CloseDialog()
			test.AssertRendersToMarkup(t, name+"/receipt.xml", r.win.Canvas())
		})
	}
}
