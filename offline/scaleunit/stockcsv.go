package scaleunit

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/pos/money"
)

// ParseStockCSV reads stock figures for `scaleunit admin stock import`:
// one product a line, product_id,on_hand[,reserved,on_order,in_transit],
// quantities in units with up to three decimals ("12", "0.750"); a first
// line starting with "product" is a header. A bad line fails the whole
// file, naming the line, so nothing is half imported.
func ParseStockCSV(r io.Reader) ([]api.StockFigure, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	cr.Comment = '#'
	var out []api.StockFigure
	seen := map[string]int{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("the stock file is not CSV: %w", err)
		}
		line, _ := cr.FieldPos(0)
		if len(out) == 0 && len(seen) == 0 && len(rec) > 0 && strings.HasPrefix(strings.ToLower(strings.TrimSpace(rec[0])), "product") {
			seen[""] = line // the header
			continue
		}
		if len(rec) < 2 || len(rec) > 5 {
			return nil, fmt.Errorf("line %d: give product_id,on_hand[,reserved,on_order,in_transit], not %d fields", line, len(rec))
		}
		f := api.StockFigure{ProductID: strings.TrimSpace(rec[0])}
		if f.ProductID == "" || !api.ValidClientID(f.ProductID) {
			return nil, fmt.Errorf("line %d: %q is not a product ID", line, rec[0])
		}
		if prev, dup := seen[f.ProductID]; dup {
			return nil, fmt.Errorf("line %d: product %s is on line %d already", line, f.ProductID, prev)
		}
		seen[f.ProductID] = line
		dst := []*int64{&f.OnHand, &f.Reserved, &f.OnOrder, &f.InTransit}
		names := []string{"on hand", "reserved", "on order", "in transit"}
		for i, v := range rec[1:] {
			if strings.TrimSpace(v) == "" && i > 0 {
				continue
			}
			q, err := money.Parse(v, 3)
			if err != nil {
				return nil, fmt.Errorf("line %d: %s %q is not a quantity (units, up to 3 decimals)", line, names[i], v)
			}
			if i > 0 && q < 0 {
				return nil, fmt.Errorf("line %d: %s cannot be negative", line, names[i])
			}
			*dst[i] = int64(q)
		}
		out = append(out, f)
	}
	return out, nil
}
