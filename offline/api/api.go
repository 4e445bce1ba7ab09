// Package api holds the request and response types of the scale-unit API
// (docs/scaleunit-api.yaml), shared by the till's sync engine
// (offline/tillsync, offline/store) and the reference server
// (offline/scaleunit). It holds no transport code and no domain type: every
// type on the wire is a struct of its own with explicit JSON keys, and
// offline/apimap maps them to the register's types and back, so a change
// to the domain never changes the JSON old tills expect. The contract's own
// checks (Page.Validate, the Check methods) stand alone; the domain's rules
// of a record are apimap's (apimap.ValidatePage, apimap.CheckCustomer …).
package api

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Version is the path prefix of this version of the API.
const Version = "/v1"

// Paths of the API, relative to the server's base URL.
const (
	PathHealth    = "/v1/health"
	PathActivate  = "/v1/activate"
	PathFeeds     = "/v1/feeds/"      // + dataset
	PathUploads   = "/v1/uploads/"    // + kind + "/" + client ID
	PathInventory = "/v1/inventory/"  // + product ID
	PathJournal   = "/v1/journal"     // GET: the head the server holds of the till's journal
	PathKey       = "/v1/journal/key" // PUT: register the journal key of a till activated before it had one
	PathCheckIn   = "/v1/checkin"     // POST: the till's build at the start of a sync pass
	PathImages    = "/v1/images/"     // + a product picture's key (Product.Image): the picture's bytes
	// PathExtensionModules + the SHA-256 (hex) of a WebAssembly module the
	// config feed names (ExtensionPackage.Module): the module's bytes.
	PathExtensionModules = "/v1/extension-modules/"
)

// HeaderIdempotencyKey carries an upload's client ID; a retry carries the same.
const HeaderIdempotencyKey = "Idempotency-Key"

// Datasets of the ordered delta feeds, pulled in this order.
const (
	DatasetConfig   = "config"   // the till's Setup: currency, tax groups, tender types, masks, receipt header
	DatasetStaff    = "staff"    // roles and operators (argon2id password hashes)
	DatasetProducts = "products" // the catalog, each product with its price
	DatasetPrices   = "prices"   // price changes of existing products
)

// Datasets lists the datasets in the order a till pulls them.
var Datasets = []string{DatasetConfig, DatasetStaff, DatasetProducts, DatasetPrices, DatasetCustomers, DatasetLoyalty, DatasetRecommendations, DatasetStock, DatasetCounts, DatasetDocs, DatasetOrders, DatasetBalances}

// Upload kinds (the outbox kinds of offline/store).
const (
	KindTransaction = "transaction" // a finished cart.Cart
	KindShiftEvent  = "shift_event" // a shift opened, closed, declared …
	KindCustomer    = "customer"    // a CustomerUpload: a customer created or edited at the till
	KindJournal     = "journal"     // a JournalBatch: consecutive journal entries, checked as they arrive
)

// Kinds lists the upload kinds the server accepts.
var Kinds = []string{KindTransaction, KindShiftEvent, KindCustomer, KindJournal, KindStockAdjustment, KindStockCount, KindStockCountPost, KindStockTransfer, KindStockDocPost, KindOrderEvent}

// Limits on what either side accepts.
const (
	MaxPageSize     = 10_000
	DefaultPageSize = 5_000
	MaxUploadBytes  = 4 << 20
	MaxReplyBytes   = 64 << 20
	MaxJournalBatch = 500 // entries per journal upload
)

var clientIDPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$`)

// ValidClientID reports whether id can be an upload's client ID (a UUID or
// another short token of letters, digits and . _ : -).
func ValidClientID(id string) bool { return clientIDPattern.MatchString(id) }

// ValidKind reports whether kind is an upload kind the API knows.
func ValidKind(kind string) bool {
	for _, k := range Kinds {
		if k == kind {
			return true
		}
	}
	return false
}

// ValidDataset reports whether ds is a dataset the API knows.
func ValidDataset(ds string) bool {
	for _, d := range Datasets {
		if d == ds {
			return true
		}
	}
	return false
}

// Error is the body of every reply that is not a success.
type Error struct {
	Code    string `json:"code"`    // machine-readable: unauthorized, till_deactivated, conflict, …
	Message string `json:"message"` // what went wrong and what to do
}

// Error codes.
const (
	CodeBadRequest     = "bad_request"
	CodeUnauthorized   = "unauthorized"
	CodeDeactivated    = "till_deactivated"
	CodeBadCode        = "bad_activation_code"
	CodeNotFound       = "not_found"
	CodeConflict       = "conflict"
	CodeTooLarge       = "too_large"
	CodeInternal       = "internal"
	CodeUnavailable    = "unavailable"
	CodeMethodNotAllow = "method_not_allowed"
	CodeJournal        = "journal_mismatch" // a journal upload that does not continue the chain the server holds (409)
	CodeKeyConflict    = "key_conflict"     // a journal key other than the registered one (409)
	CodeThrottled      = "throttled"        // too many failed activations from the address (429, Retry-After)
	CodeForbidden      = "forbidden"        // an admin call outside its token's stores, or chain-wide data with a store's token (403)
)

// ErrorReply wraps an Error.
type ErrorReply struct {
	Error Error `json:"error"`
}

// Health is the reply of GET /v1/health.
type Health struct {
	Status  string    `json:"status"`          // "ok"
	Version string    `json:"version"`         // the API: opentill-scaleunit/1
	Build   string    `json:"build,omitempty"` // the server's release: v0.2.0
	Time    time.Time `json:"time"`
}

// ClientInfo is what a till says of its build and its data folder, at
// activation and at the start of every sync pass, so that the server can
// list its tills by version (scaleunit admin tills) before an upgrade.
type ClientInfo struct {
	Version   string `json:"version"`              // the release: v0.2.0, v0.2.0-3-gc917fb6, or "dev"
	Commit    string `json:"commit,omitempty"`     // the commit it was built from
	BuildDate string `json:"build_date,omitempty"` // RFC 3339
	OS        string `json:"os"`                   // windows, linux
	Arch      string `json:"arch"`                 // amd64, arm64
	Schema    int    `json:"schema,omitempty"`     // the data folder's schema version (PRAGMA user_version)
}

// ActivateRequest activates a till with a one-time code and registers its
// journal key. Client is absent from tills older than v0.2.0.
type ActivateRequest struct {
	Code       string      `json:"code"`
	DeviceName string      `json:"device_name,omitempty"`
	PublicKey  string      `json:"public_key,omitempty"` // the till's Ed25519 journal key, base64
	Client     *ClientInfo `json:"client,omitempty"`
	// Attempt is a random value the device keeps while it activates: the
	// same code with the same attempt again, within ActivationReplay of
	// the code being spent, activates the till again with a new token (a
	// reply lost on the way), without a new code.
	Attempt string `json:"attempt,omitempty"`
}

// ActivationReplay is how long a spent code can be replayed by the device
// that spent it (ActivateRequest.Attempt).
const ActivationReplay = 15 * time.Minute

// CheckIn is the body of POST /v1/checkin, the first call of every sync
// pass: the till's build and how many outbox records it holds.
type CheckIn struct {
	Client  ClientInfo `json:"client"`
	Pending int64      `json:"pending"` // outbox records not yet acknowledged
}

// CheckInReply acknowledges a check-in.
type CheckInReply struct {
	TillID string    `json:"till_id"`
	Server string    `json:"server"` // the server's release, like Health.Build
	Time   time.Time `json:"time"`
	// PINPepper is the store's PIN pepper, as in Activation: a till
	// activated before peppers gets it here (absent from older servers).
	PINPepper string `json:"pin_pepper,omitempty"`
}

// Activation is the reply to an activation: the till's identity, its
// bearer token (shown once; the server keeps only its hash), the ID of
// the journal key the server registered for it and its store's PIN pepper.
type Activation struct {
	TillID     string `json:"till_id"`
	StoreID    string `json:"store_id"`
	TerminalID string `json:"terminal_id"`
	Token      string `json:"token"`
	KeyID      string `json:"key_id,omitempty"`
	// PINPepper is the store's PIN pepper (32 bytes, base64), which the
	// staff feed's peppered hashes need: the till keeps it apart from its
	// database (absent from servers older than peppers).
	PINPepper string `json:"pin_pepper,omitempty"`
}

// KeyRequest registers the journal key of a till activated before it had
// one. A till that has a key keeps it: another one is refused (409) until
// the till is activated again with a new code.
type KeyRequest struct {
	PublicKey string `json:"public_key"` // base64 Ed25519
}

// JournalHead is what the server holds of a till's journal: the key it
// checks the signatures with and the last entry it accepted.
type JournalHead struct {
	TillID    string    `json:"till_id"`
	KeyID     string    `json:"key_id"`               // "" while no key is registered
	PublicKey string    `json:"public_key,omitempty"` // base64
	Seq       int64     `json:"seq"`                  // 0 before the first entry
	Hash      string    `json:"hash"`
	Counter   int64     `json:"sig_counter"`
	Updated   time.Time `json:"updated,omitzero"`
}

// JournalEntry is a journal entry as the till uploads it: its header, the
// SHA-256 of its payload, its chain link and its signature. Only an
// unsigned entry (written before the till had a key) carries its payload,
// since its hash covers the payload itself.
type JournalEntry struct {
	Seq           int64           `json:"seq"`
	Time          time.Time       `json:"time"`
	Kind          string          `json:"kind"`
	Op            int             `json:"op,omitempty"`
	TxnID         string          `json:"txn_id,omitempty"`
	ReceiptNo     string          `json:"receipt_no,omitempty"`
	Operator      string          `json:"operator,omitempty"`
	Approver      string          `json:"approver,omitempty"`
	PayloadSHA256 string          `json:"payload_sha256,omitempty"`
	Payload       json.RawMessage `json:"payload,omitempty"`
	KeyID         string          `json:"key_id,omitempty"`
	Counter       int64           `json:"sig_counter,omitempty"`
	PrevHash      string          `json:"prev_hash"`
	Hash          string          `json:"hash"`
	Sig           string          `json:"sig,omitempty"`
}

// JournalBatch is one journal upload: consecutive entries, oldest first.
// The server stores each entry exactly once by its sequence number: a batch
// sent again, or one overlapping entries it has, is acknowledged as long as
// those entries are the same.
type JournalBatch struct {
	ID      string         `json:"id"` // the upload's client ID: JournalBatchID
	Entries []JournalEntry `json:"entries"`
}

// JournalBatchID is the client ID of a batch of a till's entries from seq
// first to last, signed (or, before signing, chained) under key keyID.
func JournalBatchID(keyID string, first, last int64) string {
	if len(keyID) > 16 {
		keyID = keyID[:16]
	}
	if keyID == "" {
		keyID = "unsigned"
	}
	return fmt.Sprintf("journal.%s.%d-%d", keyID, first, last)
}

// Change is one entry of a delta feed. Exactly one of the typed fields is set
// for an upsert; Deleted marks a removal of Key.
type Change struct {
	Seq      int64           `json:"seq"`
	Key      string          `json:"key"`
	Deleted  bool            `json:"deleted,omitempty"`
	Product  *Product        `json:"product,omitempty"`
	Price    *PriceChange    `json:"price,omitempty"`
	Role     *Role           `json:"role,omitempty"`
	Operator *Operator       `json:"operator,omitempty"`
	Setup    *Setup          `json:"setup,omitempty"`
	Customer *Customer       `json:"customer,omitempty"`
	Loyalty  *LoyaltyBalance `json:"loyalty,omitempty"`
	// Balance is a gift card's or credit memo's balance.
	Balance *ValueBalance `json:"balance,omitempty"`
	// Recommend is a product's "bought together" list.
	Recommend *Recommendation `json:"recommend,omitempty"`
	// Stock is a product's figures in the till's store.
	Stock *StockFigure `json:"stock,omitempty"`
	// Count is a stock count's header; CountDevice one device's lines of it.
	Count       *StockCount       `json:"count,omitempty"`
	CountDevice *StockCountDevice `json:"count_device,omitempty"`
	// Doc is a purchase or transfer order of the store.
	Doc *StockDoc `json:"doc,omitempty"`
	// Order is a customer order or quotation the store took or fulfils.
	Order *Order `json:"order,omitempty"`
	// Document is one of the store's documents in the config feed (key
	// "doc:" + its name): the price and promotions document today.
	Document *StoreDocument `json:"document,omitempty"`
	// Extension is a signed WebAssembly extension package for the store's
	// tills in the config feed (key ExtKey of its ID; deleted: withdrawn).
	Extension *ExtensionPackage `json:"extension,omitempty"`
}

// ExtensionPackage is a signed WebAssembly extension package as the store
// server delivers it (docs/extensions.md): its manifest and signature as the
// vendor wrote them, and the module by its SHA-256, fetched from
// PathExtensionModules. A till writes it into DATA/extensions and loads it,
// after checking the signature against the keys it trusts, from its next
// start.
type ExtensionPackage struct {
	ID        string `json:"id"`
	Version   string `json:"version"`
	Manifest  string `json:"manifest"`  // manifest.json
	Signature string `json:"signature"` // signature.json
	Module    string `json:"module"`    // SHA-256 of the module, 64 lower-case hex digits
	Size      int64  `json:"size"`      // the module's bytes
}

// ExtKey is the config-feed key of an extension package.
func ExtKey(id string) string { return "ext:" + id }

// ValidExtensionID reports whether id can name an extension's folder: a
// namespaced ID of lower-case letters, digits, dots, dashes and
// underscores (acme.pfand), at most 64 long.
func ValidExtensionID(id string) bool {
	if id == "" || len(id) > 64 || !strings.Contains(id, ".") || id[0] == '.' || id[0] == '-' {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '_') {
			return false
		}
	}
	return !strings.Contains(id, "..")
}

// ValidModuleKey reports whether k is a SHA-256 in lower-case hex.
func ValidModuleKey(k string) bool {
	if len(k) != 64 {
		return false
	}
	for _, r := range k {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f') {
			return false
		}
	}
	return true
}

// Check tells what is wrong with a delivered package's fields.
func (p *ExtensionPackage) Check() error {
	switch {
	case !ValidExtensionID(p.ID):
		return fmt.Errorf("extension ID %q is not a namespaced ID of lower-case letters, digits, dots and dashes", p.ID)
	case !ValidModuleKey(p.Module):
		return fmt.Errorf("extension %s names its module by %q, not a SHA-256 in hex", p.ID, p.Module)
	case p.Manifest == "" || p.Signature == "":
		return fmt.Errorf("extension %s comes without its manifest or signature", p.ID)
	case p.Size <= 0 || p.Size > MaxReplyBytes:
		return fmt.Errorf("extension %s's module size %d is out of range", p.ID, p.Size)
	}
	return nil
}

// StoreDocument is a document the store server keeps for a store's tills:
// its name and its text.
type StoreDocument struct {
	Name string `json:"name"`
	Body string `json:"body"`
}

// Store document names: the promotions, and a receipt layout per
// receipt type (DocReceipt + "sale", "return", "gift", "x", "z"; TOML,
// docs/receipts.md).
const (
	DocPromotions = "promotions" // the price and promotions document (TOML, docs/promotions.md)
	DocReceipt    = "receipt/"
	// DocExtensionKeys lists the public keys whose extension packages the
	// store's tills load (a trusted_keys file: base64 Ed25519 keys, one a
	// line, # comments).
	DocExtensionKeys = "extension_keys"
	// DocHardware + a terminal ID is that till's hardware profile (TOML,
	// docs/hardware.md): "hardware/T01".
	DocHardware = "hardware/"
)

// ValidDocName reports whether name is a store document a till takes.
func ValidDocName(name string) bool {
	switch name {
	case DocPromotions, DocExtensionKeys, DocReceipt + "sale", DocReceipt + "return", DocReceipt + "gift", DocReceipt + "x", DocReceipt + "z":
		return true
	}
	t, ok := strings.CutPrefix(name, DocHardware)
	return ok && ValidTerminalID(t)
}

// terminalPattern is a terminal ID a document may name: 1–32 letters,
// digits, dashes and underscores.
var terminalPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,32}$`)

// ValidTerminalID reports whether t can be a till's terminal ID (and so
// name its hardware profile): 1 to 32 letters, digits, dashes and
// underscores.
func ValidTerminalID(t string) bool { return terminalPattern.MatchString(t) }

// DocKey is the config-feed key of a store document.
func DocKey(name string) string { return "doc:" + name }

// PriceChange is a new price of a product.
type PriceChange struct {
	ProductID string `json:"product_id"`
	Price     int64  `json:"price"` // minor units of the store's currency
}

// Page is one page of a delta feed: the changes after the cursor the till
// sent, in order, and the cursor to send next. More says another page waits.
type Page struct {
	Dataset    string   `json:"dataset"`
	Changes    []Change `json:"changes"`
	NextCursor int64    `json:"next_cursor"`
	More       bool     `json:"more"`
	Remaining  int64    `json:"remaining"` // changes after NextCursor (for progress)
}

// RecordCheck reports whether a change carries a record the receiver
// takes, by rules beyond the contract's: the domain's, which
// apimap.CheckRecord applies.
type RecordCheck func(dataset string, c Change) bool

// Validate checks a page the client received by the contract's rules: the
// dataset it asked for, cursors that only move forward, and changes that
// carry what their dataset needs. A page that fails is not applied. The
// till validates with apimap.ValidatePage, which adds the domain's rules of
// each record (ValidateWith).
func (p *Page) Validate(dataset string, after int64) error {
	return p.ValidateWith(dataset, after, nil)
}

// ValidateWith is Validate with check applied, after the contract's rules,
// to every change that is not a removal: a change it refuses fails the page
// as one the contract refuses does.
func (p *Page) ValidateWith(dataset string, after int64, check RecordCheck) error {
	if p.Dataset != dataset {
		return fmt.Errorf("the server sent dataset %q where %q was asked for", p.Dataset, dataset)
	}
	if p.NextCursor < after {
		return fmt.Errorf("the server's next cursor %d is behind the cursor %d the till sent", p.NextCursor, after)
	}
	if p.Remaining < 0 {
		return fmt.Errorf("the server reported %d remaining changes", p.Remaining)
	}
	last := after
	for i, c := range p.Changes {
		if c.Seq <= last {
			return fmt.Errorf("change %d of the page has sequence %d, not after %d: the feed is out of order", i, c.Seq, last)
		}
		last = c.Seq
		if c.Seq > p.NextCursor {
			return fmt.Errorf("change %d has sequence %d beyond the page's next cursor %d", i, c.Seq, p.NextCursor)
		}
		if c.Key == "" {
			return fmt.Errorf("change %d (sequence %d) has no key", i, c.Seq)
		}
		if c.Deleted {
			continue
		}
		var ok bool
		switch dataset {
		case DatasetProducts:
			ok = c.Product != nil && c.Product.ID == c.Key && c.Product.Name != "" && c.Product.TaxGroup != ""
		case DatasetPrices:
			ok = c.Price != nil && c.Price.ProductID == c.Key && c.Price.Price >= 0
		case DatasetStaff:
			ok = (c.Role != nil && c.Role.ID != "") != (c.Operator != nil && c.Operator.ID != "")
		case DatasetConfig:
			switch {
			case c.Document != nil:
				ok = c.Key == DocKey(c.Document.Name) && ValidDocName(c.Document.Name)
			case c.Extension != nil:
				ok = c.Key == ExtKey(c.Extension.ID) && c.Extension.Check() == nil
			case c.Deleted:
				ok = true
			default:
				ok = c.Setup != nil && c.Setup.StoreID != "" && c.Setup.TerminalID != ""
			}
		case DatasetCustomers:
			ok = c.Customer != nil && c.Customer.ID == c.Key && ValidClientID(c.Customer.ID) && c.Customer.Number != ""
		case DatasetLoyalty:
			ok = c.Loyalty != nil && c.Loyalty.Card == c.Key
		case DatasetRecommendations:
			ok = c.Recommend != nil && c.Recommend.ProductID == c.Key
		case DatasetStock:
			ok = validStock(c)
		case DatasetCounts:
			ok = validCount(c)
		case DatasetDocs:
			ok = validDoc(c)
		case DatasetOrders:
			ok = validOrder(c)
		case DatasetBalances:
			ok = validBalance(c)
		}
		if ok && check != nil {
			ok = check(dataset, c)
		}
		if !ok {
			return fmt.Errorf("change %d (sequence %d, key %q) does not carry a valid %s record", i, c.Seq, c.Key, dataset)
		}
	}
	if len(p.Changes) == 0 && p.More {
		return fmt.Errorf("the server sent an empty page that says more follow")
	}
	return nil
}

// UploadReply acknowledges an upload. Duplicate says the server already had
// the record (a retry); either way it is stored exactly once.
type UploadReply struct {
	ID        string       `json:"id"`
	Kind      string       `json:"kind"`
	Duplicate bool         `json:"duplicate"`
	Received  time.Time    `json:"received"`
	Journal   *JournalHead `json:"journal,omitempty"` // a journal upload: the head the server now holds
}

// StockLevel is one store's stock of a product.
type StockLevel struct {
	StoreID   string    `json:"store_id"`
	StoreName string    `json:"store_name"`
	Qty       int64     `json:"qty"` // on hand, thousandths
	Reserved  int64     `json:"reserved"`
	OnOrder   int64     `json:"on_order"`
	InTransit int64     `json:"in_transit"`
	AsOf      time.Time `json:"as_of,omitzero"`
}

// Availability is the reply of GET /v1/inventory/{product}: the stock in the
// till's store and its sister stores.
type Availability struct {
	ProductID string       `json:"product_id"`
	Stores    []StockLevel `json:"stores"`
}
