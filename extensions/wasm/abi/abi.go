// Package abi is the contract between the till and a WebAssembly extension
// (docs/extensions.md, "The ABI"): JSON documents passed through the
// module's linear memory. The host and the Go guest SDK share these types;
// a module in another language reads and writes the same JSON.
//
// The module exports
//
//	ot_alloc(size u32) -> ptr u32        a buffer of size bytes the host writes a request into
//	ot_call(size u32) -> u64             handle the request in that buffer; the result is
//	                                     (ptr << 32) | len of the response JSON in the module's memory
//
// and imports nothing but WASI preview 1 (no files are mounted, there are no
// sockets, the clock is the till's) and, if it likes, the till's
//
//	opentill.ot_cart(ptr u32, cap u32) -> i32   the open transaction (capability read_cart)
//
// which writes the Cart's JSON to ptr when it fits in cap bytes and returns
// its length either way (call again with a buffer that large), or -1 when
// no transaction is open. The cart is never in the request: a call pays
// for it only when it reads it. Memory the module may grow to and the time
// each call may take are set by its manifest.
//
// The types are read and written by this package's own reflection-free
// codec (json.go, codec.go), which keeps a Go guest module small.
package abi

import "github.com/opentill/opentill/pos/prompt"

// Version is the ABI version a manifest names ("abi": 1).
const Version = 1

// The till's own imports (module "opentill").
const (
	HostModule = "opentill"
	CartImport = "ot_cart"
)

// Phases of a call.
const (
	Pre     = "pre"     // before an operation: may refuse it or ask the operator
	Post    = "post"    // after an operation: may ask for operations
	Receipt = "receipt" // a completed transaction's receipt: may add lines
)

// Op is an operation: its ID and its request's fields as JSON, by their Go
// names ({"Barcode": "4000000000181"}; amounts and quantities are integers:
// minor units, and thousandths of the unit).
type Op struct {
	ID   int `json:"id"`
	Args Raw `json:"args,omitempty"`
}

// Line is a transaction line.
type Line struct {
	No        int    `json:"no"`
	ProductID string `json:"product_id"`
	Name      string `json:"name"`
	Category  string `json:"category,omitempty"`
	Qty       int64  `json:"qty"` // thousandths; negative on a return
	UnitPrice int64  `json:"unit_price"`
	Net       int64  `json:"net"`
	Voided    bool   `json:"voided,omitempty"`
}

// Cart is the transaction (capability read_cart).
type Cart struct {
	ID       string `json:"id"`
	Currency string `json:"currency"`
	Lines    []Line `json:"lines"`
	Total    int64  `json:"total"`
	Status   string `json:"status"`
	Customer string `json:"customer,omitempty"` // with read_customer
}

// Product is the product a sale or a return names (read_cart).
type Product struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Category string `json:"category"`
	Price    int64  `json:"price"`
}

// Customer is the customer on the transaction (read_customer).
type Customer struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
}

// Operator is who is signed in.
type Operator struct {
	ID       string `json:"id"`
	Role     string `json:"role"`
	Language string `json:"language,omitempty"`
}

// View is what the module may read; fields its manifest does not grant are
// left out.
type View struct {
	Store    string    `json:"store"`
	Terminal string    `json:"terminal"`
	Language string    `json:"language,omitempty"` // the store's
	Operator *Operator `json:"operator,omitempty"`
	Customer *Customer `json:"customer,omitempty"`
	// Cart is not sent: a module reads it with opentill.ot_cart (the Go
	// SDK's guest.Cart). Unit tests on the host set it for guest.Cart.
	Cart    *Cart             `json:"-"`
	Product *Product          `json:"product,omitempty"`
	Answers map[string]string `json:"answers,omitempty"` // the operator's answers to the module's question
}

// Request is what the host sends.
type Request struct {
	Phase  string `json:"phase"`
	Op     *Op    `json:"op,omitempty"`
	View   View   `json:"view"`
	Line   *Line  `json:"line,omitempty"`  // post: the line the operation added or changed
	Error  string `json:"error,omitempty"` // post: the operation's error
	Done   *Cart  `json:"done,omitempty"`  // receipt: the completed transaction
	Config Raw    `json:"config,omitempty"`
}

// Verdicts of a pre call.
const (
	Go     = ""       // let the operation run
	Refuse = "refuse" // cancel it with Message
	Ask    = "ask"    // ask the operator Panel first (capability prompt)
)

// ReceiptLines are lines for a receipt (capability receipt_field).
type ReceiptLines struct {
	Header []string         `json:"header,omitempty"`
	Lines  map[int][]string `json:"lines,omitempty"`
	Footer []string         `json:"footer,omitempty"`
}

// Response is what the module answers.
type Response struct {
	Verdict string        `json:"verdict,omitempty"`
	Message prompt.Text   `json:"message,omitempty"`
	Panel   *prompt.Panel `json:"panel,omitempty"`
	// Ops run after the operation, as the operator (post; add_line allows
	// product sales and returns).
	Ops     []Op          `json:"ops,omitempty"`
	Receipt *ReceiptLines `json:"receipt,omitempty"`
	// Error reports that the module failed: it is switched off.
	Error string `json:"error,omitempty"`
}
