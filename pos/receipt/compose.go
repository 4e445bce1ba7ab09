package receipt

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/locale"
	"github.com/opentill/opentill/pos/money"
)

// Format returns the locale the header's receipts are formatted in: its
// Locale, else its Language's shipped locale (de → de-DE), else
// locale.Default; times in its TimeZone.
func (h Header) Format() *locale.Locale {
	tag := h.Locale
	if tag == "" {
		tag = h.Language
	}
	return locale.For(tag, h.TimeZone)
}

// labels returns the labels of the header's language: its Language, else
// the language of its Locale.
func (h Header) labels() Labels {
	if h.Language == "" && h.Locale != "" {
		return LabelsFor(h.Locale)
	}
	return LabelsFor(h.Language)
}

// LayoutType is the layout a receipt of this kind prints with.
func (k Kind) LayoutType() Type {
	switch k {
	case Return:
		return ReturnReceipt
	case Gift:
		return GiftReceipt
	}
	return SaleReceipt
}

// Document lays the receipt out by its kind's layout in ls (nil: the
// shipped layouts), in the header's language and locale.
func (r *Receipt) Document(ls *Layouts) *Document {
	c := composer{r: r, lb: r.Header.labels(), f: r.Header.Format()}
	t := r.Kind.LayoutType()
	doc := &Document{Type: t}
	for _, b := range ls.Layout(t).Blocks {
		if len(b.Receipts) > 0 && !slices.Contains(b.Receipts, string(r.Kind)) {
			continue
		}
		doc.Blocks = c.add(doc.Blocks, b)
	}
	return doc
}

// GiftCopy returns a copy of the receipt to print as a gift receipt: the
// same transaction, printed with the gift layout (no prices).
func (r *Receipt) GiftCopy() *Receipt {
	g := *r
	g.Kind = Gift
	return &g
}

type composer struct {
	r  *Receipt
	lb Labels
	f  *locale.Locale
}

func (c *composer) money(a money.Amount) string { return c.f.Money(a, c.r.Currency) }

// variable returns the value of a header or transaction variable.
func (c *composer) variable(name string) string {
	r, h, lb := c.r, c.r.Header, c.lb
	switch name {
	case "STORENAME":
		return h.StoreName
	case "STOREADDRESS":
		return h.Address
	case "STOREPHONE":
		if h.Phone == "" {
			return ""
		}
		return lb.Tel + " " + h.Phone
	case "STORETAXIDENTIFICATIONNUMBER":
		if h.TaxID == "" {
			return ""
		}
		return lb.TaxID + " " + h.TaxID
	case "HEADERLINES":
		return strings.Join(h.Lines, "\n")
	case "STOREID":
		return r.Store
	case "TERMINALID":
		return r.Terminal
	case "RECEIPTNUMBER":
		return r.ReceiptNo
	case "TRANSNO":
		return r.TxnID
	case "DATE":
		return c.when(c.f.Date)
	case "TIME":
		return c.when(c.f.Time)
	case "DATETIME":
		return c.when(c.f.DateTime)
	case "OPERATORID":
		return r.Operator.ID
	case "OPERATORNAME":
		return r.Operator.String()
	case "CUSTOMERACCOUNTNUMBER":
		return r.Customer
	case "LOYALTYCARDNUMBER":
		if r.Loyalty == nil {
			return ""
		}
		return r.Loyalty.Card
	case "LOYALTYPOINTSEARNED":
		if r.Loyalty == nil || r.Loyalty.Earned == 0 {
			return ""
		}
		return c.f.Int(r.Loyalty.Earned)
	case "LOYALTYPOINTSREDEEMED":
		if r.Loyalty == nil || r.Loyalty.Redeemed == 0 {
			return ""
		}
		return c.f.Int(r.Loyalty.Redeemed)
	case "TRANSACTIONCOMMENT":
		return r.Comment
	case "TAXNOTE":
		return r.TaxNote
	case "GIFTNOTE":
		return lb.GiftNote
	case "SIGNATUREQR":
		return r.SignatureQR()
	}
	return ""
}

func (c *composer) when(f func(t time.Time) string) string {
	if c.r.Time.IsZero() {
		return ""
	}
	return f(c.r.Time)
}

// caption is the label a fields row prints before a variable's value.
func (c *composer) caption(name string) string {
	lb := c.lb
	switch name {
	case "RECEIPTNUMBER":
		return lb.Receipt
	case "TRANSNO":
		return lb.TxnNo
	case "DATE", "DATETIME", "TIME":
		return lb.Date
	case "STOREID", "STORENAME":
		return lb.Store
	case "TERMINALID":
		return lb.Terminal
	case "OPERATORID", "OPERATORNAME":
		return lb.Operator
	case "CUSTOMERACCOUNTNUMBER":
		return lb.Customer
	case "LOYALTYCARDNUMBER":
		return lb.LoyaltyCard
	case "LOYALTYPOINTSEARNED":
		return lb.PointsEarned
	case "LOYALTYPOINTSREDEEMED":
		return lb.PointsRedeemed
	}
	return ""
}

// expand fills a text's {VARIABLE}s; ok is false when it has variables and
// all of them are empty (the block is left out).
func expand(text string, value func(string) string) (string, bool) {
	vars := variablesIn(text)
	if len(vars) == 0 {
		return text, text != ""
	}
	filled := false
	var b strings.Builder
	for {
		i := strings.IndexByte(text, '{')
		j := strings.IndexByte(text[max(i, 0):], '}')
		if i < 0 || j < 0 {
			b.WriteString(text)
			break
		}
		b.WriteString(text[:i])
		v := value(text[i+1 : i+j])
		filled = filled || v != ""
		b.WriteString(v)
		text = text[i+j+1:]
	}
	return b.String(), filled
}

func lines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

func (c *composer) add(out []Block, b BlockSpec) []Block {
	r, lb := c.r, c.lb
	switch b.Type {
	case "logo":
		return append(out, &Logo{})
	case "rule":
		return append(out, &Rule{})
	case "space":
		return append(out, &Space{})
	case "text":
		s, ok := expand(b.Text, c.variable)
		if !ok {
			return out
		}
		return append(out, &Heading{Role: RoleText, Lines: lines(s), Style: b.style(Left)})
	case "title":
		return append(out, &Heading{Role: RoleTitle, Lines: []string{lb.Title(r.Kind)}, Style: b.style(Center)})
	case "copy":
		if !r.Copy {
			return out
		}
		return append(out, &Heading{Role: RoleTitle, Lines: []string{lb.Copy}, Style: b.style(Center)})
	case "header":
		var ls []string
		for _, f := range b.fieldList() {
			ls = append(ls, lines(c.variable(f))...)
		}
		if len(ls) == 0 {
			return out
		}
		return append(out, &Heading{Role: RoleHeader, Lines: ls, Style: b.style(Center)})
	case "footer":
		if len(r.Header.Footer) == 0 {
			return out
		}
		return append(out, &Heading{Role: RoleFooter, Lines: append([]string(nil), r.Header.Footer...), Style: b.style(Center)})
	case "fields":
		fs := &Fields{}
		for _, f := range b.fieldList() {
			if v := c.variable(f); v != "" {
				fs.Rows = append(fs.Rows, Field{Label: c.caption(f), Value: v, Style: b.style(Left)})
			}
		}
		if len(fs.Rows) == 0 {
			return out
		}
		return append(out, fs)
	case "lines":
		return append(out, c.items(b))
	case "totals":
		t := c.totals(b)
		if len(t.Rows) == 0 {
			return out
		}
		return append(out, t)
	case "tenders":
		t := c.tenders(b)
		if len(t.Lines) == 0 {
			return out
		}
		out = append(out, t)
		for _, tn := range r.Tenders {
			if tn.IssuesMemo {
				// the memo the customer brings back: its number, scannable
				out = append(out, &Rule{}, &Fields{Rows: []Field{{Label: lb.MemoIssued, Value: tn.Value},
					{Label: lb.ValueBalance, Value: c.money(tn.Balance)}}}, &Barcode{Data: tn.Value})
			}
		}
		return out
	case "taxtable":
		if len(r.TaxSummary) == 0 {
			return out
		}
		return append(out, c.taxTable())
	case "signature":
		s := r.Signature
		if s == nil || !r.Header.SignatureLines {
			return out
		}
		return append(out, &Rule{}, &Fields{Rows: []Field{
			{Label: lb.TxnNo, Value: strconv.FormatInt(s.TxnNo, 10)},
			{Label: lb.SigCounter, Value: strconv.FormatInt(s.Counter, 10)},
			{Label: lb.SigStart, Value: c.f.DateTimeSeconds(s.Start)},
			{Label: lb.SigEnd, Value: c.f.DateTimeSeconds(s.End)},
			{Label: lb.Signature, Value: s.Short()},
		}})
	case "order":
		o := r.Order
		if o == nil {
			return out
		}
		ls := []string{lb.OrderTitle + " " + o.Number}
		if o.Customer != "" {
			ls = append(ls, o.Customer)
		}
		for _, l := range o.Lines {
			where := lb.OrderPickupAt + " " + l.Where
			if l.Ship {
				where = lb.OrderShipTo + " " + l.Where
			}
			if !l.Date.IsZero() {
				where += ", " + c.f.Date(l.Date)
			}
			ls = append(ls, c.f.Qty(l.Qty, l.Decimals)+" × "+l.Name+"  "+c.money(l.Amount), "  "+where)
		}
		out = append(out, &Rule{}, &Heading{Role: RoleText, Lines: ls, Style: b.style(Left)})
		return append(out, &Fields{Rows: []Field{
			{Label: lb.OrderTotal, Value: c.money(o.Total), Style: b.style(Left)},
			{Label: lb.OrderDeposit, Value: c.money(o.Paid), Style: b.style(Left)},
			{Label: lb.OrderBalance, Value: c.money(o.Total - o.Paid), Style: b.style(Left)},
		}})
	case "terminal":
		for _, t := range r.Tenders {
			if len(t.TerminalText) > 0 {
				out = append(out, &Rule{}, &Heading{Role: RoleText, Lines: append([]string(nil), t.TerminalText...), Style: b.style(Left)})
			}
		}
		return out
	case "barcode":
		// The receipt number, as the receipt's Barcode carries it.
		if r.Barcode == "" {
			return out
		}
		return append(out, &Barcode{Data: r.Barcode})
	case "qr":
		data := r.Barcode
		if b.Data == "SIGNATUREQR" {
			data = r.SignatureQR()
		}
		if data == "" {
			return out
		}
		return append(out, &QR{Data: data})
	}
	return out
}

func (c *composer) items(b BlockSpec) *Items {
	lb := c.lb
	hide := !b.has("UNITPRICE") && !b.has("TOTALPRICE")
	out := &Items{Lines: make([]Item, 0, len(c.r.Lines))}
	for _, l := range c.r.Lines {
		it := Item{Name: l.Name, HidePrices: hide}
		if b.has("ITEMID") {
			it.ItemID = l.ItemID
		}
		unit := ""
		if l.Unit != "" && l.Unit != catalog.Each.ID {
			unit = l.Unit
		}
		if b.has("QTY") {
			it.Qty = c.f.Qty(l.Qty, l.Decimals)
			if b.has("ITEMUNITID") {
				it.Unit = unit
			}
			it.ShowDetail = l.Qty != catalog.One || unit != ""
		}
		if b.has("UNITPRICE") {
			it.UnitPrice = c.money(l.UnitPrice)
		} else if !hide {
			it.ShowDetail = false
		}
		if b.has("TOTALPRICE") {
			it.Amount = c.money(l.Amount)
		}
		if !hide {
			for _, d := range l.Discounts {
				manual := d.Manual
				if manual && b.has("LINEDISCOUNTAMOUNT") || !manual && b.has("PERIODICDISCOUNTNAME") {
					it.Discounts = append(it.Discounts, Field{Label: d.Label, Value: c.money(d.Amount)})
				}
			}
			if l.PriceOverridden && b.has("PRICEOVERRIDE") {
				it.Notes = append(it.Notes, lb.PriceOverridden+" "+c.money(l.OriginalPrice))
			}
		}
		if b.has("RETURNOF") {
			switch {
			case l.ReturnOf != "":
				it.Notes = append(it.Notes, lb.ReturnOf+" "+l.ReturnOf)
			case l.Return:
				it.Notes = append(it.Notes, lb.Return)
			}
		}
		if l.Comment != "" && b.has("ITEMCOMMENT") {
			it.Notes = append(it.Notes, l.Comment)
		}
		out.Lines = append(out.Lines, it)
	}
	return out
}

func (c *composer) totals(b BlockSpec) *Totals {
	r, lb := c.r, c.lb
	t := &Totals{}
	add := func(field, label string, a money.Amount, always bool) {
		if a == 0 && !always {
			return
		}
		st := b.style(Left)
		if slices.Contains(b.Large, field) {
			st.Size, st.Bold = Tall, true
		}
		t.Rows = append(t.Rows, Field{Label: label, Value: c.money(a), Style: st})
	}
	for _, f := range b.fieldList() {
		switch f {
		case "SUBTOTAL":
			add(f, lb.Subtotal, r.Subtotal, true)
		case "SUMPERIODICDISCOUNT":
			add(f, lb.Promotions, r.Promotions, false)
		case "SUMLINEDISCOUNT":
			add(f, lb.LineDiscounts, r.LineDiscounts, false)
		case "SUMTOTALDISCOUNT":
			add(f, r.TotalDiscount.Label, r.TotalDiscount.Amount, false)
		case "TAXAMOUNT":
			add(f, lb.Tax, r.ExclusiveTax, false)
		case "TOTALWITHTAX":
			add(f, lb.Total, r.Total, true)
		case "TENDERROUNDING":
			add(f, lb.Rounding, r.Rounding, false)
		case "AMOUNTDUE":
			if r.Rounding != 0 {
				add(f, lb.AmountDue, r.Due, true)
			}
		case "CHANGE":
			add(f, lb.Change, r.Change, false)
		case "SUMALLDISCOUNT":
			if r.Discounts < 0 {
				add(f, lb.TotalSavings, -r.Discounts, true)
			}
		}
	}
	return t
}

func (c *composer) tenders(b BlockSpec) *Tenders {
	t := &Tenders{}
	for _, tn := range c.r.Tenders {
		tl := TenderLine{Name: tn.Name, Amount: c.money(tn.Amount)}
		if b.has("CARDNUMBERPARTLYHIDDEN") {
			if card := strings.TrimSpace(tn.Brand + " " + tn.MaskedPAN); card != "" {
				tl.Details = append(tl.Details, card)
			}
		}
		if tn.AuthCode != "" && b.has("AUTHORIZATIONCODE") {
			tl.Details = append(tl.Details, c.lb.AuthCode+" "+tn.AuthCode)
		}
		if tn.Foreign != "" {
			tl.Details = append(tl.Details, tn.Foreign)
		}
		if tn.Offline {
			tl.Details = append(tl.Details, c.lb.CardOffline)
		}
		if tn.Value != "" {
			tl.Details = append(tl.Details, tn.Value)
		}
		if tn.HasBalance {
			tl.Details = append(tl.Details, c.lb.ValueBalance+" "+c.money(tn.Balance))
		}
		t.Lines = append(t.Lines, tl)
	}
	return t
}

// taxTable is the tax per rate: net, tax, gross, and the sums.
func (c *composer) taxTable() *TaxTable {
	return taxTableOf(c.r.TaxSummary, c.lb, c.f, c.r.Currency)
}

func taxTableOf(rows []TaxRow, lb Labels, f *locale.Locale, cur money.Currency) *TaxTable {
	m := func(a money.Amount) string { return f.Money(a, cur) }
	t := &TaxTable{Head: TaxRowText{Name: lb.TaxColumn, Rate: lb.RateColumn, Net: lb.NetColumn, Tax: lb.TaxAmountColumn, Gross: lb.GrossColumn}}
	var net, tx money.Amount
	for _, r := range rows {
		net += r.Basis
		tx += r.Tax
		t.Rows = append(t.Rows, TaxRowText{Name: r.Name, Rate: f.Rate(r.Rate), Net: m(r.Basis), Tax: m(r.Tax), Gross: m(r.Basis + r.Tax)})
	}
	t.Total = TaxRowText{Name: lb.TaxTotal, Net: m(net), Tax: m(tx), Gross: m(net + tx)}
	return t
}
