package receipt

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/opentill/opentill/assets"
)

// Type names a receipt layout: one TOML file per type in assets/receipts,
// which a store overrides with a file of the same name in its data folder's
// receipts/ directory.
type Type string

// Receipt types. A voided transaction prints with the sale layout (its
// title says it is void).
const (
	SaleReceipt   Type = "sale"
	ReturnReceipt Type = "return"
	GiftReceipt   Type = "gift"
	XReport       Type = "x"
	ZReport       Type = "z"
)

// Types lists the layouts every set has.
var Types = []Type{SaleReceipt, ReturnReceipt, GiftReceipt, XReport, ZReport}

// Layout is a receipt format as data: the blocks to print, in order, each
// with the receipt variables it shows, its alignment and its size
// (docs/receipts.md).
type Layout struct {
	Blocks []BlockSpec `toml:"block"`
}

// BlockSpec is one block of a layout.
type BlockSpec struct {
	// Type is the kind of block: see BlockTypes.
	Type string `toml:"type"`
	// Fields are the receipt variables the block shows, in order; empty
	// means the block's default fields.
	Fields []string `toml:"fields"`
	// Text is a text block's text, with receipt variables in braces
	// ("{STORENAME}"); "\n" starts a new line. A text whose variables are
	// all empty is left out.
	Text string `toml:"text"`
	// Data is the variable a barcode or QR block encodes.
	Data string `toml:"data"`
	// Align is "left", "center" or "right".
	Align string `toml:"align"`
	// Size is "normal", "tall" (double height), "wide" or "double".
	Size string `toml:"size"`
	// Bold prints the block in bold.
	Bold bool `toml:"bold"`
	// Large are fields of a totals block printed tall and bold.
	Large []string `toml:"large"`
	// Receipts limits a block of a sale layout to kinds of receipt
	// ("sale", "void"); empty means all.
	Receipts []string `toml:"receipts"`
}

// blockKinds lists, per block type, the layouts it can be used in and the
// fields it can show (its default fields when the layout names none).
var blockKinds = map[string]struct {
	shift   bool // usable in X/Z layouts
	receipt bool // usable in receipt layouts
	fields  []string
	data    []string
}{
	"logo":   {shift: true, receipt: true},
	"rule":   {shift: true, receipt: true},
	"space":  {shift: true, receipt: true},
	"text":   {shift: true, receipt: true},
	"title":  {shift: true, receipt: true},
	"copy":   {shift: true, receipt: true},
	"header": {shift: true, receipt: true, fields: []string{"STOREADDRESS", "STOREPHONE", "STORETAXIDENTIFICATIONNUMBER", "HEADERLINES"}},
	"footer": {receipt: true},
	"fields": {receipt: true, fields: []string{"RECEIPTNUMBER", "DATETIME", "STOREID", "TERMINALID", "OPERATORNAME", "CUSTOMERACCOUNTNUMBER",
		"TRANSNO", "DATE", "TIME", "OPERATORID", "STORENAME", "LOYALTYCARDNUMBER", "LOYALTYPOINTSEARNED", "LOYALTYPOINTSREDEEMED"}},
	"lines": {receipt: true, fields: []string{"ITEMNAME", "QTY", "ITEMUNITID", "UNITPRICE", "TOTALPRICE", "PERIODICDISCOUNTNAME",
		"LINEDISCOUNTAMOUNT", "PRICEOVERRIDE", "RETURNOF", "ITEMCOMMENT", "ITEMID"}},
	"totals": {receipt: true, fields: []string{"SUBTOTAL", "SUMPERIODICDISCOUNT", "SUMLINEDISCOUNT", "SUMTOTALDISCOUNT", "TAXAMOUNT",
		"TOTALWITHTAX", "TENDERROUNDING", "AMOUNTDUE", "CHANGE", "SUMALLDISCOUNT"}},
	"tenders":   {receipt: true, fields: []string{"TENDERNAME", "TENDERAMOUNT", "CARDNUMBERPARTLYHIDDEN", "AUTHORIZATIONCODE"}},
	"taxtable":  {shift: true, receipt: true},
	"signature": {receipt: true},
	"terminal":  {receipt: true},
	"order":     {receipt: true},
	"barcode":   {receipt: true, data: []string{"RECEIPTNUMBER"}},
	"qr":        {receipt: true, data: []string{"RECEIPTNUMBER", "SIGNATUREQR"}},
	"report":    {shift: true, fields: []string{"SHIFTID", "STOREID", "TERMINALID", "OPENED", "OPENEDBY", "REPORTTIME"}},
	"shifttotals": {shift: true, fields: []string{"SALES", "RETURNS", "NETSALES", "TAX", "DISCOUNTS", "ROUNDING", "INCOMEACCOUNTS",
		"EXPENSEACCOUNTS", "ORDERDEPOSITS", "ORDERSETTLED", "ORDERREFUNDED", "ORDERCHARGES",
		"GIFTCARDSSOLD", "GIFTCARDSCASHEDOUT", "MEMOSISSUED", "ACCOUNTDEPOSITS", "OFFLINECARDS"}},
	"counts":       {shift: true, fields: []string{"SALECOUNT", "RETURNCOUNT", "CUSTOMERCOUNT", "VOIDCOUNT", "NOSALECOUNT", "SUSPENDEDCOUNT"}},
	"shifttenders": {shift: true},
	"accounts":     {shift: true},
	"byhour":       {shift: true},
	"alltenders":   {shift: true, fields: []string{"EXPECTED", "DECLARED", "OVERSHORT", "OVERSHORTAPPROVER", "OVERSHORTREASON"}},
	"journal":      {shift: true, fields: []string{"JOURNALENTRY", "SIGNATURECOUNTER"}},
}

// defaultFields are the fields a block shows when its layout names none
// (the optional ones, TRANSNO and the like, are left out).
var defaultFields = map[string][]string{
	"fields": {"RECEIPTNUMBER", "DATETIME", "STOREID", "TERMINALID", "OPERATORNAME", "CUSTOMERACCOUNTNUMBER"},
	"lines":  {"ITEMNAME", "QTY", "ITEMUNITID", "UNITPRICE", "TOTALPRICE", "PERIODICDISCOUNTNAME", "LINEDISCOUNTAMOUNT", "PRICEOVERRIDE", "RETURNOF", "ITEMCOMMENT"},
}

// textVariables are the variables a text block can hold.
var textVariables = []string{"STORENAME", "STOREADDRESS", "STOREPHONE", "STORETAXIDENTIFICATIONNUMBER", "STOREID", "TERMINALID",
	"RECEIPTNUMBER", "TRANSNO", "DATE", "TIME", "DATETIME", "OPERATORID", "OPERATORNAME", "CUSTOMERACCOUNTNUMBER",
	"LOYALTYCARDNUMBER", "LOYALTYPOINTSEARNED", "LOYALTYPOINTSREDEEMED", "TRANSACTIONCOMMENT", "TAXNOTE", "GIFTNOTE", "SHIFTID"}

// BlockTypes lists the block types a layout may use.
func BlockTypes() []string {
	out := make([]string, 0, len(blockKinds))
	for k := range blockKinds {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func (b BlockSpec) fieldList() []string {
	if len(b.Fields) > 0 {
		return b.Fields
	}
	if d, ok := defaultFields[b.Type]; ok {
		return d
	}
	return blockKinds[b.Type].fields
}

func (b BlockSpec) has(field string) bool { return slices.Contains(b.fieldList(), field) }

func (b BlockSpec) style(defaultAlign Align) Style {
	s := Style{Align: defaultAlign, Bold: b.Bold}
	switch b.Align {
	case "left":
		s.Align = Left
	case "center", "centre":
		s.Align = Center
	case "right":
		s.Align = Right
	}
	switch b.Size {
	case "tall":
		s.Size = Tall
	case "wide":
		s.Size = Wide
	case "double":
		s.Size = Double
	}
	return s
}

// ParseLayout reads a layout of type t from TOML and checks it: every key
// known, every block type usable in t, every field and variable one the
// block can show, alignments and sizes spelled right. name says where the
// layout comes from in errors.
func ParseLayout(t Type, name string, data []byte) (*Layout, error) {
	var l Layout
	md, err := toml.NewDecoder(bytes.NewReader(data)).Decode(&l)
	if err != nil {
		return nil, fmt.Errorf("receipt layout %s: %w: fix the TOML (docs/receipts.md)", name, err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		return nil, fmt.Errorf("receipt layout %s: unknown key %q: remove it or check its spelling (docs/receipts.md lists the keys)", name, und[0].String())
	}
	if len(l.Blocks) == 0 {
		return nil, fmt.Errorf("receipt layout %s has no [[block]]: add the blocks to print (docs/receipts.md)", name)
	}
	shift := t == XReport || t == ZReport
	for i, b := range l.Blocks {
		at := fmt.Sprintf("receipt layout %s, block %d (%q)", name, i+1, b.Type)
		k, ok := blockKinds[b.Type]
		if !ok {
			return nil, fmt.Errorf("%s: unknown block type: use one of %s", at, strings.Join(BlockTypes(), ", "))
		}
		if shift && !k.shift || !shift && !k.receipt {
			return nil, fmt.Errorf("%s: this block cannot be used in a %s layout: remove it", at, t)
		}
		for _, f := range append(append([]string(nil), b.Fields...), b.Large...) {
			if !slices.Contains(k.fields, f) {
				if len(k.fields) == 0 {
					return nil, fmt.Errorf("%s: this block takes no fields: remove fields", at)
				}
				return nil, fmt.Errorf("%s: unknown field %q: use %s", at, f, strings.Join(k.fields, ", "))
			}
		}
		if b.Data != "" && !slices.Contains(k.data, b.Data) {
			return nil, fmt.Errorf("%s: data %q cannot be encoded here: use %s", at, b.Data, strings.Join(k.data, " or "))
		}
		if b.Type == "text" {
			for _, v := range variablesIn(b.Text) {
				if !slices.Contains(textVariables, v) {
					return nil, fmt.Errorf("%s: unknown variable {%s}: use %s", at, v, strings.Join(textVariables, ", "))
				}
			}
		}
		if !slices.Contains([]string{"", "left", "center", "centre", "right"}, b.Align) {
			return nil, fmt.Errorf("%s: align %q: use left, center or right", at, b.Align)
		}
		if !slices.Contains([]string{"", "normal", "tall", "wide", "double"}, b.Size) {
			return nil, fmt.Errorf("%s: size %q: use normal, tall, wide or double", at, b.Size)
		}
		for _, r := range b.Receipts {
			if !slices.Contains([]string{"sale", "void", "return", "gift"}, r) {
				return nil, fmt.Errorf("%s: receipts %q: use sale, void, return or gift", at, r)
			}
		}
	}
	return &l, nil
}

// variablesIn lists the {VARIABLE}s of a text.
func variablesIn(s string) []string {
	var out []string
	for {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			return out
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			return out
		}
		out = append(out, s[i+1:i+j])
		s = s[i+j+1:]
	}
}

// Layouts is a set of layouts, one per Type.
type Layouts struct {
	byType map[Type]*Layout
	from   map[Type]string // where each came from, for messages
}

// Layout returns the layout of a type.
func (s *Layouts) Layout(t Type) *Layout {
	if s == nil {
		return DefaultLayouts().byType[t]
	}
	if l, ok := s.byType[t]; ok {
		return l
	}
	return DefaultLayouts().byType[t]
}

// Source says where the layout of a type was read from.
func (s *Layouts) Source(t Type) string { return s.from[t] }

// defaults are the shipped layouts, read when the package loads. They are
// checked by the tests; one that does not parse is a build defect, and the
// package panics on it.
var defaults = mustDefaults()

func mustDefaults() *Layouts {
	s, err := readLayouts(assets.Receipts, "receipts", "assets/receipts/", nil)
	if err != nil {
		panic(err)
	}
	return s
}

// DefaultLayouts returns the layouts shipped in assets/receipts.
func DefaultLayouts() *Layouts { return defaults }

// LoadLayouts returns the shipped layouts with those of dir (a data
// folder's receipts/ directory) in their place: dir/sale.toml replaces the
// sale layout, and so on. A missing dir is no error. A layout in dir that
// does not parse is, with what to fix, so that a store never prints a
// format other than the one it set up without being told.
func LoadLayouts(dir string) (*Layouts, error) {
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		return DefaultLayouts(), nil
	}
	return readLayouts(os.DirFS(dir), ".", filepath.Join(dir, ""), DefaultLayouts())
}

// WithStore returns the layouts with the store's own (from the store
// server, by receipt type) in place of the shipped ones; a layout of the
// till's data folder stays, as the till's own override. A store layout
// that does not parse is an error naming it.
func (s *Layouts) WithStore(store map[string][]byte) (*Layouts, error) {
	out := &Layouts{byType: maps.Clone(s.byType), from: maps.Clone(s.from)}
	for name, data := range store {
		t := Type(name)
		if !slices.Contains(Types, t) {
			return nil, fmt.Errorf("receipt layout %q from the store server: no receipt type of that name", name)
		}
		if s.from[t] != DefaultLayouts().from[t] {
			continue // the till's own file wins
		}
		l, err := ParseLayout(t, "the store server's "+name+" layout", data)
		if err != nil {
			return nil, err
		}
		out.byType[t], out.from[t] = l, "store server"
	}
	return out, nil
}

func readLayouts(fsys fs.FS, dir, shown string, base *Layouts) (*Layouts, error) {
	s := &Layouts{byType: map[Type]*Layout{}, from: map[Type]string{}}
	files, err := fs.Glob(fsys, path.Join(dir, "*.toml"))
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		if !slices.Contains(Types, Type(strings.TrimSuffix(path.Base(f), ".toml"))) {
			return nil, fmt.Errorf("receipt layout %s: no receipt type of that name: name the file sale.toml, return.toml, gift.toml, x.toml or z.toml", filepath.Join(shown, path.Base(f)))
		}
	}
	for _, t := range Types {
		name := string(t) + ".toml"
		data, err := fs.ReadFile(fsys, path.Join(dir, name))
		if errors.Is(err, fs.ErrNotExist) && base != nil {
			s.byType[t], s.from[t] = base.byType[t], base.from[t]
			continue
		}
		where := filepath.Join(shown, name)
		if base == nil {
			where = shown + name
		}
		if err != nil {
			return nil, fmt.Errorf("receipt layout %s: %w", where, err)
		}
		l, err := ParseLayout(t, where, data)
		if err != nil {
			return nil, err
		}
		s.byType[t], s.from[t] = l, where
	}
	return s, nil
}
