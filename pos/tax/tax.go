// Package tax computes sales tax and VAT for a cart: tax groups of one or more
// codes, prices exclusive (US sales tax) or inclusive (EU VAT), rounding per
// line or per total.
package tax

import (
	"fmt"
	"sort"

	"github.com/opentill/opentill/pos/money"
)

// RateScale is the denominator of a Rate: rates are in millionths, so 19 % is
// 190000 and 8.875 % is 88750.
const RateScale = 1_000_000

// Code is one tax (e.g. "VAT19" at 19 %, "STATE" at 6.25 %).
type Code struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Rate int64  `json:"rate"` // millionths
}

// Group is what a product carries: the set of codes that apply to it.
type Group struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Codes []Code `json:"codes"`
}

// Rate returns the combined rate of the group's codes.
func (g Group) Rate() int64 {
	var r int64
	for _, c := range g.Codes {
		r += c.Rate
	}
	return r
}

// Level is where tax is rounded.
type Level int

// Rounding levels.
const (
	PerLine  Level = iota // each line's tax is rounded, then summed
	PerTotal              // unrounded tax is summed per code and rounded once
)

// Config is the store's tax setting.
type Config struct {
	Inclusive bool       `json:"inclusive"` // prices include tax (VAT) rather than exclude it (sales tax)
	Level     Level      `json:"level"`
	Round     money.Mode `json:"round"`
}

// Line is a taxable amount: the line's net amount after discounts (tax
// included when the config is inclusive). Returns are negative.
type Line struct {
	Group  string
	Amount money.Amount
}

// CodeTotal is one row of the tax summary.
type CodeTotal struct {
	Code   string       `json:"code"`
	Name   string       `json:"name"`
	Rate   int64        `json:"rate"`
	Basis  money.Amount `json:"basis"` // amount the tax was computed on, tax excluded
	Amount money.Amount `json:"amount"`
}

// Result is the tax of a cart.
type Result struct {
	Lines   []money.Amount // tax per input line, summing exactly to Total
	Summary []CodeTotal    // per code, sorted by code ID
	Total   money.Amount
}

// Compute taxes the lines. Unknown groups are an error naming the group.
func Compute(cfg Config, groups map[string]Group, lines []Line) (Result, error) {
	var s Scratch
	return s.Compute(cfg, groups, lines)
}

// Scratch is Compute's working room, kept from one call to the next: a
// till taxes the same cart again after every change. The zero value is
// ready; a Scratch serves one call at a time. The Lines of the Result its
// Compute returns are in that room, good until its next call (the Summary
// is the caller's to keep).
type Scratch struct {
	lines []money.Amount
	codes map[string]*acc
	accs  []*acc // every acc made, reused in turn
	used  int
	w     []money.Amount
	parts []money.Amount
	alloc money.Allocator
}

// acc is one code's sums over the lines.
type acc struct {
	code  Code
	basis money.Amount
	// numerator sums for per-total rounding: tax = num / den
	num int64
	den int64
	tax money.Amount
	// line contributions for allocation in per-total mode, by line
	// index (ascending: lines are visited in order)
	idx  []int
	part []int64
}

// newAcc returns a cleared acc for code c, reusing the room of an earlier
// call's.
func (s *Scratch) newAcc(c Code) *acc {
	if s.used == len(s.accs) {
		s.accs = append(s.accs, new(acc))
	}
	a := s.accs[s.used]
	s.used++
	*a = acc{code: c, idx: a.idx[:0], part: a.part[:0]}
	return a
}

// Compute is the package's Compute, working in s's room.
func (s *Scratch) Compute(cfg Config, groups map[string]Group, lines []Line) (Result, error) {
	if cap(s.lines) < len(lines) {
		s.lines = make([]money.Amount, len(lines))
	}
	res := Result{Lines: s.lines[:len(lines)]}
	clear(res.Lines)
	if s.codes == nil {
		s.codes = map[string]*acc{}
	}
	clear(s.codes)
	s.used = 0
	codes := s.codes
	for i, l := range lines {
		g, ok := groups[l.Group]
		if !ok {
			return Result{}, fmt.Errorf("tax group %q is not defined in the store's tax setup", l.Group)
		}
		if len(g.Codes) == 0 || l.Amount == 0 {
			continue
		}
		total := g.Rate()
		var lineTax money.Amount
		for _, c := range g.Codes {
			a := codes[c.ID]
			if a == nil {
				a = s.newAcc(c)
				if cfg.Level == PerTotal && cap(a.idx) < len(lines)-i { // room for every line: a code is usually on most
					a.idx, a.part = make([]int, 0, len(lines)-i), make([]int64, 0, len(lines)-i)
				}
				codes[c.ID] = a
			}
			// Tax of code c on this line:
			//   exclusive: amount × rate / S
			//   inclusive: amount × rate / (S + totalRate)
			den := int64(RateScale)
			if cfg.Inclusive {
				den += total
			}
			if cfg.Level == PerLine {
				t := money.Amount(money.MulDiv(int64(l.Amount), c.Rate, den, cfg.Round))
				a.tax += t
				lineTax += t
			} else {
				// Accumulate over a common denominator per code (den is fixed per group;
				// codes shared across groups with different totals are rare, so keep exact
				// sums per denominator by scaling to the LCM lazily).
				if a.den == 0 {
					a.den = den
				}
				if a.den != den {
					// Different denominators for one code: fall back to per-line precision
					// of 1e-6 minor units, which is exact enough and still rounded once.
					a.num = money.MulDiv(a.num, 1_000_000, a.den, money.HalfEven)
					a.den = 1_000_000
				}
				n := int64(l.Amount) * c.Rate
				if a.den == 1_000_000 && den != 1_000_000 {
					n = money.MulDiv(int64(l.Amount)*1_000_000, c.Rate, den, money.HalfEven)
				}
				a.num += n
				if k := len(a.idx) - 1; k >= 0 && a.idx[k] == i {
					a.part[k] += n
				} else {
					a.idx, a.part = append(a.idx, i), append(a.part, n)
				}
			}
			if cfg.Inclusive {
				// The net part of a tax-inclusive amount: amount × S / (S + group rate).
				a.basis += money.Amount(money.MulDiv(int64(l.Amount), RateScale, RateScale+total, cfg.Round))
			} else {
				a.basis += l.Amount
			}
		}
		res.Lines[i] = lineTax
	}
	ids := make([]string, 0, len(codes))
	for id := range codes {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		a := codes[id]
		if cfg.Level == PerTotal {
			a.tax = money.Amount(money.Div(a.num, a.den, cfg.Round))
			// Spread the rounded code total over its lines in proportion to their share.
			idx := a.idx
			if cap(s.w) < len(idx) {
				s.w = make([]money.Amount, len(idx))
			}
			w := s.w[:len(idx)]
			neg := a.tax < 0
			for k := range idx {
				v := a.part[k]
				if neg {
					v = -v
				}
				if v < 0 {
					v = 0
				}
				w[k] = money.Amount(v / a.den)
				if w[k] == 0 && v != 0 {
					w[k] = 1
				}
			}
			s.parts = s.alloc.Into(s.parts, a.tax, w)
			for k, part := range s.parts {
				res.Lines[idx[k]] += part
			}
		}
		res.Summary = append(res.Summary, CodeTotal{Code: id, Name: a.code.Name, Rate: a.code.Rate, Basis: a.basis, Amount: a.tax})
		res.Total += a.tax
	}
	return res, nil
}
