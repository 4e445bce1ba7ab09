package api

import "time"

// PathReports is the store's report over all its tills: GET with from and
// to (RFC 3339; to exclusive), computed from the tills' uploaded
// transactions, shift events and journals by the same rules as a till's
// own reports and its X/Z (docs/reports.md).
const PathReports = "/v1/reports"

// StoreReport is a store's figures over a period, across its tills.
// Amounts are minor units of Currency; quantities whole units.
type StoreReport struct {
	Store     string            `json:"store"`
	From      time.Time         `json:"from"`
	To        time.Time         `json:"to"`
	Currency  string            `json:"currency"`
	Total     ReportFigures     `json:"total"`
	NoShift   ReportFigures     `json:"no_shift"` // outside any shift: on no Z
	Registers []ReportRow       `json:"registers"`
	Operators []ReportRow       `json:"operators"`
	Days      []ReportDay       `json:"days"`
	Tenders   []ReportTender    `json:"tenders"`
	Taxes     []ReportTax       `json:"taxes"`
	OverShort []ReportOverShort `json:"over_short"`
	// Hours are the figures by the hour of the store's day the
	// transactions finished in (24, from midnight).
	Hours      []ReportFigures   `json:"hours"`
	Categories []ReportLines     `json:"categories"`
	Products   []ReportLines     `json:"products"` // every product sold or returned
	Promotions []ReportPromotion `json:"promotions"`
	Exceptions []ReportException `json:"exceptions"` // in time order
	Terminals  []string          `json:"terminals"`  // the tills with entries in the period
	Voids      int               `json:"voids"`
	VoidTotal  int64             `json:"void_total"`
	LineVoids  int               `json:"line_voids"`
	NoSales    int               `json:"no_sales"`
	Suspended  int               `json:"suspended"`
	Income     int64             `json:"income"`
	Expense    int64             `json:"expense"`
	Entries    int               `json:"entries"` // journal entries read
}

// ReportLines are one category's or product's lines. Quantities are
// thousandths of the unit; Decimals the unit's decimals.
type ReportLines struct {
	ID       string `json:"id"`
	Name     string `json:"name,omitempty"`
	Category string `json:"category,omitempty"`
	Lines    int    `json:"lines"`
	Sold     int64  `json:"sold"`
	Returned int64  `json:"returned"`
	Decimals int    `json:"decimals"`
	Sales    int64  `json:"sales"`
	Returns  int64  `json:"returns"`
	Tax      int64  `json:"tax"`
	Discount int64  `json:"discount"`
}

// ReportPromotion is what one automatic discount gave away.
type ReportPromotion struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	Kind         string `json:"kind"`
	Coupon       string `json:"coupon,omitempty"`
	Lines        int    `json:"lines"`
	Transactions int    `json:"transactions"`
	Amount       int64  `json:"amount"`
}

// ReportException is one event of the loss-prevention report: a return, a
// void, a no-sale, a price override, a manual discount, a manager's
// approval or a failed one (docs/reports.md lists the kinds).
type ReportException struct {
	Kind       string    `json:"kind"`
	Time       time.Time `json:"time"`
	Seq        int64     `json:"seq"` // the store's order
	Terminal   string    `json:"terminal,omitempty"`
	Receipt    string    `json:"receipt,omitempty"`
	Operator   string    `json:"operator"`
	Authorised string    `json:"authorised,omitempty"`
	Approved   bool      `json:"approved,omitempty"`
	Item       string    `json:"item,omitempty"`
	Amount     int64     `json:"amount,omitempty"`
	Detail     string    `json:"detail,omitempty"`
	Was        int64     `json:"was,omitempty"`
	Now        int64     `json:"now,omitempty"`
	Percent    int64     `json:"percent,omitempty"`
	Off        int64     `json:"off,omitempty"`
}

// ReportFigures are the sales figures of a set of transactions, as a Z
// counts them.
type ReportFigures struct {
	Transactions int   `json:"transactions"`
	SaleCount    int   `json:"sale_count"`
	ReturnCount  int   `json:"return_count"`
	Items        int64 `json:"items"`
	Returned     int64 `json:"returned"`
	Sales        int64 `json:"sales"`
	Returns      int64 `json:"returns"`
	Net          int64 `json:"net"`
	Tax          int64 `json:"tax"`
	Discounts    int64 `json:"discounts"`
	Rounding     int64 `json:"rounding"`
}

// ReportRow is one register's or operator's figures.
type ReportRow struct {
	ID string `json:"id"`
	ReportFigures
	Voids     int   `json:"voids"`
	VoidTotal int64 `json:"void_total"`
	LineVoids int   `json:"line_voids"`
	NoSales   int   `json:"no_sales"`
	Overrides int   `json:"overrides"`
}

// ReportDay is one day's figures (the store's days).
type ReportDay struct {
	Day time.Time `json:"day"`
	ReportFigures
}

// ReportTender is one tender's payments.
type ReportTender struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Cash     bool   `json:"cash"`
	Count    int    `json:"count"`
	Tendered int64  `json:"tendered"`
	Change   int64  `json:"change"`
}

// ReportTax is one tax code's net and tax.
type ReportTax struct {
	Code  string `json:"code"`
	Name  string `json:"name"`
	Rate  int64  `json:"rate"`
	Basis int64  `json:"basis"`
	Tax   int64  `json:"tax"`
}

// ReportOverShort is one closed shift's count, from its Z report.
type ReportOverShort struct {
	Shift     string    `json:"shift"`
	Terminal  string    `json:"terminal"`
	OpenedBy  string    `json:"opened_by"`
	ClosedBy  string    `json:"closed_by,omitempty"`
	Closed    time.Time `json:"closed"`
	Expected  int64     `json:"expected"`
	Declared  int64     `json:"declared"`
	OverShort int64     `json:"over_short"`
	Approver  string    `json:"approver,omitempty"`
	Reason    string    `json:"reason,omitempty"`
}
