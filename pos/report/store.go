package report

import (
	"context"
	"errors"
	"time"

	"github.com/opentill/opentill/pos/money"
)

// Parts are a period's figures across a store's tills as the store server
// computes them (by the rules of Aggregate over the tills' journals): the
// totals, each hour, day, register, operator, category, product, tender,
// tax rate and promotion, the exceptions, and each closed shift's count.
// Restore makes them the Data the reports are built from.
type Parts struct {
	Terminals  []string
	Total      Figures
	NoShift    Figures
	Hours      [24]Figures
	Registers  []People
	Operators  []People
	Days       []DayFigures
	Categories []Lines
	Products   []Lines
	Tenders    []Tender
	Taxes      []Tax
	Promotions []Promotion
	Exceptions []Exception
	OverShort  []OverShort
	Voids      int
	VoidTotal  money.Amount
	LineVoids  int
	NoSales    int
	Suspended  int
	Income     money.Amount
	Expense    money.Amount
	Entries    int
}

// Restore makes the store server's figures of period p the data of the
// reports.
func Restore(cfg Config, p Period, s Parts) *Data {
	d := newData(cfg, p)
	d.Terminals, d.Total, d.NoShift, d.Hours = s.Terminals, s.Total, s.NoShift, s.Hours
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
	for _, l := range s.Categories {
		l := l
		d.Categories[l.ID] = &l
	}
	for _, l := range s.Products {
		l := l
		d.Products[l.ID] = &l
	}
	for _, p := range s.Promotions {
		p := p
		d.Promotions[p.ID] = &p
	}
	d.Exceptions, d.OverShort = s.Exceptions, s.OverShort
	d.Voids, d.VoidTotal, d.LineVoids, d.NoSales, d.Suspended = s.Voids, s.VoidTotal, s.LineVoids, s.NoSales, s.Suspended
	d.Income, d.Expense, d.Entries = s.Income, s.Expense, s.Entries
	d.Storewide = true
	return d
}

// StoreNames are the reports the store-wide data draws: all of them.
var StoreNames = Names

// Store answers for a store's figures across its tills over [from, to):
// the store server, through the till's sync engine.
type Store interface {
	StoreReport(ctx context.Context, from, to time.Time) (Parts, error)
}

// RunStore asks st for period p's figures across the store and, if
// compare, the same period before's. A shift is one till's: it is refused.
func RunStore(ctx context.Context, st Store, cfg Config, p Period, compare bool) (*Set, error) {
	if p.Range == RangeShift || p.Shift != "" {
		return nil, ErrStoreShift
	}
	parts, err := st.StoreReport(ctx, p.From, p.To)
	if err != nil {
		return nil, err
	}
	set := &Set{Cur: Restore(cfg, p, parts)}
	if compare {
		q := p.Previous()
		prev, err := st.StoreReport(ctx, q.From, q.To)
		if err != nil {
			return nil, err
		}
		set.Prev = Restore(cfg, q, prev)
	}
	return set, nil
}

// ErrStoreShift refuses a shift's report across the store.
var ErrStoreShift = errors.New("a shift is one till's: choose a day, week, month or range for the whole store")
