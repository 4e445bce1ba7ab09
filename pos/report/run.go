package report

import (
	"context"
	"time"
)

// Set is a period's data and, when compared, the data of the period
// before: every report of the period is built from it without reading the
// journal again.
type Set struct {
	Cur  *Data
	Prev *Data // nil when not compared
}

// Doc builds report n of the set.
func (s *Set) Doc(n Name, made time.Time) Doc { return Build(n, s.Cur, s.Prev, made) }

// Run aggregates period p and, if compare, the same period before. The
// period before a shift is the shift closed last before it opened (none if
// there is no such shift in the 31 days before).
func Run(ctx context.Context, src Source, cfg Config, p Period, compare bool) (*Set, error) {
	cur, err := Aggregate(ctx, src, cfg, p)
	if err != nil {
		return nil, err
	}
	s := &Set{Cur: cur}
	if !compare {
		return s, nil
	}
	q, ok, err := previous(ctx, src, cfg, p)
	if err != nil || !ok {
		return s, err
	}
	if s.Prev, err = Aggregate(ctx, src, cfg, q); err != nil {
		return nil, err
	}
	return s, nil
}

func previous(ctx context.Context, src Source, cfg Config, p Period) (Period, bool, error) {
	if p.Range != RangeShift {
		return p.Previous(), true, nil
	}
	zs, err := src.ClosedShifts(ctx, p.From.AddDate(0, 0, -31), p.From)
	if err != nil {
		return Period{}, false, err
	}
	for i := len(zs) - 1; i >= 0; i-- {
		z := zs[i]
		if z.Shift == p.Shift || !z.At.Before(p.From) {
			continue
		}
		loc := cfg.loc()
		return Period{Range: RangeShift, From: z.Opened.In(loc), To: z.At.Add(time.Nanosecond).In(loc), Shift: z.Shift}, true, nil
	}
	return Period{}, false, nil
}
