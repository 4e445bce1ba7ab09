package customer

import (
	"sort"
	"time"

	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/money"
)

// Visit is one completed transaction of the customer, as insights read it.
type Visit struct {
	At    time.Time
	Total money.Amount // negative for a return
}

// Item is a product the customer bought, summed over their transactions.
type Item struct {
	ProductID string
	ItemID    string
	Name      string
	Category  string
	Qty       catalog.Qty  // bought less returned
	Times     int          // transactions that had it
	First     time.Time    // first bought
	Last      time.Time    // last bought
	Amount    money.Amount // net spent on it
}

// Segment is a recency-frequency-monetary segment.
type Segment string

// Segments, from the best customers down.
const (
	SegmentChampion  Segment = "champion"  // recent, frequent, high spend
	SegmentLoyal     Segment = "loyal"     // frequent
	SegmentPromising Segment = "promising" // recent, few visits yet
	SegmentAtRisk    Segment = "at_risk"   // used to come often, not lately
	SegmentLapsed    Segment = "lapsed"    // not seen for long
	SegmentNew       Segment = "new"       // one visit, recently
	SegmentNone      Segment = ""          // no purchases known
)

// Insights are figures about a customer computed from their transactions
// (this till's, offline; the store server's across stores when online).
type Insights struct {
	AsOf           time.Time
	Visits         int          // completed transactions
	Spend          money.Amount // lifetime net spend
	AverageBasket  money.Amount
	FirstVisit     time.Time
	LastVisit      time.Time
	VisitsPerMonth float64 // over the months since the first visit (at least one)
	// R, F and M score recency, frequency (visits in the last year) and
	// spend (in the last year) from 1 to 5.
	R, F, M    int
	Segment    Segment
	Favourites []string // up to three categories by spend
	// NextBest is the product to suggest: a favourite bought repeatedly
	// whose usual interval has passed, else the most bought one.
	NextBest *Item
}

// Score thresholds: days since the last visit (R), visits in the last year
// (F) and spend in the last year in major units of the currency (M), each
// the lowest value of scores 5, 4, 3 and 2 (R: the highest).
var (
	recencyDays = [4]int{14, 45, 120, 365}
	frequency   = [4]int{24, 12, 6, 2}
	spendMajor  = [4]int64{1500, 600, 200, 50}
)

// Compute derives the insights from a customer's visits and items at now;
// digits are the currency's minor digits (for the spend score).
func Compute(visits []Visit, items []Item, now time.Time, digits int) Insights {
	in := Insights{AsOf: now}
	yearAgo := now.AddDate(-1, 0, 0)
	var yearVisits int
	var yearSpend money.Amount
	for _, v := range visits {
		if v.Total > 0 {
			in.Visits++
		}
		in.Spend += v.Total
		if in.FirstVisit.IsZero() || v.At.Before(in.FirstVisit) {
			in.FirstVisit = v.At
		}
		if v.At.After(in.LastVisit) {
			in.LastVisit = v.At
		}
		if !v.At.Before(yearAgo) {
			if v.Total > 0 {
				yearVisits++
			}
			yearSpend += v.Total
		}
	}
	if in.Visits == 0 {
		return in
	}
	in.AverageBasket = money.Amount(int64(in.Spend) / int64(in.Visits))
	months := now.Sub(in.FirstVisit).Hours() / (24 * 30.44)
	if months < 1 {
		months = 1
	}
	in.VisitsPerMonth = float64(in.Visits) / months
	days := int(now.Sub(in.LastVisit).Hours() / 24)
	in.R = 1
	for i, d := range recencyDays {
		if days <= d {
			in.R = 5 - i
			break
		}
	}
	in.F = score(int64(yearVisits), func(i int) int64 { return int64(frequency[i]) })
	unit := int64(1)
	for range digits {
		unit *= 10
	}
	in.M = score(int64(yearSpend), func(i int) int64 { return spendMajor[i] * unit })
	in.Segment = segment(in)
	in.Favourites = favourites(items)
	in.NextBest = nextBest(items, now)
	return in
}

func score(v int64, threshold func(int) int64) int {
	for i := range 4 {
		if v >= threshold(i) {
			return 5 - i
		}
	}
	return 1
}

func segment(in Insights) Segment {
	switch {
	case in.Visits == 1 && in.R >= 4:
		return SegmentNew
	case in.R >= 4 && in.F >= 4 && in.M >= 4:
		return SegmentChampion
	case in.R >= 3 && in.F >= 3:
		return SegmentLoyal
	case in.R >= 4:
		return SegmentPromising
	case in.R >= 2 && in.F >= 3:
		return SegmentAtRisk
	case in.R <= 2:
		return SegmentLapsed
	}
	return SegmentPromising
}

func favourites(items []Item) []string {
	by := map[string]money.Amount{}
	for _, it := range items {
		if it.Category != "" && it.Amount > 0 {
			by[it.Category] += it.Amount
		}
	}
	cats := make([]string, 0, len(by))
	for c := range by {
		cats = append(cats, c)
	}
	sort.Slice(cats, func(i, j int) bool {
		if by[cats[i]] != by[cats[j]] {
			return by[cats[i]] > by[cats[j]]
		}
		return cats[i] < cats[j]
	})
	if len(cats) > 3 {
		cats = cats[:3]
	}
	return cats
}

// nextBest picks the item bought at least twice whose average interval
// since it was last bought has passed by the most; failing that, the item
// bought most often.
func nextBest(items []Item, now time.Time) *Item {
	var best *Item
	bestDue := 0.0
	for i := range items {
		it := &items[i]
		if it.Times < 2 || it.Qty <= 0 {
			continue
		}
		interval := it.Last.Sub(it.First).Hours() / float64(it.Times-1)
		if interval <= 0 {
			continue
		}
		due := now.Sub(it.Last).Hours() / interval
		if due >= 1 && (best == nil || due > bestDue || (due == bestDue && it.ProductID < best.ProductID)) {
			best, bestDue = it, due
		}
	}
	if best == nil {
		for i := range items {
			it := &items[i]
			if it.Qty <= 0 {
				continue
			}
			if best == nil || it.Times > best.Times || (it.Times == best.Times && it.Amount > best.Amount) {
				best = it
			}
		}
	}
	if best == nil {
		return nil
	}
	out := *best
	return &out
}
