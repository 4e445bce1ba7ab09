package ui

import (
	"bytes"
	"context"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/pos"
	rpt "github.com/opentill/opentill/pos/report"
)

// rigClock is the rig's register clock, for the reports screen.
func rigClock(c *Config) {
	c.Now = func() time.Time { return time.Date(2026, 11, 27, 10, 30, 0, 0, time.UTC) }
}

// texts collects the texts of labels and canvas texts under o.
func texts(o fyne.CanvasObject) string {
	var b strings.Builder
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch x := o.(type) {
		case *widget.Label:
			b.WriteString(x.Text + "\n")
		case *canvas.Text:
			b.WriteString(x.Text + "\n")
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		}
	}
	walk(o)
	return b.String()
}

// count counts the canvas objects of type T under o.
func count[T any](o fyne.CanvasObject) int {
	n := 0
	if _, ok := o.(T); ok {
		n++
	}
	if c, ok := o.(*fyne.Container); ok {
		for _, x := range c.Objects {
			n += count[T](x)
		}
	}
	return n
}

// The manager opens the reports from the home screen and reads the shift,
// then the day against the day before, in every report, with charts drawn
// from canvas objects; exports a PDF and a CSV and shows the short form. A
// cashier has no reports tile.
func TestReportsScreen(t *testing.T) {
	for name, opt := range map[string]rigOpt{"desktop": func(*Config) {}, "tablet": tablet} {
		t.Run(name, func(t *testing.T) {
			r := newRig(t, opt, rigClock)
			r.signInSelling("2001", "2468")
			ctx := context.Background()
			for _, op := range []pos.Operation{pos.ProductSale{Barcode: "4000000000198"}, pos.ProductSale{Barcode: "4000000000013"}, pos.PayCash{Amount: 2000},
				pos.ProductSale{Barcode: "4000000000020"}, pos.PayCard{}} {
				_, err := r.reg.Do(ctx, op)
				require.NoError(t, err, "%T", op)
			}
			r.ui.events.Flush()
			x, err := r.reg.Do(ctx, pos.PrintXReport{})
			require.NoError(t, err)

			r.ui.showHome()
			tile := r.ui.Tile("tile.reports")
			require.NotNil(t, tile, "the manager has a reports tile")
			test.Tap(tile)
			require.Equal(t, "reports", r.ui.Screen())
			v := r.ui.reportsView()
			require.NotNil(t, v.set, "the register's shift is reported at once")
			assert.Equal(t, rpt.RangeShift, v.selectedRange())
			body := texts(v.body)
			assert.Contains(t, body, "Sales summary")
			assert.Contains(t, body, r.ui.money(x.Report.NetSales), "net sales as the X report")
			assert.Equal(t, 4, len(v.doc.Charts))
			assert.Greater(t, count[*canvas.Rectangle](v.body), 5, "bars")
			assert.Equal(t, 1, count[*canvas.Raster](v.body), "the tenders' donut")
			assert.True(t, v.earlier.Disabled(), "a shift has no earlier or later")

			// The day, against the day before, in every report.
			v.rng.SetSelectedIndex(1)
			require.Equal(t, rpt.RangeDay, v.selectedRange())
			assert.Equal(t, "2026-11-27", v.set.Cur.Period.String())
			require.NotNil(t, v.set.Prev)
			assert.Contains(t, texts(v.body), "Compared with 26/11/2026")
			for i, n := range rpt.Names {
				v.name.SetSelectedIndex(i)
				assert.Equal(t, n, v.doc.Name)
				assert.NotContains(t, texts(v.body), "report.", "%s shows a message key", n)
			}
			v.name.SetSelectedIndex(0)
			assert.Equal(t, x.Report.NetSales, v.set.Cur.Total.Net)

			// A week back and forth.
			v.rng.SetSelectedIndex(2)
			assert.Equal(t, "2026-11-23..2026-11-29", v.set.Cur.Period.String())
			test.Tap(v.earlier)
			assert.Equal(t, "2026-11-16..2026-11-22", v.set.Cur.Period.String())
			assert.Zero(t, v.set.Cur.Total.Transactions)
			test.Tap(v.later)
			assert.Equal(t, x.Report.NetSales, v.set.Cur.Total.Net)

			// A custom range typed in; a bad date says how to write it.
			v.rng.SetSelectedIndex(4)
			v.from.SetText("2026-11-01")
			v.to.SetText("2026-11-30")
			test.Tap(v.show)
			assert.Equal(t, "2026-11-01..2026-11-30", v.set.Cur.Period.String())
			assert.Equal(t, rpt.Line, v.doc.Charts[0].Kind)
			v.from.SetText("1.11.2026")
			test.Tap(v.show)
			assert.Equal(t, r.ui.L.T("reports.bad_date"), v.status.Text)

			// Exports.
			v.from.SetText("2026-11-27")
			v.to.SetText("2026-11-27")
			test.Tap(v.show)
			var pdf bytes.Buffer
			require.NoError(t, r.ui.exportReport("pdf", &pdf))
			assert.True(t, bytes.HasPrefix(pdf.Bytes(), []byte("%PDF-")))
			var c bytes.Buffer
			require.NoError(t, r.ui.exportReport("csv", &c))
			cr := csv.NewReader(&c)
			cr.FieldsPerRecord = -1
			recs, err := cr.ReadAll()
			require.NoError(t, err)
			assert.Equal(t, "Sales summary", recs[0][0])
			assert.Equal(t, "report-summary-2026-11-27.pdf", reportFileName(v.doc, "pdf"))
			test.Tap(v.short)
			require.NotNil(t, v.shortT)
			assert.Contains(t, v.shortT.Text, r.ui.money(x.Report.NetSales))
			r.ui.CloseDialog()
		})
	}
}

func TestCashierHasNoReports(t *testing.T) {
	r := newRig(t, rigClock)
	r.signInSelling("1001", "1234")
	r.ui.showHome()
	assert.Nil(t, r.ui.Tile("tile.reports"))
	_, err := r.reg.Do(context.Background(), pos.ViewReports{Period: rpt.Day(time.Now(), nil)})
	require.Error(t, err, "and the domain refuses it whatever the screen shows")
}

// The screen is drawn in the operator's language, amounts in the store's
// locale.
func TestReportsScreenInGerman(t *testing.T) {
	r := newRig(t, german, rigClock)
	r.signInSelling("2001", "2468")
	_, err := r.reg.Do(context.Background(), pos.ProductSale{Barcode: "4000000000198"})
	require.NoError(t, err)
	_, err = r.reg.Do(context.Background(), pos.PayCashExact{})
	require.NoError(t, err)
	r.ui.showReports()
	v := r.ui.reportsView()
	body := texts(v.body)
	assert.Contains(t, body, "Umsatzübersicht")
	assert.Contains(t, body, "9,99\u00a0€")
}
