package loyalty

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/opentill/opentill/pos/money"
)

var demo = Programme{Name: "Club", PointsPerUnit: 1, CategoryBP: map[string]int64{"Wine": 20000},
	Tiers:      []Tier{{Name: "Silver", MinPoints: 0, EarnBP: 10000}, {Name: "Gold", MinPoints: 1000, EarnBP: 15000}},
	PointValue: 1, OfflineCap: 2000}

func TestEarn(t *testing.T) {
	silver, _ := demo.TierOf(10)
	gold, _ := demo.TierOf(1500)
	tests := []struct {
		name        string
		lines       []Line
		total, paid money.Amount
		tier        Tier
		want        int64
	}{
		{"a point a euro, rounded down", []Line{{"Dairy", 1299}}, 1299, 0, silver, 12},
		{"double points on wine", []Line{{"Dairy", 1000}, {"Wine", 899}}, 1899, 0, silver, 10 + 17},
		{"gold earns half again", []Line{{"Dairy", 2000}}, 2000, 0, gold, 30},
		{"the part paid with points earns nothing", []Line{{"Dairy", 2000}}, 2000, 500, silver, 15},
		{"a return takes points back", []Line{{"Dairy", -1299}}, -1299, 0, silver, -12},
		{"nothing spent", nil, 0, 0, silver, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, demo.Earn(tc.lines, tc.total, tc.paid, 100, tc.tier))
		})
	}
	assert.Equal(t, "Gold", gold.Name)
}

func TestRedeemable(t *testing.T) {
	tests := []struct {
		name string
		b    Balance
		want int64
	}{
		{"the balance, within the cap", Balance{Known: 500, Pending: 40}, 540},
		{"capped while unconfirmed", Balance{Known: 5000, Unconfirmed: 1500, Pending: -1500}, 500},
		{"never below zero", Balance{Known: 100, Pending: -300}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { assert.Equal(t, tc.want, demo.Redeemable(tc.b)) })
	}
	n, worth := demo.PointsFor(1234)
	assert.Equal(t, int64(1234), n)
	assert.Equal(t, money.Amount(1234), worth)
	p := demo
	p.PointValue = 5
	n, worth = p.PointsFor(1234)
	assert.Equal(t, int64(247), n, "a part of a point is a whole point")
	assert.Equal(t, money.Amount(1235), worth)
}
