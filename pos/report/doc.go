package report

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/opentill/opentill/pos/money"
)

// Kind is how a value is shown.
type Kind uint8

// Value kinds.
const (
	KText        Kind = iota // S as it is (a name, a receipt number)
	KKey                     // S is a message key, translated when drawn
	KMoney                   // N minor units of the report's currency
	KInt                     // N
	KQty                     // N thousandths, shown with Digits decimals
	KPercent                 // N basis points (1250 = 12.5 %)
	KTime                    // T, in the store's zone
	KDate                    // T's day
	KHour                    // N is an hour of the day (0–23)
	KRate                    // N is a tax rate as tax.Code.Rate (190000 = 19 %)
	KCents                   // N hundredths of a count (250 = 2.5)
	KNone                    // nothing to show (a change against zero)
	KMoneyChange             // N to To minor units (a price overridden from N to To)
)

// Value is one cell, figure or chart label.
type Value struct {
	Kind   Kind
	S      string
	N      int64
	T      time.Time
	Digits int
	To     int64 // KMoneyChange: the new amount
}

// Value constructors.
func Text(s string) Value           { return Value{Kind: KText, S: s} }
func Key(k string) Value            { return Value{Kind: KKey, S: k} }
func Money(a money.Amount) Value    { return Value{Kind: KMoney, N: int64(a)} }
func Int(n int64) Value             { return Value{Kind: KInt, N: n} }
func Qty(q int64, digits int) Value { return Value{Kind: KQty, N: q, Digits: digits} }
func Percent(bp int64) Value        { return Value{Kind: KPercent, N: bp} }
func Time(t time.Time) Value        { return Value{Kind: KTime, T: t} }
func Date(t time.Time) Value        { return Value{Kind: KDate, T: t} }
func Hour(h int) Value              { return Value{Kind: KHour, N: int64(h)} }
func Rate(r int64) Value            { return Value{Kind: KRate, N: r} }
func Cents(n int64) Value           { return Value{Kind: KCents, N: n} }
func None() Value                   { return Value{Kind: KNone} }
func MoneyChange(from, to money.Amount) Value {
	return Value{Kind: KMoneyChange, N: int64(from), To: int64(to)}
}
func (v Value) IsNumber() bool {
	return v.Kind >= KMoney && v.Kind <= KPercent || v.Kind == KRate || v.Kind == KCents
}
func (v Value) Amount() money.Amount { return money.Amount(v.N) }
func change(cur, prev int64) Value   { return changeOf(cur, prev) }

// changeOf is the change from prev to cur in basis points of |prev|;
// nothing against zero.
func changeOf(cur, prev int64) Value {
	if prev == 0 {
		return None()
	}
	if prev < 0 {
		prev = -prev
		return Percent(money.Div((cur+prev)*10000, prev, money.HalfUp))
	}
	return Percent(money.Div((cur-prev)*10000, prev, money.HalfUp))
}

// MarshalJSON writes numbers as numbers (amounts in minor units), texts and
// keys as strings and times in RFC 3339.
func (v Value) MarshalJSON() ([]byte, error) {
	switch v.Kind {
	case KText, KKey:
		return json.Marshal(v.S)
	case KTime, KDate:
		return json.Marshal(v.T)
	case KNone:
		return []byte("null"), nil
	case KMoneyChange:
		return json.Marshal([2]int64{v.N, v.To})
	}
	return json.Marshal(v.N)
}

// Column is a table column: its header's message key and its values' kind.
type Column struct {
	Key  string `json:"key"`
	Kind Kind   `json:"-"`
}

// Table is a titled table with an optional total row.
type Table struct {
	Title   string    `json:"title"` // message key
	Columns []Column  `json:"columns"`
	Rows    [][]Value `json:"rows"`
	Total   []Value   `json:"total,omitempty"`
}

// ChartKind is how a chart is drawn.
type ChartKind string

// Chart kinds.
const (
	Bars  ChartKind = "bars"  // one bar per point (and the period before, thinner)
	Line  ChartKind = "line"  // the points joined (and the period before, dashed)
	Donut ChartKind = "donut" // shares of the whole
)

// Point is one bar, line point or donut slice.
type Point struct {
	Label   Value `json:"label"`
	Value   int64 `json:"value"`
	Prev    int64 `json:"prev,omitempty"`
	HasPrev bool  `json:"has_prev,omitempty"`
}

// Chart is a chart of a report.
type Chart struct {
	Kind   ChartKind `json:"kind"`
	Title  string    `json:"title"` // message key
	Money  bool      `json:"money"` // values are amounts (else counts)
	Points []Point   `json:"points"`
}

// Max is the largest absolute value of the chart (previous period included).
func (c Chart) Max() int64 {
	var m int64
	for _, p := range c.Points {
		for _, v := range []int64{p.Value, p.Prev} {
			if v < 0 {
				v = -v
			}
			if v > m {
				m = v
			}
		}
	}
	return m
}

// Figure is one headline number, with the period before.
type Figure struct {
	Key    string `json:"key"` // message key
	Value  Value  `json:"value"`
	Prev   *Value `json:"prev,omitempty"`
	Change Value  `json:"change"`
}

// Doc is one report ready to draw: headline figures, charts and tables.
// Every label is a message key or data; renderers translate and format.
type Doc struct {
	Name      Name           `json:"name"`
	Title     string         `json:"title"` // message key
	Store     string         `json:"store"`
	StoreName string         `json:"store_name"`
	Terminals []string       `json:"terminals"`
	Period    Period         `json:"period"`
	Prev      *Period        `json:"prev,omitempty"`
	Currency  money.Currency `json:"currency"`
	Made      time.Time      `json:"made"`
	Figures   []Figure       `json:"figures,omitempty"`
	Charts    []Chart        `json:"charts,omitempty"`
	Tables    []Table        `json:"tables"`
	// Notes are message keys of remarks (e.g. sales outside any shift).
	Notes []string `json:"notes,omitempty"`
}

// Name names a report.
type Name string

// The reports.
const (
	Summary    Name = "summary"
	Hourly     Name = "hourly"
	Daily      Name = "daily"
	Categories Name = "categories"
	Operators  Name = "operators"
	Registers  Name = "registers"
	Tenders    Name = "tenders"
	Taxes      Name = "tax"
	Products   Name = "products"
	Exceptions Name = "exceptions"
	Promotions Name = "promotions"
	Baskets    Name = "baskets"
	OverShorts Name = "overshort"
)

// Names lists every report in menu order.
var Names = []Name{Summary, Hourly, Daily, Categories, Operators, Registers, Tenders, Taxes, Products,
	Exceptions, Promotions, Baskets, OverShorts}

// ParseName reads a report name.
func ParseName(s string) (Name, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, n := range Names {
		if string(n) == s {
			return n, nil
		}
	}
	var all []string
	for _, n := range Names {
		all = append(all, string(n))
	}
	return "", fmt.Errorf("no report %q: the reports are %s", s, strings.Join(all, ", "))
}

// TitleKey is the message key of a report's title.
func (n Name) TitleKey() string { return "report.name." + string(n) }
