// Package report is what a store manager reads every day: sales by hour,
// day, category, operator, register, tender and tax rate, top and bottom
// products, the exceptions a loss-prevention manager reads (returns, voids,
// no-sales, price overrides and manual discounts with who authorised them,
// manager approvals and wrong-PIN alarms), promotions and what they gave
// away, baskets, and the over/short history of the shifts — for a shift, a
// day, a week, a month or a custom range, beside the same period before.
//
// Every figure is derived from journal entries (Aggregate), the same way the
// X/Z builder (pos/shift) derives its own: the journal is the source of
// truth, and the totals per tender and per tax rate of a period made of
// whole shifts equal the sum of those shifts' Z reports to the cent.
//
// A report reads its facts from a Source. The till's own journal is one
// (offline/store and pos/memstore implement it); the store server will be
// another, giving the journals of every till of the store, so that the same
// reports run across the store (its figures are already kept per register).
//
// Aggregate turns the entries into Data; Build turns Data (and the Data of
// the period before) into a Doc of figures, charts and tables whose labels
// are message keys; package pos/report/render draws a Doc as text, CSV,
// JSON, PDF or the short form for the receipt printer.
package report

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/shift"
)

// Source is where reports read their facts. The till's journal implements
// it (offline/store, pos/memstore); the store server's implementation, over
// the journals of all the store's tills, comes with the chain server.
type Source interface {
	// Entries calls fn with every journal entry whose time is in [from, to),
	// in journal order (for several tills: in time order). It stops at fn's
	// first error and returns it. fn may keep an entry, and never changes
	// its payload's bytes (a source may hand out memory it shares).
	Entries(ctx context.Context, from, to time.Time, fn func(journal.Entry) error) error
	// ClosedShifts returns the stored Z reports of the shifts closed in
	// [from, to), oldest first.
	ClosedShifts(ctx context.Context, from, to time.Time) ([]shift.Report, error)
}

// Range is the kind of a period.
type Range string

// Period kinds.
const (
	RangeShift  Range = "shift"
	RangeDay    Range = "day"
	RangeWeek   Range = "week" // Monday to Sunday
	RangeMonth  Range = "month"
	RangeCustom Range = "custom" // whole days, From to To
)

// Ranges lists the period kinds in the order a screen offers them.
var Ranges = []Range{RangeShift, RangeDay, RangeWeek, RangeMonth, RangeCustom}

// Period is the time a report covers: [From, To) in the store's time zone.
// A shift's period also names the shift: only its entries count.
type Period struct {
	Range Range     `json:"range"`
	From  time.Time `json:"from"`
	To    time.Time `json:"to"`
	Shift string    `json:"shift,omitempty"`
}

// midnight returns the start of t's day in loc.
func midnight(t time.Time, loc *time.Location) time.Time {
	t = t.In(loc)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
}

func zone(loc *time.Location) *time.Location {
	if loc == nil {
		return time.UTC
	}
	return loc
}

// Day is the store day (in loc) that holds t.
func Day(t time.Time, loc *time.Location) Period {
	d := midnight(t, zone(loc))
	return Period{Range: RangeDay, From: d, To: d.AddDate(0, 0, 1)}
}

// Week is the week, Monday to Sunday, that holds t.
func Week(t time.Time, loc *time.Location) Period {
	d := midnight(t, zone(loc))
	back := (int(d.Weekday()) + 6) % 7 // days since Monday
	d = d.AddDate(0, 0, -back)
	return Period{Range: RangeWeek, From: d, To: d.AddDate(0, 0, 7)}
}

// Month is the calendar month that holds t.
func Month(t time.Time, loc *time.Location) Period {
	t = t.In(zone(loc))
	d := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, zone(loc))
	return Period{Range: RangeMonth, From: d, To: d.AddDate(0, 1, 0)}
}

// Days is the custom range of the whole days from the day of first to the
// day of last, both included.
func Days(first, last time.Time, loc *time.Location) Period {
	a, b := midnight(first, zone(loc)), midnight(last, zone(loc))
	if b.Before(a) {
		a, b = b, a
	}
	return Period{Range: RangeCustom, From: a, To: b.AddDate(0, 0, 1)}
}

// ForShift is the period of a shift: from its opening to its close (or to
// now while it is open).
func ForShift(sh shift.Shift, now time.Time, loc *time.Location) Period {
	to := now
	if !sh.Closed.IsZero() {
		to = sh.Closed
	}
	return Period{Range: RangeShift, From: sh.Opened.In(zone(loc)), To: to.Add(time.Nanosecond).In(zone(loc)), Shift: sh.ID}
}

// Previous is the same period before: the day, week or month before, or as
// many days before a custom range. A shift's previous period is the shift
// closed before it, which only the source knows (see Run); here it is the
// same length of time before.
func (p Period) Previous() Period {
	q := p
	q.Shift = ""
	switch p.Range {
	case RangeDay:
		q.From, q.To = p.From.AddDate(0, 0, -1), p.From
	case RangeWeek:
		q.From, q.To = p.From.AddDate(0, 0, -7), p.From
	case RangeMonth:
		q.From, q.To = p.From.AddDate(0, -1, 0), p.From
	case RangeCustom:
		q.From, q.To = p.From.AddDate(0, 0, -p.DayCount()), p.From
	default:
		q.From, q.To = p.From.Add(-p.To.Sub(p.From)), p.From
	}
	return q
}

// Next is the period after (day, week, month, custom range of as many days).
func (p Period) Next() Period {
	q := p
	q.Shift = ""
	switch p.Range {
	case RangeDay:
		q.From, q.To = p.To, p.To.AddDate(0, 0, 1)
	case RangeWeek:
		q.From, q.To = p.To, p.To.AddDate(0, 0, 7)
	case RangeMonth:
		q.From, q.To = p.To, p.To.AddDate(0, 1, 0)
	case RangeCustom:
		q.From, q.To = p.To, p.To.AddDate(0, 0, p.DayCount())
	default:
		q.From, q.To = p.To, p.To.Add(p.To.Sub(p.From))
	}
	return q
}

// DayCount is the number of calendar days the period touches.
func (p Period) DayCount() int {
	n := 0
	for d := midnight(p.From, p.From.Location()); d.Before(p.To); d = d.AddDate(0, 0, 1) {
		n++
	}
	return n
}

// Contains reports whether t is in [From, To).
func (p Period) Contains(t time.Time) bool { return !t.Before(p.From) && t.Before(p.To) }

// LastDay is the last day the period touches (To is exclusive).
func (p Period) LastDay() time.Time { return p.To.Add(-time.Nanosecond).In(p.From.Location()) }

// String names the period for logs and file names: "2026-11-27",
// "2026-11-23..2026-11-29", "shift 0192…".
func (p Period) String() string {
	if p.Range == RangeShift {
		return "shift " + p.Shift
	}
	a, b := p.From.Format(time.DateOnly), p.LastDay().Format(time.DateOnly)
	if a == b {
		return a
	}
	return a + ".." + b
}

// ParsePeriod reads a period as the command line gives it: the kind, and
// dates (YYYY-MM-DD, in loc). A day, week or month needs from (the day it
// holds); a custom range needs from and to (both included; to defaults to
// from). now is used when from is empty.
func ParsePeriod(kind, from, to string, now time.Time, loc *time.Location) (Period, error) {
	loc = zone(loc)
	date := func(s string) (time.Time, error) {
		if strings.TrimSpace(s) == "" {
			return now.In(loc), nil
		}
		t, err := time.ParseInLocation(time.DateOnly, strings.TrimSpace(s), loc)
		if err != nil {
			return t, fmt.Errorf("date %q: write it as YYYY-MM-DD", s)
		}
		return t, nil
	}
	a, err := date(from)
	if err != nil {
		return Period{}, err
	}
	switch Range(strings.ToLower(strings.TrimSpace(kind))) {
	case RangeDay:
		return Day(a, loc), nil
	case RangeWeek:
		return Week(a, loc), nil
	case RangeMonth:
		return Month(a, loc), nil
	case RangeCustom, "":
		if strings.TrimSpace(to) == "" {
			to = from
		}
		b, err := date(to)
		if err != nil {
			return Period{}, err
		}
		return Days(a, b, loc), nil
	}
	return Period{}, fmt.Errorf("period %q: use day, week, month or custom", kind)
}
