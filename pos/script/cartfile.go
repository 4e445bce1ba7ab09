package script

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/money"
)

// CartFile is the JSON cart `posctl price` reads:
//
//	{"lines": [{"barcode": "4006381333931", "qty": "2", "discount": "10%"},
//	           {"item": "10042", "price": "3.50"}],
//	 "discount": "5%",
//	 "coupons": ["WELCOME5"]}
type CartFile struct {
	Lines    []CartLine `json:"lines"`
	Discount string     `json:"discount,omitempty"` // total discount: "5%" or "2.00"
	Coupons  []string   `json:"coupons,omitempty"`  // coupon codes or coupon barcodes (op 643)
}

// CartLine is one line of a cart file. Give a barcode or an item (product ID).
type CartLine struct {
	Barcode  string `json:"barcode,omitempty"`
	Item     string `json:"item,omitempty"`
	Qty      string `json:"qty,omitempty"`      // "2", "0.250"; default one unit
	Price    string `json:"price,omitempty"`    // keyed-in or overriding price
	Discount string `json:"discount,omitempty"` // line discount: "10%" or "1.00"
	Return   bool   `json:"return,omitempty"`   // a return line without receipt
}

// MaxCartLines bounds a cart file.
const MaxCartLines = 10000

// DecodeCart reads a cart file into the operations that build it.
func DecodeCart(r io.Reader, digits int) ([]pos.Operation, error) {
	dec := json.NewDecoder(io.LimitReader(r, 16<<20))
	dec.DisallowUnknownFields()
	var f CartFile
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("reading the cart file: %w", err)
	}
	if len(f.Lines) > MaxCartLines {
		return nil, fmt.Errorf("the cart has %d lines; at most %d are allowed", len(f.Lines), MaxCartLines)
	}
	p := parser{digits: digits}
	var ops []pos.Operation
	for i, l := range f.Lines {
		n := i + 1
		if (l.Barcode == "") == (l.Item == "") {
			return nil, fmt.Errorf("line %d: give either a barcode or an item", n)
		}
		var op pos.ProductSale
		op.Barcode, op.ProductID = strings.TrimSpace(l.Barcode), strings.TrimSpace(l.Item)
		if l.Qty != "" {
			q, err := qty(l.Qty)
			if err != nil {
				return nil, fmt.Errorf("line %d: %w", n, err)
			}
			op.Qty = q
		}
		var price money.Amount
		if l.Price != "" {
			a, err := p.amount(l.Price)
			if err != nil {
				return nil, fmt.Errorf("line %d: price: %w", n, err)
			}
			if a < 0 {
				return nil, fmt.Errorf("line %d: a price cannot be negative", n)
			}
			price = a
		}
		if l.Return {
			ops = append(ops, pos.ReturnProduct{Barcode: op.Barcode, ProductID: op.ProductID, Qty: op.Qty, Price: price})
		} else {
			op.Price = price
			ops = append(ops, op)
		}
		if l.Discount != "" {
			pct, amt, err := p.percentOrAmount(l.Discount)
			if err != nil {
				return nil, fmt.Errorf("line %d: discount: %w", n, err)
			}
			if amt < 0 {
				return nil, fmt.Errorf("line %d: a discount cannot be negative", n)
			}
			ops = append(ops, pos.LineDiscount{Line: n, Percent: pct, Amount: amt})
		}
	}
	if len(f.Coupons) > MaxCartLines {
		return nil, fmt.Errorf("the cart has %d coupons; at most %d are allowed", len(f.Coupons), MaxCartLines)
	}
	for i, code := range f.Coupons {
		if strings.TrimSpace(code) == "" {
			return nil, fmt.Errorf("coupon %d is empty", i+1)
		}
		ops = append(ops, pos.AddCoupon{Code: strings.TrimSpace(code)})
	}
	if f.Discount != "" {
		pct, amt, err := p.percentOrAmount(f.Discount)
		if err != nil {
			return nil, fmt.Errorf("total discount: %w", err)
		}
		if amt < 0 {
			return nil, fmt.Errorf("a total discount cannot be negative")
		}
		ops = append(ops, pos.TotalDiscount{Percent: pct, Amount: amt})
	}
	return ops, nil
}
