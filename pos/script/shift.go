package script

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/shift"
)

// shiftStep reads the shift and cash-management steps (see docs/scripts.md).
// ok is false for a verb that is not one of them.
func (p parser) shiftStep(verb string) (op pos.Operation, ok bool, err error) {
	f := p.f
	amountArg := func(usage string) (money.Amount, error) {
		if err := p.need(1, usage); err != nil {
			return 0, err
		}
		a, err := p.amount(f[1])
		if err != nil {
			return 0, err
		}
		if a <= 0 {
			return 0, fmt.Errorf("%s: the amount must be more than zero", f[0])
		}
		return a, nil
	}
	opts, rest := options(f[1:])
	text := func(from int) string {
		if len(rest) > from {
			return strings.Join(rest[from:], " ")
		}
		return ""
	}
	switch verb {
	case "shift":
		if err := p.need(1, "shift open [AMOUNT] | shift suspend | shift resume [ID] | shift join | shift close [ID] | shift nodrawer"); err != nil {
			return nil, true, err
		}
		switch strings.ToLower(f[1]) {
		case "open":
			var a money.Amount
			if len(f) > 2 {
				if a, err = p.amount(f[2]); err != nil {
					return nil, true, err
				}
			}
			return pos.OpenShift{StartAmount: a, TenderID: opts["tender"]}, true, nil
		case "suspend":
			return pos.SuspendShift{}, true, nil
		case "resume":
			id := ""
			if len(f) > 2 {
				id = f[2]
			}
			return pos.ResumeShift{ID: id}, true, nil
		case "join":
			return pos.JoinShift{}, true, nil
		case "close":
			id := ""
			if len(rest) > 1 {
				id = rest[1]
			}
			return pos.CloseShift{ID: id, Reason: opts["reason"]}, true, nil
		case "nodrawer":
			return pos.NonDrawerMode{}, true, nil
		}
		return nil, true, fmt.Errorf("shift %q: use open, suspend, resume, join, close or nodrawer", f[1])
	case "nodrawer":
		return pos.NonDrawerMode{}, true, nil
	case "startamount":
		a, err := amountArg("startamount AMOUNT")
		return pos.DeclareStart{Amount: a, TenderID: opts["tender"]}, true, err
	case "float":
		a, err := amountArg(`float AMOUNT ["reason"]`)
		return pos.FloatEntry{Amount: a, TenderID: opts["tender"], Reason: text(1)}, true, err
	case "removal":
		a, err := amountArg(`removal AMOUNT ["reason"]`)
		return pos.TenderRemoval{Amount: a, TenderID: opts["tender"], Reason: text(1)}, true, err
	case "safedrop":
		a, err := amountArg(`safedrop AMOUNT ["reason"]`)
		return pos.SafeDrop{Amount: a, TenderID: opts["tender"], Reason: text(1)}, true, err
	case "bankdrop":
		if err := p.need(2, `bankdrop AMOUNT BAG ["reason"]`); err != nil {
			return nil, true, err
		}
		a, err := amountArg(`bankdrop AMOUNT BAG ["reason"]`)
		return pos.BankDrop{Amount: a, Bag: f[2], TenderID: opts["tender"], Reason: text(2)}, true, err
	case "income", "expense":
		if err := p.need(2, verb+` ACCOUNT AMOUNT ["reason"]`); err != nil {
			return nil, true, err
		}
		a, err := p.amount(f[2])
		if err != nil {
			return nil, true, err
		}
		if verb == "income" {
			return pos.IncomeEntry{Account: f[1], Amount: a, Reason: text(2)}, true, nil
		}
		return pos.ExpenseEntry{Account: f[1], Amount: a, Reason: text(2)}, true, nil
	case "nosale":
		return pos.OpenDrawer{Reason: text(0)}, true, nil
	case "declare":
		// declare TENDER [AMOUNT | VALUExQTY ...] [shift=ID]
		if err := p.need(2, "declare cash 50x1 20x2 0.50x3 | declare card 87.20 [shift=ID]"); err != nil {
			return nil, true, err
		}
		o := pos.DeclareTender{Shift: opts["shift"]}
		if t := strings.ToLower(rest[0]); t != "cash" && t != "card" {
			o.TenderID = rest[0]
		} else if t == "card" {
			o.TenderID = "card"
		}
		for _, w := range rest[1:] {
			v, q, isCount := strings.Cut(strings.ToLower(w), "x")
			if !isCount {
				if o.Amount, err = p.amount(w); err != nil {
					return nil, true, err
				}
				continue
			}
			val, err := p.amount(v)
			if err != nil {
				return nil, true, err
			}
			n, err := strconv.ParseInt(q, 10, 64)
			if err != nil || n < 0 {
				return nil, true, fmt.Errorf("count %q: write VALUExPIECES, e.g. 20x3", w)
			}
			o.Counts = append(o.Counts, shift.Count{Value: val, Qty: n})
		}
		return o, true, nil
	case "blindclose":
		return pos.BlindCloseShift{}, true, nil
	case "xreport":
		id := ""
		if len(f) > 1 {
			id = f[1]
		}
		return pos.PrintXReport{ID: id}, true, nil
	case "zreport", "reprintz":
		return pos.ReprintZReport{}, true, nil
	}
	return nil, false, nil
}

// reportFields are the figures "expect report FIELD VALUE" can check.
var reportFields = map[string]func(r *shift.Report, tender string) (money.Amount, bool){
	"sales":     func(r *shift.Report, _ string) (money.Amount, bool) { return r.Sales, true },
	"returns":   func(r *shift.Report, _ string) (money.Amount, bool) { return r.Returns, true },
	"netsales":  func(r *shift.Report, _ string) (money.Amount, bool) { return r.NetSales, true },
	"tax":       func(r *shift.Report, _ string) (money.Amount, bool) { return r.Tax, true },
	"discounts": func(r *shift.Report, _ string) (money.Amount, bool) { return r.Discounts, true },
	"rounding":  func(r *shift.Report, _ string) (money.Amount, bool) { return r.Rounding, true },
	"income":    func(r *shift.Report, _ string) (money.Amount, bool) { return r.Income, true },
	"expense":   func(r *shift.Report, _ string) (money.Amount, bool) { return r.Expense, true },
	"expected":  func(r *shift.Report, _ string) (money.Amount, bool) { return r.Expected, true },
	"declared":  func(r *shift.Report, _ string) (money.Amount, bool) { return r.Declared, true },
	"overshort": func(r *shift.Report, _ string) (money.Amount, bool) { return r.OverShort, true },
	"deposits":  func(r *shift.Report, _ string) (money.Amount, bool) { return r.Deposits, true },
	"depositssettled": func(r *shift.Report, _ string) (money.Amount, bool) {
		return r.DepositsSettled, true
	},
	"depositsrefunded": func(r *shift.Report, _ string) (money.Amount, bool) {
		return r.DepositsRefunded, true
	},
	"cancelcharges": func(r *shift.Report, _ string) (money.Amount, bool) { return r.CancelCharges, true },
	"salecount":     func(r *shift.Report, _ string) (money.Amount, bool) { return money.Amount(r.SaleCount), false },
	"returncount": func(r *shift.Report, _ string) (money.Amount, bool) {
		return money.Amount(r.ReturnCount), false
	},
	"customers": func(r *shift.Report, _ string) (money.Amount, bool) { return money.Amount(r.CustomerCount), false },
	"voids":     func(r *shift.Report, _ string) (money.Amount, bool) { return money.Amount(r.VoidCount), false },
	"nosales":   func(r *shift.Report, _ string) (money.Amount, bool) { return money.Amount(r.NoSaleCount), false },
	"suspended": func(r *shift.Report, _ string) (money.Amount, bool) { return money.Amount(r.SuspendedCount), false },
	"tendered":  func(r *shift.Report, t string) (money.Amount, bool) { return r.Tender(t).Tendered, true },
	"change":    func(r *shift.Report, t string) (money.Amount, bool) { return r.Tender(t).Change, true },
	"start":     func(r *shift.Report, t string) (money.Amount, bool) { return r.Tender(t).Start, true },
	"float":     func(r *shift.Report, t string) (money.Amount, bool) { return r.Tender(t).Float, true },
	"removal":   func(r *shift.Report, t string) (money.Amount, bool) { return r.Tender(t).Removal, true },
	"safedrop":  func(r *shift.Report, t string) (money.Amount, bool) { return r.Tender(t).SafeDrop, true },
	"bankdrop":  func(r *shift.Report, t string) (money.Amount, bool) { return r.Tender(t).BankDrop, true },
	"tenderexpected": func(r *shift.Report, t string) (money.Amount, bool) {
		return r.Tender(t).Expected, true
	},
	"tenderdeclared": func(r *shift.Report, t string) (money.Amount, bool) {
		return r.Tender(t).Declared, true
	},
	"tenderovershort": func(r *shift.Report, t string) (money.Amount, bool) {
		return r.Tender(t).OverShort, true
	},
}

// reportExpect reads "expect report FIELD[:TENDER] VALUE".
func (p parser) reportExpect() (*Expect, error) {
	f := p.f
	if err := p.need(3, "expect report FIELD[:TENDER] VALUE"); err != nil {
		return nil, err
	}
	field, tender, _ := strings.Cut(strings.ToLower(f[2]), ":")
	get, ok := reportFields[field]
	if !ok {
		return nil, fmt.Errorf("expect report %q: not a report figure", f[2])
	}
	e := &Expect{What: "report", Field: field, Tender: tender}
	_, isAmount := get(&shift.Report{}, tender)
	if isAmount {
		a, err := p.amount(f[3])
		if err != nil {
			return nil, err
		}
		e.Amount = a
	} else {
		n, err := strconv.Atoi(f[3])
		if err != nil {
			return nil, fmt.Errorf("expect report %s %q: give a count", f[2], f[3])
		}
		e.Count = n
	}
	return e, nil
}

// checkReport checks a report expectation against the last report.
func checkReport(e *Expect, r *shift.Report, lastErr error, digits int) error {
	if lastErr != nil {
		return lastErr
	}
	if r == nil {
		return fmt.Errorf("no X or Z report to check: run xreport, shift close or zreport first")
	}
	if e.Tender == "" {
		e.Tender = "cash"
		for _, t := range r.Tenders {
			if t.Cash {
				e.Tender = t.Tender
				break
			}
		}
	}
	got, isAmount := reportFields[e.Field](r, e.Tender)
	if !isAmount {
		if int(got) != e.Count {
			return fmt.Errorf("expected report %s %d, have %d", e.Field, e.Count, got)
		}
		return nil
	}
	if got != e.Amount {
		return fmt.Errorf("expected report %s %s, have %s", e.Field, e.Amount.Format(digits), got.Format(digits))
	}
	return nil
}
