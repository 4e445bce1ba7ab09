package shift

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/tax"
	"github.com/opentill/opentill/pos/tender"
)

// ReportKind is X (during the shift) or Z (at close).
type ReportKind string

// Report kinds.
const (
	X ReportKind = "X"
	Z ReportKind = "Z"
)

// TenderTotals are one tender type's figures in a shift. Expected is what
// should be in the drawer for the tender: Start + Float + Tendered − Change
// + Income − Expense − Removal − SafeDrop − BankDrop. OverShort is Declared −
// Expected, set only once the tender was declared.
type TenderTotals struct {
	Tender   string       `json:"tender"`
	Name     string       `json:"name"`
	Cash     bool         `json:"cash"`
	Count    int          `json:"count"` // payment lines
	Tendered money.Amount `json:"tendered"`
	Change   money.Amount `json:"change"`
	Start    money.Amount `json:"start"`
	Float    money.Amount `json:"float"`
	Removal  money.Amount `json:"removal"`
	SafeDrop money.Amount `json:"safe_drop"`
	BankDrop money.Amount `json:"bank_drop"`
	Income   money.Amount `json:"income"`
	Expense  money.Amount `json:"expense"`
	// Customer orders' money, kept out of the sales (pos/order): deposits
	// taken, deposits settled against pick-ups, deposits paid back, and
	// cancellation charges. NetSales counts none of them.
	Deposits         money.Amount `json:"deposits,omitempty"`
	DepositsSettled  money.Amount `json:"deposits_settled,omitempty"`
	DepositsRefunded money.Amount `json:"deposits_refunded,omitempty"`
	CancelCharges    money.Amount `json:"cancel_charges,omitempty"`
	Expected         money.Amount `json:"expected"`
	Declared         money.Amount `json:"declared"`
	HasCount         bool         `json:"has_count"` // declared
	OverShort        money.Amount `json:"over_short"`
	// A foreign-currency tender (Currency set) is counted in its own
	// currency: ForeignTendered is what was handed over in it, and Start,
	// Float, Removal, the drops, Expected, Declared and OverShort are in it
	// too; Tendered is what it paid in the store's currency.
	// StoreExpected and StoreOverShort are the store-currency figures the
	// report's sums add (equal to Expected and OverShort for the store's
	// own tenders): the tendered amounts, the movements and the
	// over/short converted at the shift's last rate.
	Currency        money.Currency `json:"currency,omitzero"`
	ForeignTendered money.Amount   `json:"foreign_tendered,omitempty"`
	StoreExpected   money.Amount   `json:"store_expected"`
	StoreOverShort  money.Amount   `json:"store_over_short"`
	rate            money.Rate     // the last rate of the shift's tenders or movements
}

// AccountTotal is the total moved through one income or expense account.
type AccountTotal struct {
	Account string       `json:"account"`
	Kind    AccountKind  `json:"kind"`
	Amount  money.Amount `json:"amount"`
	Count   int          `json:"count"`
}

// HourTotal is the net sales of one hour of the day (in the report's time zone).
type HourTotal struct {
	Hour   int          `json:"hour"`
	Amount money.Amount `json:"amount"`
	Count  int          `json:"count"`
}

// Report is an X or Z report. Sales are the net amounts of sold lines and
// Returns the net amounts given back (positive), both after discounts;
// Sales − Returns + exclusive tax is what the transactions totalled.
type Report struct {
	Kind      ReportKind     `json:"kind"`
	Shift     string         `json:"shift"`
	Store     string         `json:"store"`
	Terminal  string         `json:"terminal"`
	Status    Status         `json:"status"`
	OpenedBy  string         `json:"opened_by"`
	Opened    time.Time      `json:"opened"`
	At        time.Time      `json:"at"` // when the report was made (close time for Z)
	Currency  money.Currency `json:"currency"`
	Operators []string       `json:"operators"` // everyone who worked in the shift

	Sales     money.Amount `json:"sales"`
	Returns   money.Amount `json:"returns"`
	NetSales  money.Amount `json:"net_sales"` // Σ transaction totals
	Tax       money.Amount `json:"tax"`
	Discounts money.Amount `json:"discounts"`
	Rounding  money.Amount `json:"rounding"`
	Income    money.Amount `json:"income"`
	Expense   money.Amount `json:"expense"`
	// Customer orders' money, kept out of the sales (pos/order): deposits
	// taken, deposits settled against pick-ups, deposits paid back, and
	// cancellation charges. NetSales counts none of them.
	Deposits         money.Amount `json:"deposits,omitempty"`
	DepositsSettled  money.Amount `json:"deposits_settled,omitempty"`
	DepositsRefunded money.Amount `json:"deposits_refunded,omitempty"`
	CancelCharges    money.Amount `json:"cancel_charges,omitempty"`
	// Stored value, kept out of the sales too: gift cards sold and topped
	// up, gift cards paid out in cash, and credit memos issued for refunds
	// (their redemptions are tenders).
	GiftCardsSold      money.Amount `json:"gift_cards_sold,omitempty"`
	GiftCardsCashedOut money.Amount `json:"gift_cards_cashed_out,omitempty"`
	MemosIssued        money.Amount `json:"memos_issued,omitempty"`
	// AccountDeposits are payments into customers' accounts (what is
	// charged to them is the account tender's figure).
	AccountDeposits money.Amount `json:"account_deposits,omitempty"`
	// OfflineCards and OfflineCardAmount are the card payments taken while
	// the processor was unreachable (stored on the terminal to forward).
	OfflineCards      int          `json:"offline_cards,omitempty"`
	OfflineCardAmount money.Amount `json:"offline_card_amount,omitempty"`

	SaleCount      int `json:"sale_count"`     // completed transactions that sold something
	ReturnCount    int `json:"return_count"`   // completed transactions that gave something back
	CustomerCount  int `json:"customer_count"` // completed transactions
	VoidCount      int `json:"void_count"`
	NoSaleCount    int `json:"no_sale_count"`
	SuspendedCount int `json:"suspended_count"`

	Tenders  []TenderTotals `json:"tenders"`
	Accounts []AccountTotal `json:"accounts,omitempty"`
	ByHour   []HourTotal    `json:"by_hour,omitempty"`
	// TaxRates is the tax per tax code (net basis and tax) over the
	// completed transactions, sorted by code: the report's tax table. Z
	// reports stored before it existed have none.
	TaxRates []tax.CodeTotal `json:"tax_rates,omitempty"`

	// Expected, Declared and OverShort sum the tenders (over/short only of
	// declared tenders).
	Expected  money.Amount `json:"expected"`
	Declared  money.Amount `json:"declared"`
	OverShort money.Amount `json:"over_short"`
	// OverShortApprover and OverShortReason are the manager who accepted an
	// over/short beyond the store's limit at the close, and why (Z only).
	OverShortApprover string `json:"over_short_approver,omitempty"`
	OverShortReason   string `json:"over_short_reason,omitempty"`

	// Journal is, on a Z report, the journal's head at the shift's closing
	// entry: the report covers the chain up to it, and the store server and
	// an auditor can hold the till's chain against it.
	Journal journal.Head `json:"journal,omitzero"`
}

// Tender returns the totals of one tender type (zero if it was not used).
func (r *Report) Tender(id string) TenderTotals {
	for _, t := range r.Tenders {
		if t.Tender == id {
			return t
		}
	}
	return TenderTotals{Tender: id}
}

// Undeclared lists the cash tenders with an expected amount or movements
// that have not been declared.
func (r *Report) Undeclared() []string {
	var out []string
	for _, t := range r.Tenders {
		if t.Cash && !t.HasCount {
			out = append(out, t.Tender)
		}
	}
	return out
}

// Build computes a report of shift sh from journal entries (any superset of
// the shift's entries, in journal order: entries of other shifts are
// skipped). tenders gives names, order and which tenders are cash; loc is
// the time zone of the hourly figures (nil = UTC). At is the time of the
// last entry used; a Z report's Journal is the head at the closing entry.
func Build(kind ReportKind, sh Shift, entries []journal.Entry, tenders []tender.Type, loc *time.Location) (Report, error) {
	if loc == nil {
		loc = time.UTC
	}
	r := Report{Kind: kind, Shift: sh.ID, Store: sh.Store, Terminal: sh.Terminal, Status: sh.Status,
		OpenedBy: sh.OpenedBy, Opened: sh.Opened, At: sh.Opened, Currency: sh.Currency}
	tt := map[string]*TenderTotals{}
	var order []string
	tot := func(id string) *TenderTotals {
		if t, ok := tt[id]; ok {
			return t
		}
		t := &TenderTotals{Tender: id, Name: id}
		for _, ty := range tenders {
			if ty.ID == id {
				t.Name, t.Cash = ty.Name, ty.Kind == cart.Cash || ty.Kind == cart.Currency
				t.Currency = ty.Foreign
			}
		}
		tt[id] = t
		order = append(order, id)
		return t
	}
	cashID := ""
	for _, ty := range tenders {
		if ty.Kind == cart.Cash {
			cashID = ty.ID
			break
		}
	}
	if cashID != "" {
		tot(cashID)
	}
	accounts := map[string]*AccountTotal{}
	hours := map[int]*HourTotal{}
	ops := map[string]bool{}
	start := map[string]money.Amount{}
	declared := map[string]money.Amount{}
	seen := func(op string) {
		if op != "" && !ops[op] {
			ops[op] = true
			r.Operators = append(r.Operators, op)
		}
	}
	move := func(m Movement) {
		if m.Tender == "" {
			m.Tender = cashID
		}
		if m.Rate > 0 {
			tot(m.Tender).rate = m.Rate // a foreign tender's movement: in its currency
			tot(m.Tender).Currency = m.Currency
		}
		seen(m.Operator)
		switch m.Kind {
		case StartAmount:
			start[m.Tender] = m.Amount
			tot(m.Tender)
		case FloatEntry:
			tot(m.Tender).Float += m.Amount
		case Removal:
			tot(m.Tender).Removal += m.Amount
		case SafeDrop:
			tot(m.Tender).SafeDrop += m.Amount
		case BankDrop:
			tot(m.Tender).BankDrop += m.Amount
		case Income, Expense:
			a := accounts[m.Account]
			if a == nil {
				a = &AccountTotal{Account: m.Account, Kind: IncomeAccount}
				if m.Kind == Expense {
					a.Kind = ExpenseAccount
				}
				accounts[m.Account] = a
			}
			a.Amount += m.Amount
			a.Count++
			if m.Kind == Income {
				tot(m.Tender).Income += m.Amount
				r.Income += m.Amount
			} else {
				tot(m.Tender).Expense += m.Amount
				r.Expense += m.Amount
			}
		case NoSale:
			r.NoSaleCount++
		case Declaration:
			declared[m.Tender] = m.Amount
			tot(m.Tender)
		}
	}
	for _, e := range entries {
		if e.Seq < sh.StartSeq {
			continue
		}
		switch e.Kind {
		case journal.Sale, journal.Void, journal.Suspend:
			var c cart.Cart
			if err := json.Unmarshal(e.Payload, &c); err != nil {
				if e.Kind == journal.Suspend {
					continue
				}
				return r, fmt.Errorf("journal entry %d: %w", e.Seq, err)
			}
			if c.Shift != sh.ID {
				continue
			}
			r.At = e.Time
			switch e.Kind {
			case journal.Suspend:
				r.SuspendedCount++
				continue
			case journal.Void:
				r.VoidCount++
				seen(c.Operator)
				continue
			}
			seen(c.Operator)
			r.addCart(&c, tot, hours, loc)
		case journal.ShiftOpen, journal.ShiftClose, journal.ShiftBlindClose, journal.ShiftSuspend, journal.ShiftResume:
			var ev Event
			if len(e.Payload) == 0 {
				continue
			}
			if err := json.Unmarshal(e.Payload, &ev); err != nil {
				return r, fmt.Errorf("journal entry %d: %w", e.Seq, err)
			}
			if ev.Shift != sh.ID {
				continue
			}
			r.At = e.Time
			if kind == Z && e.Kind == journal.ShiftClose {
				r.Journal = e.Head()
			}
			seen(ev.Operator)
			if ev.Start != nil {
				move(*ev.Start)
			}
			r.VoidCount += len(ev.Voided)
			if e.Kind == journal.ShiftClose && (ev.Approver != "" || ev.Reason != "") {
				r.OverShortApprover, r.OverShortReason = ev.Approver, ev.Reason
			}
		case journal.CashMovement:
			var m Movement
			if len(e.Payload) == 0 {
				continue
			}
			if err := json.Unmarshal(e.Payload, &m); err != nil {
				return r, fmt.Errorf("journal entry %d: %w", e.Seq, err)
			}
			if m.Shift != sh.ID {
				continue
			}
			r.At = e.Time
			move(m)
		}
	}
	for _, id := range order {
		t := tt[id]
		t.Start = start[id]
		moved := t.Start + t.Float + t.Income - t.Expense - t.Removal - t.SafeDrop - t.BankDrop
		t.Expected = moved + t.Tendered - t.Change
		t.StoreExpected = t.Expected
		foreign := t.Currency.Code != "" && t.rate > 0
		if foreign {
			t.Expected = moved + t.ForeignTendered
			t.StoreExpected = t.Tendered + money.Exchange(moved, t.Currency, t.rate, r.Currency, money.HalfUp)
		}
		if d, ok := declared[id]; ok {
			t.Declared, t.HasCount = d, true
			t.OverShort = d - t.Expected
			t.StoreOverShort = t.OverShort
			if foreign {
				t.StoreOverShort = money.Exchange(t.OverShort, t.Currency, t.rate, r.Currency, money.HalfUp)
			}
			r.OverShort += t.StoreOverShort
			r.Declared += t.StoreExpected + t.StoreOverShort
		}
		r.Expected += t.StoreExpected
		r.Tenders = append(r.Tenders, *t)
	}
	sort.SliceStable(r.Tenders, func(i, j int) bool {
		return tenderRank(tenders, r.Tenders[i].Tender) < tenderRank(tenders, r.Tenders[j].Tender)
	})
	for _, a := range accounts {
		r.Accounts = append(r.Accounts, *a)
	}
	sort.Slice(r.Accounts, func(i, j int) bool {
		if r.Accounts[i].Kind != r.Accounts[j].Kind {
			return r.Accounts[i].Kind == IncomeAccount
		}
		return r.Accounts[i].Account < r.Accounts[j].Account
	})
	for _, h := range hours {
		r.ByHour = append(r.ByHour, *h)
	}
	sort.Slice(r.ByHour, func(i, j int) bool { return r.ByHour[i].Hour < r.ByHour[j].Hour })
	return r, nil
}

// addTax adds one transaction's tax of one code to the tax table.
func (r *Report) addTax(t tax.CodeTotal) {
	i := sort.Search(len(r.TaxRates), func(i int) bool { return r.TaxRates[i].Code >= t.Code })
	if i == len(r.TaxRates) || r.TaxRates[i].Code != t.Code {
		r.TaxRates = slices.Insert(r.TaxRates, i, tax.CodeTotal{Code: t.Code, Name: t.Name, Rate: t.Rate})
	}
	r.TaxRates[i].Basis += t.Basis
	r.TaxRates[i].Amount += t.Amount
}

func tenderRank(tenders []tender.Type, id string) int {
	for i, t := range tenders {
		if t.ID == id {
			return i
		}
	}
	return len(tenders)
}

// addCart adds a completed transaction.
func (r *Report) addCart(c *cart.Cart, tot func(string) *TenderTotals, hours map[int]*HourTotal, loc *time.Location) {
	r.CustomerCount++
	sold, returned := false, false
	var orderMoney money.Amount
	for _, l := range c.Active() {
		if l.Value != nil {
			orderMoney += l.Net
			switch l.Value.Role {
			case cart.ValueCashOut:
				r.GiftCardsCashedOut -= l.Net
			case cart.ValueDeposit:
				r.AccountDeposits += l.Net
			default:
				r.GiftCardsSold += l.Net
			}
			continue
		}
		if l.IsOrderMoney() {
			orderMoney += l.Net
			switch l.Order.Role {
			case cart.OrderDeposit:
				r.Deposits += l.Net
			case cart.OrderSettle:
				r.DepositsSettled -= l.Net
			case cart.OrderRefund:
				r.DepositsRefunded -= l.Net
			case cart.OrderCharge:
				r.CancelCharges += l.Net
			}
			continue
		}
		if l.Qty > 0 {
			r.Sales += l.Net
			sold = true
		} else if l.Qty < 0 {
			r.Returns -= l.Net
			returned = true
		}
	}
	if sold {
		r.SaleCount++
	}
	if returned {
		r.ReturnCount++
	}
	r.NetSales += c.Totals.Total - orderMoney
	r.Tax += c.Totals.Tax
	for _, t := range c.TaxSummary {
		r.addTax(t)
	}
	r.Discounts += c.Totals.Discounts
	r.Rounding += c.Totals.Rounding
	for _, t := range c.ActiveTenders() {
		tt := tot(t.TypeID)
		tt.Count++
		tt.Tendered += t.Amount
		if t.Foreign != nil {
			tt.Currency = t.Foreign.Currency
			tt.ForeignTendered += t.Foreign.Amount
			tt.rate = t.Foreign.Rate
		}
		if t.Kind == cart.CreditMemo && t.Amount < 0 {
			r.MemosIssued -= t.Amount
		}
		if t.Card != nil && t.Card.Offline {
			r.OfflineCards++
			r.OfflineCardAmount += t.Amount
		}
	}
	if changeTo := c.ChangeTenderID(); c.Change != 0 && changeTo != "" {
		tot(changeTo).Change += c.Change
	}
	at := c.Finished
	if at.IsZero() {
		at = c.Started
	}
	h := at.In(loc).Hour()
	ht := hours[h]
	if ht == nil {
		ht = &HourTotal{Hour: h}
		hours[h] = ht
	}
	ht.Amount += c.Totals.Total - orderMoney
	ht.Count++
}
