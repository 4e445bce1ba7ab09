package escpos

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/peripherals/internal/fixtures"
)

// TestHostileNamesPrintAsItems: goods named like the total label, like the
// barcode's text, like a rule, with emoji, 200 characters long or in
// Hebrew print as item lines — never bold or large, never as a barcode —
// in every language; only the total row is emphasised and only the
// receipt number is a barcode.
func TestHostileNamesPrintAsItems(t *testing.T) {
	for _, lang := range fixtures.Languages {
		t.Run(lang, func(t *testing.T) {
			r := fixtures.Hostile(lang)
			l := DefaultLayout()
			got, _ := Receipt(r, l)
			listing := Disassemble(got, DefaultCodePage)
			assert.Equal(t, 1, strings.Count(listing, "[CODE128 "), "one barcode: the receipt number's")
			assert.Contains(t, listing, "[CODE128 {BS001-T01-000666]")
			total := r.Labels().Total
			var emphasised []string
			for _, line := range strings.Split(listing, "\n") {
				if strings.Contains(line, "[SIZE 1x2]") || strings.Contains(line, "[BOLD ON]") {
					emphasised = append(emphasised, line)
				}
			}
			require.Len(t, emphasised, 3, "the store name, the title and the total row:\n%s", strings.Join(emphasised, "\n"))
			assert.True(t, strings.HasPrefix(strings.TrimPrefix(emphasised[2], "[BOLD OFF][SIZE 1x1]"), "[BOLD ON][SIZE 1x2]"+total+" "), emphasised[2])
			assert.NotContains(t, emphasised[2], "SALE")
			for _, line := range strings.Split(listing, "\n") {
				if strings.Contains(line, total+" SALE") {
					assert.NotContains(t, line, "[", "the item named like the total prints plain: %q", line)
				}
			}
			assert.Contains(t, listing, "*S001-T01-000666*", "the item named like a barcode's text prints as text")
			assert.Contains(t, listing, "Birthday cake ??", "emoji the code page lacks print visibly as ?")
			assert.Equal(t, 6, strings.Count(listing, "Extraordinarily"), "the 200-character name is wrapped, not cut")
		})
	}
}
