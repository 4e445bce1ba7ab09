package report

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"sync/atomic"
	"time"

	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/shift"
	"github.com/opentill/opentill/pos/tax"
	"github.com/opentill/opentill/pos/tender"
)

// Config is what a report needs to know of the store.
type Config struct {
	Store     string
	StoreName string
	Currency  money.Currency
	Tenders   []tender.Type  // names, order, which are cash
	Loc       *time.Location // the store's time zone (setup.Header.TimeZone); nil = UTC
	// Name gives an operator's name for an ID; nil shows IDs.
	Name func(id string) string
	// TaxGroups are the store's tax groups (setup.TaxGroups): with them the
	// net per rate of tax-inclusive sales is what the lines at that rate
	// sold for less their tax, so that net + tax per rate adds up to the
	// totals to the cent; without them it is the tax summary's basis (each
	// line's net part rounded on its own).
	TaxGroups map[string]tax.Group
	// Top is how many products the top and bottom lists hold; 0 = 10.
	Top int
}

func (c Config) loc() *time.Location { return zone(c.Loc) }

// Figures are the sales figures of a set of completed transactions,
// computed as the Z report computes them: Sales are the net amounts of the
// sold lines and Returns those given back (positive), both after discounts;
// Net is Σ transaction totals (Sales − Returns + exclusive tax).
type Figures struct {
	Transactions int          `json:"transactions"` // completed transactions (the Z's customers)
	SaleCount    int          `json:"sale_count"`   // … that sold something
	ReturnCount  int          `json:"return_count"` // … that gave something back
	Items        int64        `json:"items"`        // units sold (a weighed line is one)
	Returned     int64        `json:"returned"`     // units given back
	Sales        money.Amount `json:"sales"`
	Returns      money.Amount `json:"returns"`
	Net          money.Amount `json:"net"`
	Tax          money.Amount `json:"tax"`
	Discounts    money.Amount `json:"discounts"`
	Rounding     money.Amount `json:"rounding"`
}

// AvgBasket is the average transaction total (rounded half up).
func (f Figures) AvgBasket() money.Amount {
	if f.Transactions == 0 {
		return 0
	}
	return money.Amount(money.Div(int64(f.Net), int64(f.Transactions), money.HalfUp))
}

// ItemsPerBasket is the average number of units sold per transaction, in
// hundredths (250 = 2.5 items).
func (f Figures) ItemsPerBasket() int64 {
	if f.Transactions == 0 {
		return 0
	}
	return money.Div(f.Items*100, int64(f.Transactions), money.HalfUp)
}

func (f *Figures) add(o Figures) {
	f.Transactions += o.Transactions
	f.SaleCount += o.SaleCount
	f.ReturnCount += o.ReturnCount
	f.Items += o.Items
	f.Returned += o.Returned
	f.Sales += o.Sales
	f.Returns += o.Returns
	f.Net += o.Net
	f.Tax += o.Tax
	f.Discounts += o.Discounts
	f.Rounding += o.Rounding
}

// People are the figures of one operator or one register.
type People struct {
	ID string `json:"id"`
	Figures
	Voids     int          `json:"voids"`      // voided transactions
	VoidTotal money.Amount `json:"void_total"` // what they totalled
	LineVoids int          `json:"line_voids"` // voided lines of completed transactions
	NoSales   int          `json:"no_sales"`
	Overrides int          `json:"overrides"` // operations a manager approved for them
}

// Lines are the line figures of one category or product.
type Lines struct {
	ID       string       `json:"id"`
	Name     string       `json:"name,omitempty"`
	Category string       `json:"category,omitempty"`
	Lines    int          `json:"lines"`
	Sold     catalog.Qty  `json:"sold"`     // quantity sold (thousandths)
	Returned catalog.Qty  `json:"returned"` // quantity given back (positive)
	Decimals int          `json:"decimals"` // the unit's decimals
	Sales    money.Amount `json:"sales"`
	Returns  money.Amount `json:"returns"`
	Tax      money.Amount `json:"tax"`
	Discount money.Amount `json:"discount"`
}

// Net is what the lines sold for less what was given back.
func (l Lines) Net() money.Amount { return l.Sales - l.Returns }

// Tender is the figures of one tender type, as the Z counts them.
type Tender struct {
	ID       string       `json:"id"`
	Name     string       `json:"name"`
	Cash     bool         `json:"cash"`
	Count    int          `json:"count"` // payment lines
	Tendered money.Amount `json:"tendered"`
	Change   money.Amount `json:"change"`
}

// Net is what the tender took in: tendered less change.
func (t Tender) Net() money.Amount { return t.Tendered - t.Change }

// Tax is the figures of one tax code.
type Tax struct {
	Code  string       `json:"code"`
	Name  string       `json:"name"`
	Rate  int64        `json:"rate"`  // as tax.Code.Rate (1/10,000 %: 190000 = 19 %)
	Basis money.Amount `json:"basis"` // net: the amount taxed, tax excluded
	Tax   money.Amount `json:"tax"`
}

// Gross is net plus tax.
func (t Tax) Gross() money.Amount { return t.Basis + t.Tax }

// Promotion is what one automatic discount gave away.
type Promotion struct {
	ID           string       `json:"id"`
	Name         string       `json:"name"`
	Kind         string       `json:"kind"`
	Coupon       string       `json:"coupon,omitempty"`
	Lines        int          `json:"lines"`
	Transactions int          `json:"transactions"`
	Amount       money.Amount `json:"amount"`
}

// ExceptionKind is the kind of an exception.
type ExceptionKind string

// Exception kinds, as a loss-prevention manager reads them.
const (
	ExcReturn         ExceptionKind = "return"           // goods given back by receipt
	ExcReturnNoRcpt   ExceptionKind = "return_no_rcpt"   // goods given back without a receipt
	ExcVoid           ExceptionKind = "void"             // a voided transaction
	ExcLineVoid       ExceptionKind = "line_void"        // a voided line of a completed transaction
	ExcNoSale         ExceptionKind = "no_sale"          // the drawer opened without a sale
	ExcPriceOverride  ExceptionKind = "price_override"   // a changed unit price
	ExcLineDiscount   ExceptionKind = "line_discount"    // a manual line discount
	ExcTotalDiscount  ExceptionKind = "total_discount"   // a manual transaction discount
	ExcOverride       ExceptionKind = "override"         // a manager approved an operation for an operator
	ExcOverrideFailed ExceptionKind = "override_failed"  // a wrong manager PIN (alarm)
	ExcCashOverdraw   ExceptionKind = "cash_overdraw"    // cash taken out beyond the drawer, approved
	ExcOverShort      ExceptionKind = "over_short_limit" // a close beyond the store's over/short limit, approved
)

// ExceptionKinds lists the kinds in report order.
var ExceptionKinds = []ExceptionKind{ExcReturn, ExcReturnNoRcpt, ExcVoid, ExcLineVoid, ExcNoSale, ExcPriceOverride,
	ExcLineDiscount, ExcTotalDiscount, ExcOverride, ExcOverrideFailed, ExcCashOverdraw, ExcOverShort}

// Exception is one event a loss-prevention manager reads: what, when,
// where, who did it and who authorised it (the operator's own authority or
// a manager's approval).
type Exception struct {
	Kind     ExceptionKind `json:"kind"`
	Time     time.Time     `json:"time"`
	Seq      int64         `json:"seq"` // journal entry
	Terminal string        `json:"terminal,omitempty"`
	Receipt  string        `json:"receipt,omitempty"`
	Operator string        `json:"operator"`
	// Authorised is who authorised it: the operator themself within their
	// limit, or the manager who approved it (Approved).
	Authorised string       `json:"authorised,omitempty"`
	Approved   bool         `json:"approved,omitempty"`
	Item       string       `json:"item,omitempty"`   // the line's product, the operation's name, the reason
	Amount     money.Amount `json:"amount,omitempty"` // what it moved or took off
	Detail     string       `json:"detail,omitempty"` // a receipt, a shift, a kind of movement
	// Was and Now are a price override's prices; Percent (basis points)
	// or Off is a manual discount's rate or amount.
	Was     money.Amount `json:"was,omitempty"`
	Now     money.Amount `json:"now,omitempty"`
	Percent int64        `json:"percent,omitempty"`
	Off     money.Amount `json:"off,omitempty"`
}

// DetailValue is the exception's detail as the report shows it: a price
// change, a discount's rate or amount, or the detail text.
func (e Exception) DetailValue() Value {
	switch {
	case e.Kind == ExcPriceOverride:
		return MoneyChange(e.Was, e.Now)
	case e.Percent != 0:
		return Percent(e.Percent)
	case e.Off != 0:
		return Money(e.Off)
	}
	return Text(e.Detail)
}

// OverShort is one closed shift's count, from its stored Z report.
type OverShort struct {
	Shift     string       `json:"shift"`
	Terminal  string       `json:"terminal"`
	OpenedBy  string       `json:"opened_by"`
	ClosedBy  string       `json:"closed_by,omitempty"`
	Closed    time.Time    `json:"closed"`
	Expected  money.Amount `json:"expected"`
	Declared  money.Amount `json:"declared"`
	OverShort money.Amount `json:"over_short"`
	Approver  string       `json:"approver,omitempty"`
	Reason    string       `json:"reason,omitempty"`
}

// Data is everything the reports show of one period, from one pass over
// the journal. Maps are keyed by ID; the sorted views are methods.
type Data struct {
	Period    Period         `json:"period"`
	Store     string         `json:"store"`
	Currency  money.Currency `json:"currency"`
	Terminals []string       `json:"terminals"`
	Shifts    []string       `json:"shifts"` // shifts with entries in the period

	Total   Figures     `json:"total"`
	NoShift Figures     `json:"no_shift"` // transactions outside any shift (non-drawer mode): on no Z
	Hours   [24]Figures `json:"hours"`    // by the hour the transaction finished
	Days    map[string]*Figures

	Categories map[string]*Lines
	Products   map[string]*Lines
	Operators  map[string]*People
	Registers  map[string]*People
	Tenders    []*Tender
	Taxes      map[string]*Tax
	Promotions map[string]*Promotion

	Voids     int          `json:"voids"` // voided transactions (and suspended ones voided at close), as the Z counts them
	VoidTotal money.Amount `json:"void_total"`
	LineVoids int          `json:"line_voids"`
	NoSales   int          `json:"no_sales"`
	Suspended int          `json:"suspended"`
	Income    money.Amount `json:"income"`
	Expense   money.Amount `json:"expense"`

	Exceptions []Exception `json:"exceptions"`
	OverShort  []OverShort `json:"over_short"`
	Entries    int         `json:"entries"` // journal entries read
	// Storewide says the data is the store server's, across the store's
	// tills (Restore): only StoreNames draw from it.
	Storewide bool `json:"storewide,omitempty"`

	cfg     Config
	tenders map[string]*Tender
}

func newData(cfg Config, p Period) *Data {
	d := &Data{Period: p, Store: cfg.Store, Currency: cfg.Currency, Days: map[string]*Figures{},
		Categories: map[string]*Lines{}, Products: map[string]*Lines{}, Operators: map[string]*People{},
		Registers: map[string]*People{}, Taxes: map[string]*Tax{}, Promotions: map[string]*Promotion{},
		cfg: cfg, tenders: map[string]*Tender{}}
	for _, t := range cfg.Tenders {
		d.tender(t.ID)
	}
	return d
}

// tender returns the figures of a tender, adding it (in the setup's order;
// unknown tenders after) if new.
func (d *Data) tender(id string) *Tender {
	if t, ok := d.tenders[id]; ok {
		return t
	}
	t := &Tender{ID: id, Name: id}
	for _, ty := range d.cfg.Tenders {
		if ty.ID == id {
			t.Name, t.Cash = ty.Name, ty.Kind == cart.Cash
		}
	}
	d.tenders[id] = t
	d.Tenders = append(d.Tenders, t)
	return t
}

func (d *Data) person(m map[string]*People, id string) *People {
	p := m[id]
	if p == nil {
		p = &People{ID: id}
		m[id] = p
	}
	return p
}

// Name is the operator's name (their ID when unknown).
func (d *Data) Name(id string) string {
	if d.cfg.Name != nil && id != "" {
		if n := d.cfg.Name(id); n != "" {
			return n
		}
	}
	return id
}

// Aggregate reads the period's journal entries from src and computes its
// data. A shift's period counts only that shift's entries (and the
// approvals and alarms of its time); other periods count every entry timed
// in them. The over/short history comes from the Z reports of the shifts
// closed in the period.
func Aggregate(ctx context.Context, src Source, cfg Config, p Period) (*Data, error) {
	d := newData(cfg, p)
	a := aggregator{d: d, loc: cfg.loc(), intern: map[string]string{}, closedBy: map[string]string{}, shifts: map[string]bool{}, terms: map[string]bool{}}
	if err := a.read(ctx, src, p); err != nil {
		return nil, err
	}
	zs, err := src.ClosedShifts(ctx, p.From, p.To)
	if err != nil {
		return nil, err
	}
	for _, z := range zs {
		if p.Shift != "" && z.Shift != p.Shift {
			continue
		}
		d.OverShort = append(d.OverShort, OverShort{Shift: z.Shift, Terminal: z.Terminal, OpenedBy: z.OpenedBy,
			ClosedBy: a.closedBy[z.Shift], Closed: z.At, Expected: z.Expected, Declared: z.Declared,
			OverShort: z.OverShort, Approver: z.OverShortApprover, Reason: z.OverShortReason})
	}
	sort.SliceStable(d.Exceptions, func(i, j int) bool { return d.Exceptions[i].Seq < d.Exceptions[j].Seq })
	return d, nil
}

// batchSize is how many entries the reading goroutine hands the
// aggregating one at a time.
const batchSize = 256

// read streams the period's entries from src on this goroutine and counts
// them on another, so that reading the store and decoding the
// transactions run side by side. Entries are counted in journal order.
func (a *aggregator) read(ctx context.Context, src Source, p Period) error {
	batches := make(chan []journal.Entry, 4)
	done := make(chan error, 1)
	var failed atomic.Bool
	go func() {
		var err error
		for b := range batches {
			if err != nil {
				continue // drain
			}
			for _, e := range b {
				if err = a.entry(e); err != nil {
					failed.Store(true)
					break
				}
			}
		}
		done <- err
	}()
	var batch []journal.Entry
	stop := errors.New("stopped")
	err := src.Entries(ctx, p.From, p.To, func(e journal.Entry) error {
		if failed.Load() {
			return stop
		}
		if !p.Contains(e.Time) {
			return nil
		}
		a.d.Entries++
		batch = append(batch, e)
		if len(batch) == batchSize {
			batches <- batch
			batch = make([]journal.Entry, 0, batchSize)
		}
		return nil
	})
	if len(batch) > 0 && err == nil {
		batches <- batch
	}
	close(batches)
	aerr := <-done
	if aerr != nil {
		return aerr
	}
	return err
}

type aggregator struct {
	d        *Data
	cart     cart.Cart         // the transaction being read (reused)
	intern   map[string]string // names, categories and IDs read before
	loc      *time.Location
	closedBy map[string]string
	shifts   map[string]bool
	terms    map[string]bool
}

func (a *aggregator) inShift(id string) bool { return a.d.Period.Shift == "" || id == a.d.Period.Shift }

func (a *aggregator) saw(shiftID, terminal string) {
	if shiftID != "" && !a.shifts[shiftID] {
		a.shifts[shiftID] = true
		a.d.Shifts = append(a.d.Shifts, shiftID)
	}
	if terminal != "" && !a.terms[terminal] {
		a.terms[terminal] = true
		a.d.Terminals = append(a.d.Terminals, terminal)
		sort.Strings(a.d.Terminals)
	}
}

func (a *aggregator) entry(e journal.Entry) error {
	d := a.d
	switch e.Kind {
	case journal.Sale, journal.Void, journal.Suspend:
		c := &a.cart
		if err := decodeCart(e.Payload, c, a.intern); err != nil {
			if e.Kind == journal.Suspend {
				return nil
			}
			return fmt.Errorf("journal entry %d: %w", e.Seq, err)
		}
		if !a.inShift(c.Shift) {
			return nil
		}
		a.saw(c.Shift, c.Terminal)
		switch e.Kind {
		case journal.Suspend:
			d.Suspended++
		case journal.Void:
			a.void(e, c)
		default:
			a.sale(e, c)
		}
	case journal.ShiftOpen, journal.ShiftClose, journal.ShiftBlindClose, journal.ShiftSuspend, journal.ShiftResume:
		if len(e.Payload) == 0 {
			return nil
		}
		var ev shift.Event
		if err := json.Unmarshal(e.Payload, &ev); err != nil {
			return fmt.Errorf("journal entry %d: %w", e.Seq, err)
		}
		if ev.Shift == "" || !a.inShift(ev.Shift) {
			return nil
		}
		a.saw(ev.Shift, ev.Terminal)
		if ev.Start != nil {
			a.movement(e, *ev.Start)
		}
		d.Voids += len(ev.Voided)
		if e.Kind == journal.ShiftClose {
			a.closedBy[ev.Shift] = e.Operator
			if ev.Approver != "" {
				d.Exceptions = append(d.Exceptions, Exception{Kind: ExcOverShort, Time: e.Time, Seq: e.Seq, Terminal: ev.Terminal,
					Operator: e.Operator, Authorised: ev.Approver, Approved: true, Item: ev.Reason, Detail: ev.Shift})
			}
		}
	case journal.CashMovement:
		if len(e.Payload) == 0 {
			return nil
		}
		var m shift.Movement
		if err := json.Unmarshal(e.Payload, &m); err != nil {
			return fmt.Errorf("journal entry %d: %w", e.Seq, err)
		}
		if !a.inShift(m.Shift) {
			return nil
		}
		a.saw(m.Shift, m.Terminal)
		a.movement(e, m)
	case journal.Override:
		var p struct {
			Name string `json:"name"`
		}
		_ = json.Unmarshal(e.Payload, &p) // the name is a nicety; the entry's fields are the record
		d.person(d.Operators, e.Operator).Overrides++
		d.Exceptions = append(d.Exceptions, Exception{Kind: ExcOverride, Time: e.Time, Seq: e.Seq, Receipt: e.ReceiptNo,
			Operator: e.Operator, Authorised: e.Approver, Approved: true, Item: p.Name, Detail: fmt.Sprint(e.Operation)})
	case journal.OverrideFailed:
		var p struct {
			Manager  string `json:"manager"`
			Failures int    `json:"failures"`
		}
		_ = json.Unmarshal(e.Payload, &p) // the alarm stands even without its details
		d.Exceptions = append(d.Exceptions, Exception{Kind: ExcOverrideFailed, Time: e.Time, Seq: e.Seq,
			Operator: e.Operator, Authorised: p.Manager, Detail: fmt.Sprint(p.Failures)})
	}
	return nil
}

// movement counts a cash movement as the Z does (income, expense,
// no-sale) and lists the no-sales and approved overdraws.
func (a *aggregator) movement(e journal.Entry, m shift.Movement) {
	d := a.d
	switch m.Kind {
	case shift.Income:
		d.Income += m.Amount
	case shift.Expense:
		d.Expense += m.Amount
	case shift.NoSale:
		d.NoSales++
		d.person(d.Operators, m.Operator).NoSales++
		d.person(d.Registers, m.Terminal).NoSales++
		d.Exceptions = append(d.Exceptions, Exception{Kind: ExcNoSale, Time: e.Time, Seq: e.Seq, Terminal: m.Terminal,
			Operator: m.Operator, Authorised: m.Operator, Item: m.Reason})
	}
	if m.Approver != "" {
		d.Exceptions = append(d.Exceptions, Exception{Kind: ExcCashOverdraw, Time: e.Time, Seq: e.Seq, Terminal: m.Terminal,
			Operator: m.Operator, Authorised: m.Approver, Approved: true, Item: m.Reason, Amount: m.Amount, Detail: string(m.Kind)})
	}
}

func (a *aggregator) void(e journal.Entry, c *cart.Cart) {
	d := a.d
	d.Voids++
	d.VoidTotal += c.Totals.Total
	op := d.person(d.Operators, c.Operator)
	op.Voids++
	op.VoidTotal += c.Totals.Total
	reg := d.person(d.Registers, c.Terminal)
	reg.Voids++
	reg.VoidTotal += c.Totals.Total
	who, approved := c.Operator, false
	if e.Approver != "" {
		who, approved = e.Approver, true
	}
	d.Exceptions = append(d.Exceptions, Exception{Kind: ExcVoid, Time: e.Time, Seq: e.Seq, Terminal: c.Terminal, Receipt: c.ReceiptNo,
		Operator: c.Operator, Authorised: who, Approved: approved, Amount: c.Totals.Total})
}

// authority is who authorised a limited part of c.
func authority(c *cart.Cart, limit cart.Limit, line int) (string, bool) {
	for _, au := range c.Authorities {
		if au.Limit == limit && au.Line == line {
			return au.Operator, au.Approved
		}
	}
	return c.Operator, false
}

// units is the count of items a line stands for: its quantity in whole
// units, or one for a line sold by weight or measure.
func units(l *cart.Line) int64 {
	q := int64(l.Qty)
	if q < 0 {
		q = -q
	}
	if l.UnitDecimals > 0 || q%int64(catalog.One) != 0 {
		return 1
	}
	return q / int64(catalog.One)
}

func (a *aggregator) sale(e journal.Entry, c *cart.Cart) {
	d := a.d
	var f Figures
	f.Transactions = 1
	sold, returned := false, false
	at := c.Finished
	if at.IsZero() {
		at = c.Started
	}
	promos := map[string]bool{}
	var orderMoney money.Amount
	for i := range c.Lines {
		l := &c.Lines[i]
		if l.IsMoney() {
			if !l.Voided {
				orderMoney += l.Net // a customer order's deposit or charge: not a sale (the X/Z's own figures)
			}
			continue
		}
		if l.Voided {
			d.LineVoids++
			d.person(d.Operators, c.Operator).LineVoids++
			d.person(d.Registers, c.Terminal).LineVoids++
			d.Exceptions = append(d.Exceptions, Exception{Kind: ExcLineVoid, Time: e.Time, Seq: e.Seq, Terminal: c.Terminal,
				Receipt: c.ReceiptNo, Operator: c.Operator, Authorised: c.Operator, Item: l.Name, Amount: l.Gross})
			continue
		}
		cat := d.Categories[l.Category]
		if cat == nil {
			cat = &Lines{ID: l.Category, Name: l.Category}
			d.Categories[l.Category] = cat
		}
		prod := d.Products[l.ProductID]
		if prod == nil {
			prod = &Lines{ID: l.ProductID, Name: l.Name, Category: l.Category, Decimals: l.UnitDecimals}
			d.Products[l.ProductID] = prod
		}
		disc := l.PromoDiscount + l.LineDiscount + l.TotalDiscount
		for _, g := range []*Lines{cat, prod} {
			g.Lines++
			g.Tax += l.Tax
			g.Discount += disc
			if l.Qty > 0 {
				g.Sold += l.Qty
				g.Sales += l.Net
			} else if l.Qty < 0 {
				g.Returned -= l.Qty
				g.Returns -= l.Net
			}
		}
		if l.Qty > 0 {
			f.Sales += l.Net
			f.Items += units(l)
			sold = true
		} else if l.Qty < 0 {
			f.Returns -= l.Net
			f.Returned += units(l)
			returned = true
		}
		for _, p := range l.Promotions {
			pr := d.Promotions[p.OfferID]
			if pr == nil {
				pr = &Promotion{ID: p.OfferID, Name: p.Name, Kind: p.Kind, Coupon: p.Coupon}
				d.Promotions[p.OfferID] = pr
			}
			pr.Lines++
			pr.Amount += p.Amount
			if !promos[p.OfferID] {
				promos[p.OfferID] = true
				pr.Transactions++
			}
		}
		if l.Overridden {
			who, ok := authority(c, cart.LimitPriceOverride, l.No)
			d.Exceptions = append(d.Exceptions, Exception{Kind: ExcPriceOverride, Time: e.Time, Seq: e.Seq, Terminal: c.Terminal,
				Receipt: c.ReceiptNo, Operator: c.Operator, Authorised: who, Approved: ok, Item: l.Name,
				Amount: money.Amount(money.MulDiv(int64(l.OriginalPrice-l.UnitPrice), int64(l.Qty), int64(catalog.One), money.HalfUp)),
				Was:    l.OriginalPrice, Now: l.UnitPrice})
		}
		if !l.Discount.IsZero() && l.ReturnOf == nil {
			who, ok := authority(c, cart.LimitLineDiscount, l.No)
			d.Exceptions = append(d.Exceptions, Exception{Kind: ExcLineDiscount, Time: e.Time, Seq: e.Seq, Terminal: c.Terminal,
				Receipt: c.ReceiptNo, Operator: c.Operator, Authorised: who, Approved: ok, Item: l.Name, Amount: l.LineDiscount,
				Percent: l.Discount.Percent, Off: l.Discount.Amount})
		}
	}
	if !c.Discount.IsZero() {
		who, ok := authority(c, cart.LimitTotalDiscount, 0)
		d.Exceptions = append(d.Exceptions, Exception{Kind: ExcTotalDiscount, Time: e.Time, Seq: e.Seq, Terminal: c.Terminal,
			Receipt: c.ReceiptNo, Operator: c.Operator, Authorised: who, Approved: ok, Amount: c.Totals.TotalDiscounts,
			Percent: c.Discount.Percent, Off: c.Discount.Amount})
	}
	if returned {
		who, ok := authority(c, cart.LimitReturn, 0)
		kind := ExcReturn
		if c.ReturnNoReceipt {
			kind = ExcReturnNoRcpt
		}
		var back money.Amount
		var orig string
		for _, l := range c.Active() {
			if l.Qty < 0 {
				back -= l.Net
				if l.ReturnOf != nil && orig == "" {
					orig = l.ReturnOf.ReceiptNo
				}
			}
		}
		d.Exceptions = append(d.Exceptions, Exception{Kind: kind, Time: e.Time, Seq: e.Seq, Terminal: c.Terminal,
			Receipt: c.ReceiptNo, Operator: c.Operator, Authorised: who, Approved: ok, Amount: back, Detail: orig})
	}
	if sold {
		f.SaleCount = 1
	}
	if returned {
		f.ReturnCount = 1
	}
	f.Net, f.Tax, f.Discounts, f.Rounding = c.Totals.Total-orderMoney, c.Totals.Tax, c.Totals.Discounts, c.Totals.Rounding
	if c.Shift == "" {
		d.NoShift.add(f)
	}
	d.Total.add(f)
	d.Hours[at.In(a.loc).Hour()].add(f)
	day := e.Time.In(a.loc).Format(time.DateOnly)
	if d.Days[day] == nil {
		d.Days[day] = &Figures{}
	}
	d.Days[day].add(f)
	d.person(d.Operators, c.Operator).add(f)
	d.person(d.Registers, c.Terminal).add(f)
	var gross map[string]money.Amount
	if c.TaxInclusive && d.cfg.TaxGroups != nil {
		gross = map[string]money.Amount{}
		for _, l := range c.Active() {
			for _, code := range d.cfg.TaxGroups[l.TaxGroup].Codes {
				gross[code.ID] += l.Net
			}
		}
	}
	for _, s := range c.TaxSummary {
		t := d.Taxes[s.Code]
		if t == nil {
			t = &Tax{Code: s.Code, Name: s.Name, Rate: s.Rate}
			d.Taxes[s.Code] = t
		}
		if g, ok := gross[s.Code]; ok {
			t.Basis += g - s.Amount
		} else {
			t.Basis += s.Basis
		}
		t.Tax += s.Amount
	}
	// Tenders as the Z counts them: every payment line, and the change to
	// the last cash tender.
	for _, t := range c.ActiveTenders() {
		tt := d.tender(t.TypeID)
		tt.Count++
		tt.Tendered += t.Amount
	}
	if changeTo := c.ChangeTenderID(); c.Change != 0 && changeTo != "" {
		d.tender(changeTo).Change += c.Change
	}
}

// sorted returns the values of m sorted by less (ties by key).
func sorted[T any](m map[string]*T, less func(a, b *T) bool) []*T {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]*T, len(keys))
	for i, k := range keys {
		out[i] = m[k]
	}
	sort.SliceStable(out, func(i, j int) bool { return less(out[i], out[j]) })
	return out
}

// ByNet lists categories or products by net sales, largest first.
func ByNet(m map[string]*Lines) []*Lines {
	return sorted(m, func(a, b *Lines) bool { return a.Net() > b.Net() })
}

// PeopleByNet lists operators or registers by net sales, largest first.
func PeopleByNet(m map[string]*People) []*People {
	return sorted(m, func(a, b *People) bool { return a.Net > b.Net })
}

// TaxesByRate lists the tax codes by rate, highest first.
func (d *Data) TaxesByRate() []*Tax {
	return sorted(d.Taxes, func(a, b *Tax) bool { return a.Rate > b.Rate })
}

// PromotionsByAmount lists the promotions by what they gave away, most first.
func (d *Data) PromotionsByAmount() []*Promotion {
	return sorted(d.Promotions, func(a, b *Promotion) bool { return a.Amount > b.Amount })
}

// DayList lists the days of the period in order with their figures (zero
// for days without sales).
func (d *Data) DayList() []DayFigures {
	var out []DayFigures
	for t := midnight(d.Period.From, d.Period.From.Location()); t.Before(d.Period.To); t = t.AddDate(0, 0, 1) {
		k := t.Format(time.DateOnly)
		f := Figures{}
		if v := d.Days[k]; v != nil {
			f = *v
		}
		out = append(out, DayFigures{Day: t, Figures: f})
	}
	return out
}

// DayFigures are one day's figures.
type DayFigures struct {
	Day time.Time `json:"day"`
	Figures
}

// TenderTotal sums the tenders.
func (d *Data) TenderTotal() Tender {
	var t Tender
	for _, x := range d.Tenders {
		t.Count += x.Count
		t.Tendered += x.Tendered
		t.Change += x.Change
	}
	return t
}

// TaxTotal sums the tax codes.
func (d *Data) TaxTotal() Tax {
	var t Tax
	for _, x := range d.Taxes {
		t.Basis += x.Basis
		t.Tax += x.Tax
	}
	return t
}
