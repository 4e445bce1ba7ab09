// Package loyalty holds the store's loyalty programme: tiers, earning
// rules and the value of a point, and a card's balance as a till knows it
// offline — the store server's last figure plus this till's own movements
// the server has not counted yet.
//
// Points are whole numbers. Earning is computed when a sale completes and
// booked in the sale's own commit (cart.Loyalty); the store server keeps
// the ledger of every till's movements, exactly once by transaction ID.
package loyalty

import (
	"sort"
	"time"

	"github.com/opentill/opentill/pos/money"
)

// Programme is a loyalty programme.
type Programme struct {
	Name string `json:"name" toml:"name"`
	// PointsPerUnit are the points earned per major unit of the currency
	// spent (1 = a point a euro).
	PointsPerUnit int64 `json:"points_per_unit" toml:"points_per_unit"`
	// CategoryBP multiplies the points of a category's lines, in basis
	// points (20000 = double points); categories not listed earn ×1.
	CategoryBP map[string]int64 `json:"category_bp,omitempty" toml:"category_bp"`
	// Tiers by the points earned in the last twelve months, lowest first.
	Tiers []Tier `json:"tiers,omitempty" toml:"tiers"`
	// PointValue is what a point is worth when redeemed, in minor units
	// (1 = 100 points pay 1.00).
	PointValue money.Amount `json:"point_value" toml:"point_value"`
	// OfflineCap bounds the points a card may redeem at this till that the
	// store server has not confirmed yet (0 = none may be redeemed
	// unconfirmed): the risk a store takes while the network is down.
	OfflineCap int64 `json:"offline_cap" toml:"offline_cap"`
}

// Tier is a level of the programme.
type Tier struct {
	Name      string `json:"name" toml:"name"`
	MinPoints int64  `json:"min_points" toml:"min_points"` // earned in the last twelve months
	EarnBP    int64  `json:"earn_bp" toml:"earn_bp"`       // multiplier of everything earned, 10000 = ×1
}

// Balance is a card's points as the till knows them.
type Balance struct {
	Card string
	// Known is the store server's balance when the till last heard it
	// (AsOf; zero when never), Year the points it says were earned in the
	// last twelve months (for the tier).
	Known int64
	Year  int64
	AsOf  time.Time
	// Pending are this till's movements the server has not counted yet:
	// earned (positive) and redeemed (negative).
	Pending int64
	// Unconfirmed are the points redeemed at this till that the server
	// has not counted yet (positive): what OfflineCap bounds.
	Unconfirmed int64
}

// Points is the balance the till can count on: the server's and its own.
func (b Balance) Points() int64 { return b.Known + b.Pending }

// Redeemable is how many points the card can redeem now.
func (p Programme) Redeemable(b Balance) int64 {
	n := b.Points()
	if room := p.OfflineCap - b.Unconfirmed; room < n {
		n = room
	}
	return max(n, 0)
}

// TierOf is the tier of a card that earned year points in the last twelve
// months ("" when the programme has no tiers).
func (p Programme) TierOf(year int64) (Tier, bool) {
	tiers := append([]Tier(nil), p.Tiers...)
	sort.Slice(tiers, func(i, j int) bool { return tiers[i].MinPoints < tiers[j].MinPoints })
	var out Tier
	found := false
	for _, t := range tiers {
		if year >= t.MinPoints {
			out, found = t, true
		}
	}
	return out, found
}

// Line is what earning reads of a sales line.
type Line struct {
	Category string
	Net      money.Amount // what the line costs after discounts (negative for a return)
}

// Earn is the points a transaction earns: each line's net amount in major
// units times PointsPerUnit and its category's multiplier, scaled to the
// part of the total not paid with points, times the tier's multiplier,
// rounded down (a return's negative points rounded towards zero as well).
// unit is the minor units of a major unit (100 for EUR).
func (p Programme) Earn(lines []Line, total, paidWithPoints money.Amount, unit int64, tier Tier) int64 {
	if p.PointsPerUnit <= 0 || unit <= 0 || total == 0 {
		return 0
	}
	// Points × unit × 10⁴: net (minor) × points × bp; the one rounding is
	// money's, toward zero.
	var acc int64
	for _, l := range lines {
		bp := int64(10000)
		if m, ok := p.CategoryBP[l.Category]; ok {
			bp = m
		}
		acc += int64(l.Net) * p.PointsPerUnit * bp
	}
	if paidWithPoints != 0 {
		acc = money.MulDiv(acc, int64(total-paidWithPoints), int64(total), money.Down)
	}
	if tier.EarnBP > 0 {
		acc = money.MulDiv(acc, tier.EarnBP, 10000, money.Down)
	}
	return money.MulDiv(acc, 1, unit*10000, money.Down)
}

// PointsFor is how many points pay amount (rounded up: a part of a point
// is a whole point) and what they are worth.
func (p Programme) PointsFor(amount money.Amount) (int64, money.Amount) {
	if p.PointValue <= 0 || amount <= 0 {
		return 0, 0
	}
	n := (int64(amount) + int64(p.PointValue) - 1) / int64(p.PointValue)
	return n, money.Amount(n) * p.PointValue
}
