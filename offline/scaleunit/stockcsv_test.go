package scaleunit

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/api"
)

func TestParseStockCSV(t *testing.T) {
	tests := []struct {
		name, in string
		want     []api.StockFigure
		err      string
	}{
		{"header and figures", "product_id,on_hand,reserved\n10000,12,1\n10001,0.75\n",
			[]api.StockFigure{{ProductID: "10000", OnHand: 12000, Reserved: 1000}, {ProductID: "10001", OnHand: 750}}, ""},
		{"negative on hand is a figure", "10000,-2\n", []api.StockFigure{{ProductID: "10000", OnHand: -2000}}, ""},
		{"all four", "10000,1,2,3,4\n", []api.StockFigure{{ProductID: "10000", OnHand: 1000, Reserved: 2000, OnOrder: 3000, InTransit: 4000}}, ""},
		{"bad quantity", "10000,abc\n", nil, "line 1: on hand"},
		{"too many decimals", "10000,1.2345\n", nil, "line 1"},
		{"negative reserved", "10000,1,-1\n", nil, "reserved cannot be negative"},
		{"duplicate", "10000,1\n10000,2\n", nil, "line 2: product 10000 is on line 1"},
		{"one field", "10000\n", nil, "line 1: give"},
		{"empty", "", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseStockCSV(strings.NewReader(tt.in))
			if tt.err != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func FuzzParseStockCSV(f *testing.F) {
	for _, s := range []string{"product_id,on_hand\n10000,12\n", "a,1,2,3,4\n", "x,\"1\"\n", "#c\nb,-0.5\n", "000\"00000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		figs, err := ParseStockCSV(strings.NewReader(s))
		if err != nil {
			return
		}
		seen := map[string]bool{}
		for _, fg := range figs {
			if fg.ProductID == "" || seen[fg.ProductID] || fg.Reserved < 0 || fg.OnOrder < 0 || fg.InTransit < 0 {
				t.Fatalf("accepted a bad figure %+v from %q", fg, s)
			}
			seen[fg.ProductID] = true
		}
	})
}
