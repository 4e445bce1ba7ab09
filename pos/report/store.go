package report

import "github.com/opentill/opentill/pos/money"

// Parts are a period's figures across a store's tills as the store server
// computes them (by Aggregate over the tills' journals): the totals, each
// register, operator, day, tender and tax rate, and each closed shift's
// count. Restore makes them the Data the reports are built from.
type Parts struct {
	Terminals []string
	Total     Figures
	NoShift   Figures
	Registers []People
	Operators []People
	Days      []DayFigures
	Tenders   []Tender
	Taxes     []Tax
	OverShort []OverShort
	Voids     int
	VoidTotal money.Amount
	NoSales   int
	Income    money.Amount
	Expense   money.Amount
	Entries   int
}

// Restore makes the store server's figures of period p the data of the
// reports. What the server does not send (hours, categories, products,
// promotions, exceptions) stays empty: StoreNames are the reports the
// data draws.
func Restore(cfg Config, p Period, s Parts) *Data {
	d := newData(cfg, p)
	d.Terminals, d.Total, d.NoShift = s.Terminals, s.Total, s.NoShift
	for _, r := range s.Registers {
		r := r
		d.Registers[r.ID] = &r
	}
	for _, o := range s.Operators {
		o := o
		d.Operators[o.ID] = &o
	}
	loc := cfg.loc()
	for _, day := range s.Days {
		f := day.Figures
		d.Days[day.Day.In(loc).Format("2006-01-02")] = &f
	}
	for _, t := range s.Tenders {
		x := d.tender(t.ID)
		x.Count, x.Tendered, x.Change = t.Count, t.Tendered, t.Change
		if t.Name != "" {
			x.Name = t.Name
		}
	}
	for _, t := range s.Taxes {
		t := t
		d.Taxes[t.Code] = &t
	}
	d.OverShort = s.OverShort
	d.Voids, d.VoidTotal, d.NoSales, d.Income, d.Expense, d.Entries = s.Voids, s.VoidTotal, s.NoSales, s.Income, s.Expense, s.Entries
	d.Storewide = true
	return d
}

// StoreNames are the reports the store-wide data draws.
var StoreNames = []Name{Daily, Registers, Operators, Tenders, Taxes, OverShorts}
