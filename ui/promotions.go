package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/pricing"
	"github.com/opentill/opentill/ui/l10n"
)

// promotionsDialog shows the promotions of the sale (op 646): each with the
// lines it selects and what it takes off now, and the store's promotions
// valid now (op 645) with the coupons that enable them. Its buttons run the
// system-discount operations the sale allows: calculate the multi-line
// discounts when the store delays them (310), take every automatic
// discount off (311) or put them back (312).
func (u *UI) promotionsDialog() {
	c := u.reg.Cart()
	show := func(onSale []pricing.OfferInfo, sale *cart.Cart) {
		u.do(pos.ViewAllDiscounts{}, func(all pos.Result) {
			u.showPromotions(onSale, sale, all.Discounts)
		})
	}
	if c == nil || c.IsEmpty() {
		show(nil, nil)
		return
	}
	u.do(pos.ViewApplicableDiscounts{}, func(r pos.Result) { show(r.Discounts, c) })
}

// showPromotions shows the dialog: the sale's promotions when there is a
// sale, and the store's.
func (u *UI) showPromotions(onSale []pricing.OfferInfo, sale *cart.Cart, all []pricing.OfferInfo) {
	hasSale := sale != nil
	list := func(offers []pricing.OfferInfo, none string, sale bool) fyne.CanvasObject {
		box := container.NewVBox()
		if len(offers) == 0 {
			box.Add(widget.NewLabel(none))
		}
		for _, o := range offers {
			name := widget.NewLabelWithStyle(o.Name, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
			name.Truncation = fyne.TextTruncateEllipsis
			detail := widget.NewLabel(u.offerDetail(o, sale))
			detail.Wrapping = fyne.TextWrapWord
			right := widget.NewLabel("")
			if sale && o.Applied != 0 {
				right.SetText(u.money(-o.Applied))
			}
			box.Add(container.NewBorder(nil, nil, nil, right, container.NewVBox(name, detail)))
			box.Add(widget.NewSeparator())
		}
		return container.NewVScroll(box)
	}
	tabs := container.NewAppTabs()
	if hasSale {
		tabs.Append(container.NewTabItem(u.L.T("promotions.on_sale"), list(onSale, u.L.T("promotions.none_sale"), true)))
	}
	tabs.Append(container.NewTabItem(u.L.T("promotions.all"), list(all, u.L.T("promotions.none"), false)))

	var actions []fyne.CanvasObject
	if hasSale {
		c := sale
		if e := u.reg.Setup().Promotions; e != nil && e.ManualMultiline() {
			actions = append(actions, widget.NewButton(u.L.OpName(int(pos.OpCalculateTotal)), func() {
				u.closeDialog()
				u.do(pos.CalculateTotal{}, func(pos.Result) { u.refreshCart() })
			}))
		}
		if c.SystemDiscountsOff {
			actions = append(actions, widget.NewButton(u.L.OpName(int(pos.OpReapplySystemDiscounts)), func() {
				u.closeDialog()
				u.do(pos.ReapplySystemDiscounts{}, func(pos.Result) { u.refreshCart() })
			}))
		} else {
			actions = append(actions, widget.NewButton(u.L.OpName(int(pos.OpRemoveSystemDiscounts)), func() {
				u.closeDialog()
				u.do(pos.RemoveSystemDiscounts{}, func(pos.Result) { u.refreshCart() })
			}))
		}
	}
	content := fyne.CanvasObject(tabs)
	if len(actions) > 0 {
		content = container.NewBorder(nil, container.NewGridWithColumns(len(actions), actions...), nil, nil, tabs)
	}
	d := dialog.NewCustom(u.L.T("promotions.title"), u.L.T("button.close"), content, u.win)
	d.Resize(u.dialogSize(720, 560))
	u.setDialog(d)
}

// offerDetail is a promotion's second line: its kind, the lines it selects
// (on the sale) or when it ends and the coupons that enable it.
func (u *UI) offerDetail(o pricing.OfferInfo, sale bool) string {
	parts := []string{u.offerKind(o.Kind)}
	if sale {
		nos := make([]string, len(o.Lines))
		for i, n := range o.Lines {
			nos[i] = u.L.Int(int64(n))
		}
		parts = append(parts, u.L.N("promotions.lines", len(o.Lines), l10n.Data{"Lines": strings.Join(nos, ", ")}))
		if o.Applied == 0 {
			parts = append(parts, u.L.T("promotions.not_applied"))
		}
	}
	if at, day := o.Ends(); day {
		parts = append(parts, u.L.T("promotions.until", l10n.Data{"Date": u.L.WallDate(at)}))
	} else if !at.IsZero() {
		parts = append(parts, u.L.T("promotions.until", l10n.Data{"Date": u.L.DateTime(at)}))
	}
	if len(o.Coupons) > 0 {
		parts = append(parts, u.L.N("promotions.coupons", len(o.Coupons), l10n.Data{"Codes": strings.Join(o.Coupons, ", ")}))
	}
	return strings.Join(parts, " · ")
}

// offerKind names a promotion's kind (pricing.Kind's file name) in the
// operator's language.
func (u *UI) offerKind(kind string) string {
	switch kind {
	case pricing.Quantity.String():
		return u.L.T("promotions.kind.quantity")
	case pricing.MixMatch.String():
		return u.L.T("promotions.kind.mix_match")
	case pricing.Threshold.String():
		return u.L.T("promotions.kind.threshold")
	case pricing.Tender.String():
		return u.L.T("promotions.kind.tender")
	}
	return u.L.T("promotions.kind.discount")
}
