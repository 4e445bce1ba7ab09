package receipt

// A Document is a receipt or a shift report as a list of typed blocks, in
// the order a layout (Layout) puts them, with every amount, number and date
// already formatted for the store's locale and every word in the receipt's
// language. Renderers — text (Document.Text), ESC/POS (peripherals/escpos),
// PNG (peripherals/virtual) — draw the blocks; none of them reads another's
// output or looks at the words to decide how to print them: emphasis is
// data (Style), and an item named "TOTAL" is an Item like any other.
type Document struct {
	Type   Type    // which layout made it
	Blocks []Block // in print order
}

// Block is one part of a document: *Heading (header, title, footer, free
// text), *Fields, *Items, *Totals, *TaxTable, *Tenders, *Barcode, *QR,
// *Logo, *Rule or *Space. The set is closed: renderers switch on it.
type Block interface{ block() }

// Align is the horizontal alignment of text.
type Align uint8

// Alignments.
const (
	Left Align = iota
	Center
	Right
)

// Size is the character size of text: Tall is double height (the columns
// stay), Wide and Double are double width (half the columns).
type Size uint8

// Sizes.
const (
	Normal Size = iota
	Tall
	Wide
	Double
)

// Style is how text is emphasised.
type Style struct {
	Align Align
	Size  Size
	Bold  bool
}

// Columns is how many characters of this size fit on a line of width
// normal characters.
func (s Style) Columns(width int) int {
	if s.Size == Wide || s.Size == Double {
		return width / 2
	}
	return width
}

// Heading is a block of lines of text of one style: the store's identity,
// the receipt's title, a copy banner, the footer, free text.
type Heading struct {
	Role  Role // what the lines are (for renderers that treat a role specially, e.g. a PNG preview); never read to style them
	Lines []string
	Style Style
}

// Role says what a text block holds.
type Role uint8

// Roles of a Heading.
const (
	RoleText   Role = iota // free text
	RoleHeader             // the store's identity
	RoleTitle              // the receipt's title or copy banner
	RoleFooter             // the footer lines
	RoleNote               // a note (tax note, gift note, comment)
)

// Field is a caption and its value on one line (the value right-aligned),
// or a value alone when Label is empty.
type Field struct {
	Label string
	Value string
	Style Style
}

// Fields is a block of caption–value rows: the receipt number, the date,
// the operator; a shift report's counts.
type Fields struct {
	Rows []Field
}

// Item is one transaction line as printed. Qty, Unit and UnitPrice are
// printed as a detail line ("2 x 1,19 €") when the line is not one unit of a
// counted product; HidePrices (a gift receipt) leaves out every amount.
type Item struct {
	Name       string
	ItemID     string // printed when the layout asks for ITEMID
	Qty        string // formatted, "" when the layout hides it
	Unit       string // unit of measure shown after the quantity ("kg"); "" for each
	UnitPrice  string
	Amount     string
	ShowDetail bool // print the quantity and unit price line
	HidePrices bool
	Discounts  []Field  // promotions by name, then the manual discount
	Notes      []string // price overridden, return of, comment
}

// Items is the block of transaction lines.
type Items struct {
	Lines []Item
}

// Totals is a block of amount rows (subtotal, discounts, tax, total,
// change, savings); a row's Style carries its emphasis.
type Totals struct {
	Rows []Field
}

// TaxRowText is one row of the tax table, formatted.
type TaxRowText struct {
	Name, Rate, Net, Tax, Gross string
}

// TaxTable is the tax per rate: net, tax and gross, with a total row, as
// a German or French daily closing needs it.
type TaxTable struct {
	Head  TaxRowText   // the column headings
	Rows  []TaxRowText // one per tax code
	Total TaxRowText   // the sums
}

// TenderLine is one payment: its name and amount and lines under it (card,
// authorisation code).
type TenderLine struct {
	Name    string
	Amount  string
	Details []string
}

// Tenders is the block of payments.
type Tenders struct {
	Lines []TenderLine
}

// Barcode is a one-dimensional barcode of Data (the receipt number);
// printers choose the symbology their profile names, text prints Data.
type Barcode struct {
	Data string
}

// QR is a QR code of Data (the receipt number, a signature).
type QR struct {
	Data string
}

// Logo is the store's logo, which the printer's profile holds.
type Logo struct{}

// Rule is a horizontal line across the paper.
type Rule struct{}

// Space is an empty line.
type Space struct{}

func (*Heading) block()  {}
func (*Fields) block()   {}
func (*Items) block()    {}
func (*Totals) block()   {}
func (*TaxTable) block() {}
func (*Tenders) block()  {}
func (*Barcode) block()  {}
func (*QR) block()       {}
func (*Logo) block()     {}
func (*Rule) block()     {}
func (*Space) block()    {}
