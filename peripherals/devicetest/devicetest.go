// Package devicetest is the shared behaviour suite of the device
// categories, in the manner of restic's backend test suite: each function
// runs the same cases against any implementation, so a real driver (over a
// pseudo-terminal or a TCP double) and its virtual twin are held to the
// same behaviour. A rig gives the suite the device and the hooks to change
// the world around it (put a weight on the scale, run out of paper).
package devicetest

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/peripherals"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/receipt"
	"github.com/opentill/opentill/pos/tender"
)

func key(err error) string {
	var pe *poserr.Error
	if errors.As(err, &pe) {
		return pe.Key
	}
	return ""
}

// ScaleRig is a scale and the hooks that change what it weighs.
type ScaleRig struct {
	Scale     peripherals.Scale
	UnitPrice money.Amount        // sent first to a peripherals.PriceScale
	Put       func(v catalog.Qty) // a settled weight
	Moving    func()              // the scale is in motion
	Over      func()              // over capacity
}

// Scale runs the scale cases.
func Scale(t *testing.T, newRig func(t *testing.T) ScaleRig) {
	ctx := context.Background()
	priced := func(t *testing.T, r ScaleRig) {
		if ps, ok := r.Scale.(peripherals.PriceScale); ok && r.UnitPrice > 0 {
			require.NoError(t, ps.SetUnitPrice(ctx, r.UnitPrice))
		}
	}
	t.Run("stable weight", func(t *testing.T) {
		r := newRig(t)
		r.Put(734)
		w, err := peripherals.Weigh(ctx, r.Scale, max(r.UnitPrice, 100), 2*time.Second, 10*time.Millisecond)
		require.NoError(t, err)
		assert.Equal(t, catalog.Qty(734), w.Value)
		assert.Equal(t, "kg", w.Unit)
		assert.True(t, w.Stable)
	})
	t.Run("motion never gives a weight", func(t *testing.T) {
		r := newRig(t)
		r.Moving()
		priced(t, r)
		w, err := r.Scale.Read(ctx)
		if err == nil {
			assert.False(t, w.Stable, "a moving scale is not stable")
		} else {
			assert.Equal(t, peripherals.KeyScaleMotion, key(err), "%v", err)
		}
		_, err = peripherals.WaitStable(ctx, r.Scale, 150*time.Millisecond, 10*time.Millisecond)
		require.Error(t, err)
		assert.Equal(t, peripherals.KeyTimeout, key(err))
		assert.Contains(t, err.Error(), "no stable weight")
	})
	t.Run("over capacity", func(t *testing.T) {
		r := newRig(t)
		r.Over()
		priced(t, r)
		_, err := r.Scale.Read(ctx)
		require.Error(t, err)
		assert.Equal(t, peripherals.KeyScaleOver, key(err))
		assert.Contains(t, err.Error(), "take the item off")
	})
}

// PrinterRig is a printer and the hooks to look at its paper and break it.
type PrinterRig struct {
	Printer  peripherals.POSPrinter
	Printed  func() string // the text printed so far (decoded)
	PaperOut func(bool)    // nil for a printer that cannot report paper out (a device file)
}

// Printer runs the printer cases with a sample receipt.
func Printer(t *testing.T, r *receipt.Receipt, newRig func(t *testing.T) PrinterRig) {
	ctx := context.Background()
	t.Run("prints the receipt", func(t *testing.T) {
		rig := newRig(t)
		require.NoError(t, rig.Printer.PrintReceipt(ctx, r))
		eventually(t, func() bool { return contains(rig.Printed(), r.Header.StoreName, r.Title(), r.Labels().Total+" ") })
		st, err := rig.Printer.Status(ctx)
		require.NoError(t, err)
		assert.True(t, st.Online)
		assert.NoError(t, st.Err())
	})
	t.Run("paper out is an error that says what to do", func(t *testing.T) {
		rig := newRig(t)
		if rig.PaperOut == nil {
			t.Skip("this printer cannot report its status")
		}
		rig.PaperOut(true)
		err := rig.Printer.PrintReceipt(ctx, r)
		require.Error(t, err)
		assert.Equal(t, peripherals.KeyPaperOut, key(err))
		assert.Contains(t, err.Error(), "load a new roll")
		st, err := rig.Printer.Status(ctx)
		require.NoError(t, err)
		assert.True(t, st.PaperOut)
		rig.PaperOut(false)
		require.NoError(t, rig.Printer.PrintReceipt(ctx, r))
	})
	t.Run("test page", func(t *testing.T) {
		rig := newRig(t)
		require.NoError(t, rig.Printer.PrintPage(ctx, peripherals.Page{Title: "Test page", Lines: []string{"Grüße aus der Kasse"}}))
		eventually(t, func() bool { return contains(rig.Printed(), "Test page", "Grüße aus der Kasse") })
	})
}

// DisplayRig is a line display and a way to read what it shows.
type DisplayRig struct {
	Display peripherals.LineDisplay
	Shown   func() peripherals.Lines
}

// Display runs the line display cases.
func Display(t *testing.T, newRig func(t *testing.T) DisplayRig) {
	ctx := context.Background()
	rig := newRig(t)
	require.Equal(t, 20, rig.Display.Columns())
	require.NoError(t, rig.Display.Show(ctx, peripherals.Lines{"Bergkäse", "TOTAL 12.34"}))
	eventually(t, func() bool { s := rig.Shown(); return trim(s[0]) == "Bergkäse" && trim(s[1]) == "TOTAL 12.34" })
	require.NoError(t, rig.Display.Show(ctx, peripherals.Lines{"A name longer than twenty", ""}))
	eventually(t, func() bool { return trim(rig.Shown()[0]) == "A name longer than t" })
}

// DrawerRig is a drawer and a way to see it open and shut it.
type DrawerRig struct {
	Drawer peripherals.CashDrawer
	IsOpen func() bool
	Shut   func()
}

// Drawer runs the cash drawer cases.
func Drawer(t *testing.T, newRig func(t *testing.T) DrawerRig) {
	ctx := context.Background()
	rig := newRig(t)
	require.NoError(t, rig.Drawer.Open(ctx))
	eventually(t, rig.IsOpen)
	st, err := rig.Drawer.Status(ctx)
	require.NoError(t, err)
	if st.Known {
		assert.True(t, st.Open)
		rig.Shut()
		st, err = rig.Drawer.Status(ctx)
		require.NoError(t, err)
		assert.False(t, st.Open)
	}
}

// PaymentRig is a payment terminal and the hooks that decide its next
// answer.
type PaymentRig struct {
	Terminal peripherals.PaymentTerminal
	Decline  func() // the next payment is declined
}

// Payment runs the payment terminal cases: approval with a masked card
// number, one payment per request reference, void (a second void is nil or
// wraps tender.ErrAlreadyVoided), refund, decline as a device error.
func Payment(t *testing.T, newRig func(t *testing.T) PaymentRig) {
	ctx := context.Background()
	t.Run("approve and void", func(t *testing.T) {
		r := newRig(t)
		req := tender.Request{Amount: 1234, Currency: money.EUR, Reference: "suite-1/1"}
		ap, err := r.Terminal.Authorize(ctx, req)
		require.NoError(t, err)
		assert.Regexp(t, `^[*0-9]*\*{4,}[0-9]{4}$`, ap.MaskedPAN, "only a masked card number")
		assert.NotEmpty(t, ap.Reference)
		again, err := r.Terminal.Authorize(ctx, req)
		require.NoError(t, err)
		assert.Equal(t, ap.Reference, again.Reference, "one payment per request reference")
		require.NoError(t, r.Terminal.Void(ctx, ap.Reference))
		if err := r.Terminal.Void(ctx, ap.Reference); err != nil {
			assert.ErrorIs(t, err, tender.ErrAlreadyVoided)
		}
	})
	t.Run("refund", func(t *testing.T) {
		r := newRig(t)
		ap, err := r.Terminal.Refund(ctx, tender.Request{Amount: 500, Currency: money.EUR, Reference: "suite-2/1"})
		require.NoError(t, err)
		assert.NotEmpty(t, ap.Reference)
	})
	t.Run("decline", func(t *testing.T) {
		r := newRig(t)
		r.Decline()
		_, err := r.Terminal.Authorize(ctx, tender.Request{Amount: 700, Currency: money.EUR, Reference: "suite-3/1"})
		require.Error(t, err)
		assert.True(t, poserr.Is(err, poserr.Device), "%v", err)
		assert.Equal(t, "error.card.declined", key(err))
		assert.Contains(t, err.Error(), "another payment method")
	})
	t.Run("no amount", func(t *testing.T) {
		r := newRig(t)
		_, err := r.Terminal.Authorize(ctx, tender.Request{Currency: money.EUR})
		require.Error(t, err)
	})
}

func eventually(t *testing.T, ok func() bool) {
	t.Helper()
	require.Eventually(t, ok, 2*time.Second, 5*time.Millisecond)
}

func contains(s string, parts ...string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}

func trim(s string) string { return strings.TrimRight(s, " ") }
