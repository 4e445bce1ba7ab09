package scaleunit

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/offline/apimap"
	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/barcode"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/customer"
	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/report"
	"github.com/opentill/opentill/pos/staff"
	"github.com/opentill/opentill/pos/storedvalue"
)

// Errors the storage returns; the HTTP layer maps them to status codes.
var (
	ErrNotFound    = errors.New("not found")
	ErrConflict    = errors.New("conflict")
	ErrInvalid     = errors.New("invalid")
	ErrBadCode     = errors.New("the activation code is unknown or was already used")
	ErrDeactivated = errors.New("the till is deactivated")
)

// StoreInfo is one store of the chain.
type StoreInfo struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// TillInfo is one till (register) of a store.
type TillInfo struct {
	ID          string    `json:"id"` // store ID + "/" + terminal ID
	StoreID     string    `json:"store_id"`
	TerminalID  string    `json:"terminal_id"`
	DeviceName  string    `json:"device_name"`
	Active      bool      `json:"active"`      // has a token and may call the API
	Activated   time.Time `json:"activated"`   // zero until activated
	Deactivated bool      `json:"deactivated"` // refused until reactivated with a new code
	KeyID       string    `json:"key_id"`      // the till's registered journal key ("" if none)
	// What the till last said of itself (at activation or a sync pass's
	// check-in); Client.Version is "" for a till older than v0.2.0 or one
	// that never synced.
	Client   api.ClientInfo `json:"client"`
	LastSeen time.Time      `json:"last_seen"` // zero until the first check-in
	Pending  int64          `json:"pending"`   // outbox records it held then
}

// Upload is one stored upload.
type Upload struct {
	Kind     string
	ID       string
	TillID   string
	Payload  json.RawMessage
	Received time.Time
}

// Storage is where the scale unit keeps the chain's data: DB on SQLite
// (OpenSQLite, one server process) or on PostgreSQL (OpenPostgres, several
// server processes on one database).
// Every method is safe for concurrent use.
type Storage interface {
	// PutStore creates or renames a store and sets its till configuration
	// (served to its tills with their own terminal ID).
	PutStore(ctx context.Context, s StoreInfo, setup pos.Setup) error
	// Stores lists the stores by ID.
	Stores(ctx context.Context) ([]StoreInfo, error)
	// PutTill creates a till (inactive) if it does not exist.
	PutTill(ctx context.Context, storeID, terminalID string) (TillInfo, error)
	// IssueCode stores the hash of a one-time activation code for a till.
	IssueCode(ctx context.Context, tillID, codeHash string, expires time.Time) error
	// Activate consumes a code and gives its till the token hash; the till's
	// earlier token stops working. A public key (nil: none) becomes the
	// till's journal key: a key other than the one registered replaces it
	// (the old one is kept in the key history) and the server holds a new
	// chain for it. ErrBadCode for an unknown, used or expired code.
	// attemptHash (may be "") lets the device that spent a code replay it
	// within api.ActivationReplay to get a new token when the reply was lost.
	Activate(ctx context.Context, codeHash, tokenHash, deviceName string, pub ed25519.PublicKey, attemptHash string) (TillInfo, error)
	// TillByToken finds the till of a token hash: ErrNotFound for an unknown
	// token, ErrDeactivated for a deactivated till.
	TillByToken(ctx context.Context, tokenHash string) (TillInfo, error)
	// SetTillActive deactivates a till (its token is refused) or allows it
	// to be activated again.
	SetTillActive(ctx context.Context, tillID string, active bool) error
	// Tills lists the tills.
	Tills(ctx context.Context) ([]TillInfo, error)
	// CheckIn records what a till says of its build and its outbox.
	CheckIn(ctx context.Context, tillID string, c api.ClientInfo, pending int64, at time.Time) error

	// PutProducts upserts products (each a change of the products feed).
	PutProducts(ctx context.Context, ps []catalog.Product) error
	// DeleteProduct removes a product.
	DeleteProduct(ctx context.Context, id string) error
	// PutImage keeps a product picture (checked with catalog.CheckImage)
	// and returns its key; Image reads one back with its media type
	// (ErrNotFound when the server has none by that key).
	PutImage(ctx context.Context, data []byte) (string, error)
	Image(ctx context.Context, key string) (string, []byte, error)
	// SetProductImage keeps a picture and makes it the product's (a change
	// of the products feed); no data takes the product's picture away.
	SetProductImage(ctx context.Context, productID string, data []byte) (string, error)
	// SetPrices changes the price of existing products (changes of the
	// prices feed); ErrNotFound names a missing product.
	SetPrices(ctx context.Context, prices []api.PriceChange) error
	// PutRole and PutOperator upsert staff (changes of the staff feed).
	// The operator's PasswordHash is an argon2id hash without a pepper
	// (sent to the tills as it is) or a PIN the server sealed
	// (PutOperatorPIN, or an Operator read back).
	PutRole(ctx context.Context, r staff.Role) error
	PutOperator(ctx context.Context, o staff.Operator) error
	// PutOperatorPIN upserts an operator with a PIN: stretched once with
	// p and kept sealed under the chain's PIN key, so each store's till
	// gets its own peppered hash from the staff feed (pinkey.go).
	PutOperatorPIN(ctx context.Context, o staff.Operator, pin string, p staff.Params) error
	// Operator returns an operator as last stored (ErrNotFound if none).
	Operator(ctx context.Context, id string) (staff.Operator, error)
	// PINPepper returns a store's PIN pepper, which its tills get at
	// activation and check-in; PINKeyID loads the chain's PIN key (made at
	// the first start) and names it, refusing a key that is missing or not
	// the database's (ErrPINKey).
	PINPepper(ctx context.Context, storeID string) (staff.Pepper, error)
	PINKeyID(ctx context.Context) (string, error)
	// SetStock sets a store's stock of a product (thousandths).
	SetStock(ctx context.Context, storeID, productID string, qty int64) error
	// Availability returns the stock of a product in every store.
	Availability(ctx context.Context, productID string) ([]api.StockLevel, error)
	// CustomerHistory is the purchases of the customer with these numbers
	// at every till but exceptTill, newest first (history.go).
	CustomerHistory(ctx context.Context, numbers []string, exceptTill string) (api.CustomerHistory, error)
	// Sale finds a completed transaction by receipt number for a return at
	// till (its store's, or any store's with anyStore), with what the other
	// tills returned of it (sales.go).
	Sale(ctx context.Context, till TillInfo, receiptNo string, anyStore bool) (api.Sale, error)
	// StoreSetup returns a store's setup as its tills get it (but for their
	// terminal ID); SetStoreSetup replaces it after checking it
	// (pos.Setup.Validate; ErrInvalid names each wrong field).
	StoreSetup(ctx context.Context, storeID string) (pos.Setup, error)
	SetStoreSetup(ctx context.Context, storeID string, setup pos.Setup) error
	// PutDocument stores a store's document (the promotions, a receipt
	// layout, a till's hardware profile …) for its tills, checked first;
	// Document reads it back and DeleteDocument takes it from the tills
	// (documents.go).
	PutDocument(ctx context.Context, storeID, name string, body []byte) error
	Document(ctx context.Context, storeID, name string) ([]byte, error)
	DeleteDocument(ctx context.Context, storeID, name string) error
	// PutAdminToken keeps the hash of a new admin API token named name, for
	// the stores given (none: the whole chain); ErrConflict when a token
	// not revoked has the name. AdminTokens lists them all, revoked ones
	// too; RevokeAdminToken refuses the token from now on (ErrNotFound
	// when no token not revoked has the name); UsedAdminToken records its
	// use (admintokens.go).
	PutAdminToken(ctx context.Context, name string, stores []string, tokenHash string) error
	AdminTokens(ctx context.Context) ([]AdminToken, error)
	RevokeAdminToken(ctx context.Context, name string) error
	UsedAdminToken(ctx context.Context, name string, at time.Time) error
	// StoreReport is a store's report over [from, to) across its tills
	// (reports.go).
	StoreReport(ctx context.Context, storeID string, from, to time.Time) (api.StoreReport, error)
	// RollUpReports rolls up the report sums of every store's past days
	// that took uploads since they were last rolled up (reportsums.go), so
	// that the first report of a month finds them ready.
	RollUpReports(ctx context.Context) error
	// ExtensionModule returns a published extension's module by its
	// SHA-256 (extensions.go).
	ExtensionModule(ctx context.Context, key string) ([]byte, error)

	// Feed returns up to limit changes of a dataset after the cursor, as
	// seen by a till of storeID; withCount fills Remaining.
	Feed(ctx context.Context, storeID, dataset string, after int64, limit int, withCount bool) (api.Page, error)
	// FeedRaw is Feed with each change as the JSON the feed sends, read as
	// it is kept (no decoding); for the datasets whose changes are the
	// same for every till (RawFeed).
	FeedRaw(ctx context.Context, storeID, dataset string, after int64, limit int, withCount bool) (RawPage, error)
	// Upload stores a record by its client ID exactly once: a second call
	// with the same ID and payload reports duplicate; with another payload
	// it is ErrConflict.
	Upload(ctx context.Context, till TillInfo, kind, id string, payload []byte) (duplicate bool, received time.Time, err error)
	// Uploads lists the stored uploads of a kind ("" for all) in order of
	// arrival.
	Uploads(ctx context.Context, kind string) ([]Upload, error)
	// Customer returns the chain's copy of a customer, merged from every
	// till's uploads.
	Customer(ctx context.Context, id string) (api.Customer, error)
	// LoyaltyBalance sums a card's points in the ledger of every till's
	// movements; Overdrawn lists the cards below zero.
	LoyaltyBalance(ctx context.Context, card string) (api.LoyaltyBalance, error)
	Overdrawn(ctx context.Context) ([]api.LoyaltyBalance, error)
	// ValueBalance sums a gift card's or memo's ledger (ErrNotFound when
	// no till moved money on it); OverdrawnBalances lists those below zero.
	ValueBalance(ctx context.Context, kind storedvalue.Kind, number string) (api.ValueBalance, error)
	OverdrawnBalances(ctx context.Context) ([]api.ValueBalance, error)
	// TillBalance, HoldValue and ReleaseValue: the balance as a till sees
	// it, with other tills' holds, and a till's holds for its sales.
	TillBalance(ctx context.Context, till string, kind storedvalue.Kind, number string) (api.ValueBalance, error)
	HoldValue(ctx context.Context, till string, kind storedvalue.Kind, number, txnID string, amount int64) (api.ValueBalance, error)
	ReleaseValue(ctx context.Context, till, txnID string) error
	// SetCreditLimit sets a customer account's credit limit.
	SetCreditLimit(ctx context.Context, number string, limit int64) error
	// SetExchangeRate sets a store's rate for a foreign currency (in the
	// setup its tills get).
	SetExchangeRate(ctx context.Context, storeID, code string, rate money.Rate) error

	// RegisterKey gives a till without a journal key this one (a till
	// activated before it had a key). The same key again changes nothing;
	// another one is ErrKeyConflict: only an activation replaces a key.
	RegisterKey(ctx context.Context, tillID string, pub ed25519.PublicKey) (api.JournalHead, error)
	// JournalHead returns what the server holds of a till's journal: its
	// registered key and the last entry accepted under it.
	JournalHead(ctx context.Context, tillID string) (api.JournalHead, error)
	// AppendJournal checks consecutive entries of a till's journal against
	// the chain the server holds (checkJournal) and stores the new ones with
	// the new head, in one transaction. Entries it has are acknowledged
	// again if they are the same. A *JournalError (ErrJournal) names the
	// first entry refused; the refusal is kept as the till's journal alert.
	AppendJournal(ctx context.Context, tillID string, entries []journal.Entry) (head api.JournalHead, fresh int, err error)
	// JournalAlert returns why the till's last refused journal upload was
	// refused ("" if none was).
	JournalAlert(ctx context.Context, tillID string) (string, error)
	// Close releases the storage.
	Close() error
}

// HashSecret returns the hex SHA-256 of a token or activation code, the form
// the storage keeps (tokens are 256-bit random values, so a fast hash is
// enough; the secret itself is never stored).
func HashSecret(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}

// Close closes the database.
func (s *DB) Close() error {
	s.stopSequencer()
	return errors.Join(s.r.Close(), s.w.Close())
}

// DB is the Storage on an SQL database: SQLite (OpenSQLite) or PostgreSQL
// (OpenPostgres). The queries are the same; the dialect rewrites what
// differs.
type DB struct {
	w, r  *sqlDB // writes; reads (the same pool on PostgreSQL)
	d     *dialect
	where string // the data folder or the redacted URL, for messages
	// The chain's PIN key (pinkey.go): read from pinPath at the first use.
	pinPath string
	pinMu   sync.Mutex
	pin     *pinKey
	// reportCfgs are the stores' zones and tax groups an upload's report
	// sums are counted by.
	reportCfgs reportConfigs
	// seq numbers the feeds' changes in the background (PostgreSQL).
	seq *sequencer
}

var _ Storage = (*DB)(nil)

// Engine names the database engine: "sqlite" or "postgres".
func (s *DB) Engine() string { return s.d.name }

// tx runs fn in a transaction. On PostgreSQL, where several server
// processes write at once, a transaction that lost a race (a
// serialization failure, a deadlock, or a row another process inserted
// first) is run again from the start: fn must only touch the database.
func (s *DB) tx(ctx context.Context, fn func(tx *sqlTx) error) error {
	for attempt := 1; ; attempt++ {
		err := s.tx1(ctx, fn)
		if err == nil || s.d.retryable == nil || !s.d.retryable(err) || attempt == 8 {
			return err
		}
		select {
		case <-ctx.Done():
			return errors.Join(err, ctx.Err())
		case <-time.After(time.Duration(attempt*attempt) * time.Millisecond):
		}
	}
}

func (s *DB) tx1(ctx context.Context, fn func(tx *sqlTx) error) error {
	t, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	tx := &sqlTx{Tx: t, d: s.d, stmts: s.w.stmts}
	defer s.w.stmts.flush(ctx) // what the transaction met, now the connection is free
	if err := fn(tx); err != nil {
		if rerr := tx.Rollback(); rerr != nil {
			return errors.Join(err, fmt.Errorf("rolling back: %w", rerr))
		}
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	if tx.changed {
		s.kickSequencer()
	}
	return nil
}

// isForeignKey tells a foreign key violation (the store or till named
// does not exist) on either engine.
func isForeignKey(err error) bool {
	return strings.Contains(strings.ToLower(err.Error()), "foreign key")
}

func now() string { return time.Now().UTC().Format(time.RFC3339Nano) }

// change records a change of a feed, replacing the earlier change of the
// key. On PostgreSQL it gets its feed number once committed (see
// sequencer.go), so a till that has read up to number N never misses a
// smaller number committed later by another server process.
func change(ctx context.Context, tx *sqlTx, dataset, storeID, key string, deleted bool, c api.Change) error {
	tx.changed = true
	if tx.feedLast {
		c.Key, c.Deleted = key, deleted
		tx.pending = append(tx.pending, pendingChange{dataset, storeID, c})
		return nil
	}
	b, err := json.Marshal(c)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, tx.d.upsertChange, dataset, storeID, key, b2i(deleted), string(b))
	return err
}

// flushChanges writes the changes a feedLast transaction kept, each
// feed's in one statement (the last change of a key replacing the earlier
// ones, as written one by one they would).
func flushChanges(ctx context.Context, tx *sqlTx) error {
	pend := tx.pending
	tx.feedLast, tx.pending = false, nil
	type feed struct{ dataset, storeID string }
	var order []feed
	byFeed := map[feed][]api.Change{}
	last := map[[3]string]int{} // the index in byFeed of a key's change
	for _, p := range pend {
		f := feed{p.dataset, p.storeID}
		if _, ok := byFeed[f]; !ok {
			order = append(order, f)
		}
		k := [3]string{p.dataset, p.storeID, p.c.Key}
		if i, ok := last[k]; ok {
			byFeed[f][i] = p.c
			continue
		}
		last[k] = len(byFeed[f])
		byFeed[f] = append(byFeed[f], p.c)
	}
	for _, f := range order {
		if err := changes(ctx, tx, f.dataset, f.storeID, byFeed[f]); err != nil {
			return err
		}
	}
	return nil
}

// changeBatch is how many changes one statement records (five arguments
// each, well under either engine's limit).
const changeBatch = 500

// changes records many changes of one feed, as change does each, in
// statements of changeBatch rows: a 10,000-line count posts in twenty
// round trips, not ten thousand. Each change's Key is its key, which
// must differ from the others'.
func changes(ctx context.Context, tx *sqlTx, dataset, storeID string, cs []api.Change) error {
	if len(cs) == 0 {
		return nil
	}
	tx.changed = true
	if tx.feedLast {
		for _, c := range cs {
			tx.pending = append(tx.pending, pendingChange{dataset, storeID, c})
		}
		return nil
	}
	for i := 0; i < len(cs); i += changeBatch {
		part := cs[i:min(i+changeBatch, len(cs))]
		var q strings.Builder
		q.WriteString(tx.d.changeHead)
		args := make([]any, 0, 5*len(part))
		for j, c := range part {
			b, err := json.Marshal(c)
			if err != nil {
				return err
			}
			if j > 0 {
				q.WriteString(", ")
			}
			q.WriteString(tx.d.changeRow)
			args = append(args, dataset, storeID, c.Key, b2i(c.Deleted), string(b))
		}
		q.WriteString(tx.d.changeTail)
		if _, err := tx.ExecContext(ctx, q.String(), args...); err != nil {
			return err
		}
	}
	return nil
}

// replaySchema keeps, for ActivationReplay after a code was spent, the
// attempt that spent it (SQLite schema version 6, PostgreSQL version 4).
var replaySchema = []string{
	`CREATE TABLE IF NOT EXISTS activation_replays (
    code_hash    TEXT PRIMARY KEY,
    till_id      TEXT NOT NULL,
    attempt_hash TEXT NOT NULL,
    expires      BIGINT NOT NULL)`,
}

// PutStore implements Storage.
func (s *DB) PutStore(ctx context.Context, st StoreInfo, setup pos.Setup) error {
	if st.ID == "" {
		return fmt.Errorf("a store needs an ID")
	}
	setup.StoreID = st.ID
	if st.Name != "" {
		setup.StoreName = st.Name
	}
	setup.TerminalID = "-" // replaced by each till's own
	return s.tx(ctx, func(tx *sqlTx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO stores(id, name) VALUES(?, ?) ON CONFLICT(id) DO UPDATE SET name = excluded.name`, st.ID, st.Name); err != nil {
			return err
		}
		if err := storePartition(ctx, tx, st.ID); err != nil {
			return err
		}
		return change(ctx, tx, api.DatasetConfig, st.ID, "setup", false, setupChange(setup))
	})
}

// setupChange is the config feed's change of a store's setup.
func setupChange(s pos.Setup) api.Change {
	w := apimap.SetupOf(s)
	return api.Change{Key: "setup", Setup: &w}
}

// StoreSetup returns the setup the server serves a store's tills.
func (s *DB) StoreSetup(ctx context.Context, storeID string) (pos.Setup, error) {
	return s.storeSetup(ctx, storeID)
}

// SetStoreSetup replaces a store's setup (currency, tax groups, tender
// types, masks, receipt header, policies) after checking it
// (pos.Setup.Validate): a setup with an error reaches no till. The store's
// ID and name stay the server's; each till puts in its own terminal.
func (s *DB) SetStoreSetup(ctx context.Context, storeID string, setup pos.Setup) error {
	old, err := s.storeSetup(ctx, storeID)
	if err != nil {
		return err
	}
	if err := setup.Validate(); err != nil {
		return fmt.Errorf("store %s's setup was not changed:\n%w\n%w", storeID, err, ErrInvalid)
	}
	setup.StoreID, setup.StoreName, setup.TerminalID = old.StoreID, old.StoreName, "-"
	setup.Promotions = nil // a document of its own (scaleunit document --name promotions)
	return s.tx(ctx, func(tx *sqlTx) error {
		return change(ctx, tx, api.DatasetConfig, storeID, "setup", false, setupChange(setup))
	})
}

// DecodeSetup reads a store's setup as scaleunit store setup show prints it
// and the config feed carries it (api.Setup's JSON), for scaleunit store
// setup set and the admin API alike: a field the till does not know (a
// typo) is refused (ErrInvalid), as is anything after the setup.
func DecodeSetup(r io.Reader) (pos.Setup, error) {
	var w api.Setup
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&w); err != nil {
		return pos.Setup{}, fmt.Errorf("not a setup (start from what scaleunit store setup show or GET /v1/admin/stores/{store}/setup gives): %w: %w", err, ErrInvalid)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return pos.Setup{}, fmt.Errorf("not a setup: something follows it (give one JSON object): %w", ErrInvalid)
	}
	return apimap.SetupFrom(w), nil
}

// Stores implements Storage.
func (s *DB) Stores(ctx context.Context) ([]StoreInfo, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, name FROM stores ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []StoreInfo
	for rows.Next() {
		var st StoreInfo
		if err := rows.Scan(&st.ID, &st.Name); err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, rows.Err()
}

const tillCols = `id, store_id, terminal_id, device_name, token_hash IS NOT NULL AND deactivated = 0, activated, deactivated,
	client_version, client_commit, client_build_date, client_os, client_arch, client_schema, last_seen, pending,
	coalesce((SELECT key_id FROM till_keys WHERE till_id = tills.id), '')`

func scanTill(row interface{ Scan(...any) error }) (TillInfo, error) {
	var t TillInfo
	var act, seen string
	c := &t.Client
	err := row.Scan(&t.ID, &t.StoreID, &t.TerminalID, &t.DeviceName, &t.Active, &act, &t.Deactivated,
		&c.Version, &c.Commit, &c.BuildDate, &c.OS, &c.Arch, &c.Schema, &seen, &t.Pending, &t.KeyID)
	if errors.Is(err, sql.ErrNoRows) {
		return t, ErrNotFound
	}
	t.Activated, _ = time.Parse(time.RFC3339Nano, act) // shown only; the server writes it itself (now)
	t.LastSeen, _ = time.Parse(time.RFC3339Nano, seen) // likewise
	return t, err
}

// CheckIn implements Storage.
func (s *DB) CheckIn(ctx context.Context, tillID string, c api.ClientInfo, pending int64, at time.Time) error {
	res, err := s.w.ExecContext(ctx, `UPDATE tills SET client_version = ?, client_commit = ?, client_build_date = ?, client_os = ?,
		client_arch = ?, client_schema = ?, last_seen = ?, pending = ? WHERE id = ?`,
		clip(c.Version, 64), clip(c.Commit, 64), clip(c.BuildDate, 40), clip(c.OS, 20), clip(c.Arch, 20), c.Schema,
		at.UTC().Format(time.RFC3339Nano), pending, tillID)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return fmt.Errorf("till %s: %w", tillID, ErrNotFound)
	}
	return nil
}

// clip bounds what a till may store about itself.
func clip(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// PutTill implements Storage.
func (s *DB) PutTill(ctx context.Context, storeID, terminalID string) (TillInfo, error) {
	if storeID == "" || !api.ValidTerminalID(terminalID) {
		return TillInfo{}, fmt.Errorf("a till needs a store ID and a terminal ID of 1 to 32 letters, digits, dashes and underscores (not %q): %w", terminalID, ErrInvalid)
	}
	id := storeID + "/" + terminalID
	_, err := s.w.ExecContext(ctx, `INSERT INTO tills(id, store_id, terminal_id) VALUES(?, ?, ?) ON CONFLICT(id) DO NOTHING`, id, storeID, terminalID)
	if err != nil {
		if isForeignKey(err) {
			return TillInfo{}, fmt.Errorf("store %s does not exist (create it first): %w", storeID, ErrNotFound)
		}
		return TillInfo{}, err
	}
	return scanTill(s.w.QueryRowContext(ctx, `SELECT `+tillCols+` FROM tills WHERE id = ?`, id))
}

// IssueCode implements Storage.
func (s *DB) IssueCode(ctx context.Context, tillID, codeHash string, expires time.Time) error {
	_, err := s.w.ExecContext(ctx, `INSERT INTO activation_codes(code_hash, till_id, expires) VALUES(?, ?, ?)
		ON CONFLICT(code_hash) DO UPDATE SET till_id = excluded.till_id, expires = excluded.expires`,
		codeHash, tillID, expires.UTC().Format(time.RFC3339Nano))
	if err != nil && isForeignKey(err) {
		return fmt.Errorf("till %s does not exist: %w", tillID, ErrNotFound)
	}
	return err
}

// Activate implements Storage.
func (s *DB) Activate(ctx context.Context, codeHash, tokenHash, deviceName string, pub ed25519.PublicKey, attemptHash string) (TillInfo, error) {
	var t TillInfo
	err := s.tx(ctx, func(tx *sqlTx) error {
		var tillID, expires string
		err := tx.QueryRowContext(ctx, `SELECT till_id, expires FROM activation_codes WHERE code_hash = ?`, codeHash).Scan(&tillID, &expires)
		if errors.Is(err, sql.ErrNoRows) {
			if attemptHash == "" {
				return ErrBadCode
			}
			// A spent code replayed by the device that spent it (its reply
			// was lost): the till again, with the new token.
			err = tx.QueryRowContext(ctx, `SELECT till_id FROM activation_replays WHERE code_hash = ? AND attempt_hash = ? AND expires > ?`,
				codeHash, attemptHash, time.Now().UnixNano()).Scan(&tillID)
			if errors.Is(err, sql.ErrNoRows) {
				return ErrBadCode
			}
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE tills SET token_hash = ?, device_name = ? WHERE id = ?`, tokenHash, deviceName, tillID); err != nil {
				return err
			}
			t, err = scanTill(tx.QueryRowContext(ctx, `SELECT `+tillCols+` FROM tills WHERE id = ?`, tillID))
			return err
		}
		if err != nil {
			return err
		}
		// The code is spent by whoever deletes it: a second server process
		// activating with the same code at the same moment deletes nothing.
		res, err := tx.ExecContext(ctx, `DELETE FROM activation_codes WHERE code_hash = ?`, codeHash)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return ErrBadCode
		}
		// An unreadable expiry parses as the zero time: the code counts as expired.
		if exp, _ := time.Parse(time.RFC3339Nano, expires); time.Now().After(exp) {
			return ErrBadCode
		}
		if _, err := tx.ExecContext(ctx, `UPDATE tills SET token_hash = ?, device_name = ?, activated = ?, deactivated = 0 WHERE id = ?`,
			tokenHash, deviceName, now(), tillID); err != nil {
			return err
		}
		if pub != nil {
			if err := putKey(ctx, tx, tillID, pub, true); err != nil {
				return err
			}
		}
		if attemptHash != "" {
			if _, err := tx.ExecContext(ctx, `DELETE FROM activation_replays WHERE expires <= ?`, time.Now().UnixNano()); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO activation_replays(code_hash, till_id, attempt_hash, expires) VALUES(?, ?, ?, ?)
				ON CONFLICT(code_hash) DO NOTHING`, codeHash, tillID, attemptHash, time.Now().Add(api.ActivationReplay).UnixNano()); err != nil {
				return err
			}
		}
		t, err = scanTill(tx.QueryRowContext(ctx, `SELECT `+tillCols+` FROM tills WHERE id = ?`, tillID))
		return err
	})
	if errors.Is(err, ErrBadCode) {
		// The expired code is deleted even so (the transaction that deleted
		// it rolled back). Housekeeping only: if this fails the code stays
		// and is refused again as expired.
		_, _ = s.w.ExecContext(ctx, `DELETE FROM activation_codes WHERE code_hash = ?`, codeHash)
	}
	return t, err
}

// TillByToken implements Storage.
func (s *DB) TillByToken(ctx context.Context, tokenHash string) (TillInfo, error) {
	t, err := scanTill(s.r.QueryRowContext(ctx, `SELECT `+tillCols+` FROM tills WHERE token_hash = ?`, tokenHash))
	if err != nil {
		return t, err
	}
	if t.Deactivated {
		return t, ErrDeactivated
	}
	return t, nil
}

// SetTillActive implements Storage.
func (s *DB) SetTillActive(ctx context.Context, tillID string, active bool) error {
	q := `UPDATE tills SET deactivated = 1 WHERE id = ?`
	if active {
		q = `UPDATE tills SET deactivated = 0 WHERE id = ?`
	}
	res, err := s.w.ExecContext(ctx, q, tillID)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return fmt.Errorf("till %s: %w", tillID, ErrNotFound)
	}
	return nil
}

// Tills implements Storage.
func (s *DB) Tills(ctx context.Context) ([]TillInfo, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+tillCols+` FROM tills ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []TillInfo
	for rows.Next() {
		t, err := scanTill(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// PutProducts implements Storage. Every product is checked first
// (checkProduct): one a till could not sell refuses the whole batch
// (ErrInvalid) and changes nothing. A product without an item ID is its
// own item.
func (s *DB) PutProducts(ctx context.Context, ps []catalog.Product) error {
	seen := make(map[string]bool, len(ps))
	for i := range ps {
		p := &ps[i]
		if p.ItemID == "" {
			p.ItemID = p.ID
		}
		if err := checkProduct(p); err != nil {
			return err
		}
		if seen[p.ID] {
			return fmt.Errorf("product %s comes twice: give each product once: %w", p.ID, ErrInvalid)
		}
		seen[p.ID] = true
	}
	return s.tx(ctx, func(tx *sqlTx) error {
		groups, err := chainTaxGroups(ctx, tx)
		if err != nil {
			return err
		}
		for i := range ps {
			p := &ps[i]
			if !groups[p.TaxGroup] {
				return fmt.Errorf("product %s: no store's setup has tax group %q (known: %s); add it to the setup first (scaleunit store setup set): %w",
					p.ID, p.TaxGroup, strings.Join(slices.Sorted(maps.Keys(groups)), ", "), ErrInvalid)
			}
			if p.Image != "" {
				var n int
				if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM images WHERE key = ?`, p.Image).Scan(&n); err != nil {
					return err
				}
				if n == 0 {
					return fmt.Errorf("product %s names picture %s, which the server does not hold: set the picture with scaleunit product image, or leave image out: %w",
						p.ID, p.Image, ErrInvalid)
				}
			}
			if err := putProduct(ctx, tx, p); err != nil {
				return err
			}
		}
		return nil
	})
}

// checkProduct refuses a product a till could not take or sell: without
// an ID, a name or a tax group, at a negative price or price unit, with a
// barcode a till's scanner never reads (barcode.Normalize: a wrong check
// digit, a length no symbology has), or naming a picture by something else
// than its key (ErrInvalid). It keeps each barcode by its lookup key (an
// UPC-A as its EAN-13), the key a till's scan finds it by.
func checkProduct(p *catalog.Product) error {
	switch {
	case p.ID == "" || p.Name == "" || p.TaxGroup == "":
		return fmt.Errorf("product %q needs an ID, a name and a tax group: %w", p.ID, ErrInvalid)
	case p.Price < 0:
		return fmt.Errorf("product %s: a price cannot be negative (%d): %w", p.ID, p.Price, ErrInvalid)
	case p.PriceUnit < 0:
		return fmt.Errorf("product %s: a price unit cannot be negative (give how many units the price is for, or 0 for one): %w", p.ID, ErrInvalid)
	case p.Image != "" && !catalog.ValidImageKey(p.Image):
		return fmt.Errorf("product %s: image %q is not a picture's key (the SHA-256 of the picture, 64 lower-case hex digits): %w", p.ID, p.Image, ErrInvalid)
	}
	codes := make([]string, 0, len(p.Barcodes))
	for _, b := range p.Barcodes {
		key, err := barcode.Normalize(b)
		if err != nil {
			return fmt.Errorf("product %s: %v: %w", p.ID, err, ErrInvalid)
		}
		if !slices.Contains(codes, key) {
			codes = append(codes, key)
		}
	}
	if len(p.Barcodes) > 0 {
		p.Barcodes = codes
	}
	return nil
}

// chainTaxGroups is the tax groups the stores' setups know, which a
// product's tax group must be one of.
func chainTaxGroups(ctx context.Context, tx *sqlTx) (map[string]bool, error) {
	rows, err := tx.QueryContext(ctx, `SELECT payload FROM changes WHERE dataset = ? AND key = 'setup' AND deleted = 0`, api.DatasetConfig)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	groups := map[string]bool{}
	for rows.Next() {
		var raw []byte
		if err := rows.Scan(&raw); err != nil {
			return nil, err
		}
		var c api.Change
		if err := json.Unmarshal(raw, &c); err != nil || c.Setup == nil {
			return nil, fmt.Errorf("a store's setup on the server is unreadable: %v", err)
		}
		for id := range c.Setup.TaxGroups {
			groups[id] = true
		}
	}
	return groups, rows.Err()
}

// putProduct upserts one product, checked before, as a change of the
// products feed.
func putProduct(ctx context.Context, tx *sqlTx, p *catalog.Product) error {
	b, err := json.Marshal(p)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO products(id, payload) VALUES(?, ?) ON CONFLICT(id) DO UPDATE SET payload = excluded.payload`, p.ID, string(b)); err != nil {
		return err
	}
	// The product carries its price: an older price change is obsolete.
	if _, err := tx.ExecContext(ctx, `DELETE FROM changes WHERE dataset = ? AND store_id = '' AND key = ?`, api.DatasetPrices, p.ID); err != nil {
		return err
	}
	return change(ctx, tx, api.DatasetProducts, "", p.ID, false, api.Change{Key: p.ID, Product: new(apimap.ProductOf(*p))})
}

// DeleteProduct implements Storage.
func (s *DB) DeleteProduct(ctx context.Context, id string) error {
	return s.tx(ctx, func(tx *sqlTx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM products WHERE id = ?`, id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return fmt.Errorf("product %s: %w", id, ErrNotFound)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM changes WHERE dataset = ? AND key = ?`, api.DatasetPrices, id); err != nil {
			return err
		}
		return change(ctx, tx, api.DatasetProducts, "", id, true, api.Change{Key: id, Deleted: true})
	})
}

// SetPrices implements Storage.
func (s *DB) SetPrices(ctx context.Context, prices []api.PriceChange) error {
	return s.tx(ctx, func(tx *sqlTx) error {
		for _, pc := range prices {
			var raw string
			err := tx.QueryRowContext(ctx, `SELECT payload FROM products WHERE id = ?`, pc.ProductID).Scan(&raw)
			if errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("product %s: %w", pc.ProductID, ErrNotFound)
			}
			if err != nil {
				return err
			}
			if pc.Price < 0 {
				return fmt.Errorf("product %s: a price cannot be negative (%d): %w", pc.ProductID, pc.Price, ErrInvalid)
			}
			var p catalog.Product
			if err := json.Unmarshal([]byte(raw), &p); err != nil {
				return err
			}
			p.Price = money.Amount(pc.Price)
			b, err := json.Marshal(p)
			if err != nil {
				return fmt.Errorf("product %s: %w", p.ID, err)
			}
			if _, err := tx.ExecContext(ctx, `UPDATE products SET payload = ? WHERE id = ?`, string(b), p.ID); err != nil {
				return err
			}
			pc := pc
			if err := change(ctx, tx, api.DatasetPrices, "", p.ID, false, api.Change{Key: p.ID, Price: &pc}); err != nil {
				return err
			}
		}
		return nil
	})
}

// PutRole implements Storage.
func (s *DB) PutRole(ctx context.Context, r staff.Role) error {
	if err := checkRole(r); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sqlTx) error {
		return change(ctx, tx, api.DatasetStaff, "", "role:"+r.ID, false, api.Change{Key: "role:" + r.ID, Role: new(apimap.RoleOf(r))})
	})
}

// checkRole refuses a role a till could not use: without an ID or a name,
// naming an operation by a number below 1, or with limits below zero or
// discounts above 100 % (ErrInvalid).
func checkRole(r staff.Role) error {
	if r.ID == "" || r.Name == "" {
		return fmt.Errorf("role %q needs an ID and a name: %w", r.ID, ErrInvalid)
	}
	for _, p := range r.Permissions {
		if p < 1 {
			return fmt.Errorf("role %s: permission %d is not an operation's number (docs/operations.md lists them): %w", r.ID, p, ErrInvalid)
		}
	}
	l := r.Limits
	for _, f := range []struct {
		name  string
		v, mx int64
	}{{"max_line_discount_bp", l.MaxLineDiscountBP, 10000}, {"max_total_discount_bp", l.MaxTotalDiscountBP, 10000},
		{"max_price_override_bp", l.MaxPriceOverrideBP, 10000}, {"max_return_amount", l.MaxReturnAmount, -1}} {
		if f.v < 0 || (f.mx >= 0 && f.v > f.mx) {
			return fmt.Errorf("role %s: limits.%s is %d; give 0 to 10000 basis points (a return's amount: 0 or more minor units): %w", r.ID, f.name, f.v, ErrInvalid)
		}
	}
	return nil
}

// checkOperator refuses an operator without an ID, a name or a role
// (ErrInvalid).
func checkOperator(o staff.Operator) error {
	if o.ID == "" || o.Name == "" || o.RoleID == "" {
		return fmt.Errorf("operator %q needs an ID, a name and a role: %w", o.ID, ErrInvalid)
	}
	return nil
}

// PutOperator implements Storage.
func (s *DB) PutOperator(ctx context.Context, o staff.Operator) error {
	if err := checkOperator(o); err != nil {
		return err
	}
	if err := s.checkOperatorHash(ctx, o); err != nil {
		return err
	}
	o.FailedLogins, o.Locked = 0, false
	now := map[string]bool{}
	for _, st := range o.Stores {
		if st = strings.TrimSpace(st); st != "" {
			now[st] = true
		}
	}
	if len(now) == 0 {
		now[""] = true // every store
	}
	key := "operator:" + o.ID
	return s.tx(ctx, func(tx *sqlTx) error {
		for st := range now {
			if st == "" {
				continue
			}
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM stores WHERE id = ?`, st).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return fmt.Errorf("operator %s: store %s does not exist (create it first): %w", o.ID, st, ErrInvalid)
			}
		}
		// The stores the operator is published to now: a store that no
		// longer has the operator hears a deletion first, then the stores
		// that have it the operator (so a till of a store that stays gets
		// the deletion of the chain-wide copy before its own).
		rows, err := tx.QueryContext(ctx, `SELECT store_id FROM changes WHERE dataset = ? AND key = ? AND deleted = 0`, api.DatasetStaff, key)
		if err != nil {
			return err
		}
		var was []string
		for rows.Next() {
			var st string
			if err := rows.Scan(&st); err != nil {
				rows.Close()
				return err
			}
			was = append(was, st)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		slices.Sort(was)
		for _, st := range was {
			if !now[st] {
				if err := change(ctx, tx, api.DatasetStaff, st, key, true, api.Change{Key: key, Deleted: true}); err != nil {
					return err
				}
			}
		}
		stores := make([]string, 0, len(now))
		for st := range now {
			stores = append(stores, st)
		}
		slices.Sort(stores)
		for _, st := range stores {
			if err := change(ctx, tx, api.DatasetStaff, st, key, false, api.Change{Key: key, Operator: new(apimap.OperatorOf(o))}); err != nil {
				return err
			}
		}
		return nil
	})
}

// Feed implements Storage.
func (s *DB) Feed(ctx context.Context, storeID, dataset string, after int64, limit int, withCount bool) (api.Page, error) {
	page := api.Page{Dataset: dataset, Changes: []api.Change{}, NextCursor: after}
	var err error
	page.NextCursor, page.More, page.Remaining, err = s.feedRows(ctx, storeID, dataset, after, limit, withCount, func(seq int64, raw []byte) error {
		var c api.Change
		if err := json.Unmarshal(raw, &c); err != nil {
			return fmt.Errorf("change %d of %s is unreadable: %w", seq, dataset, err)
		}
		if dataset == api.DatasetStaff {
			if err := s.tillChange(ctx, storeID, &c); err != nil {
				return fmt.Errorf("change %d of %s: %w", seq, dataset, err)
			}
		}
		c.Seq = seq
		page.Changes = append(page.Changes, c)
		return nil
	})
	return page, err
}

// feedRows reads a feed's changes after a cursor, at most limit of them,
// handing each to fn in order; it returns the cursor after the last, whether
// more follow and (withCount) how many.
func (s *DB) feedRows(ctx context.Context, storeID, dataset string, after int64, limit int, withCount bool, fn func(seq int64, raw []byte) error) (next int64, more bool, remaining int64, err error) {
	next = after
	if err := s.sequence(ctx); err != nil {
		return next, false, 0, fmt.Errorf("numbering the feeds' new changes: %w", err)
	}
	f := s.d.feedSeq
	rows, err := s.r.QueryContext(ctx, `SELECT `+f+`, payload FROM changes WHERE dataset = ? AND `+f+` > ? AND store_id IN ('', ?)
		ORDER BY `+f+` LIMIT ?`, dataset, after, storeID, limit+1)
	if err != nil {
		return next, false, 0, err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var seq int64
		var raw []byte
		if err := rows.Scan(&seq, &raw); err != nil {
			return next, false, 0, err
		}
		if n == limit {
			more = true
			break
		}
		if err := fn(seq, raw); err != nil {
			return next, false, 0, err
		}
		n++
		next = seq
	}
	if err := rows.Err(); err != nil {
		return next, false, 0, err
	}
	rows.Close()
	if withCount {
		err = s.r.QueryRowContext(ctx, `SELECT count(*) FROM changes WHERE dataset = ? AND `+f+` > ? AND store_id IN ('', ?)`,
			dataset, next, storeID).Scan(&remaining)
	}
	return next, more, remaining, err
}

// RawPage is a feed page whose changes are their JSON as sent (api.Page's
// JSON, byte for byte).
type RawPage struct {
	Dataset    string            `json:"dataset"`
	Changes    []json.RawMessage `json:"changes"`
	NextCursor int64             `json:"next_cursor"`
	More       bool              `json:"more"`
	Remaining  int64             `json:"remaining"`
}

// RawFeed reports whether a dataset's changes go to every till as they are
// kept: the staff feed makes each store's PIN hashes and the config feed
// names each till, so those are decoded (Feed).
func RawFeed(dataset string) bool {
	return dataset != api.DatasetStaff && dataset != api.DatasetConfig
}

// seqZero is how every kept change begins: its sequence number is given
// when it is read.
var seqZero = []byte(`{"seq":0,`)

// FeedRaw implements Storage.
func (s *DB) FeedRaw(ctx context.Context, storeID, dataset string, after int64, limit int, withCount bool) (RawPage, error) {
	page := RawPage{Dataset: dataset, Changes: []json.RawMessage{}, NextCursor: after}
	if !RawFeed(dataset) {
		return page, fmt.Errorf("the %s feed is made for each till: read it with Feed", dataset)
	}
	var err error
	page.NextCursor, page.More, page.Remaining, err = s.feedRows(ctx, storeID, dataset, after, limit, withCount, func(seq int64, raw []byte) error {
		var out []byte
		if bytes.HasPrefix(raw, seqZero) && json.Valid(raw) {
			out = append(strconv.AppendInt([]byte(`{"seq":`), seq, 10), raw[len(seqZero)-1:]...)
		} else {
			// Kept in another form (an older server's): decoded and sent anew.
			var c api.Change
			if err := json.Unmarshal(raw, &c); err != nil {
				return fmt.Errorf("change %d of %s is unreadable: %w", seq, dataset, err)
			}
			c.Seq = seq
			var err error
			if out, err = json.Marshal(c); err != nil {
				return err
			}
		}
		page.Changes = append(page.Changes, out)
		return nil
	})
	return page, err
}

// Upload implements Storage.
func (s *DB) Upload(ctx context.Context, till TillInfo, kind, id string, payload []byte) (bool, time.Time, error) {
	hash := HashSecret(string(payload))
	var dup bool
	var received time.Time
	var rcfg report.Config
	if kind == api.KindTransaction {
		var err error
		if rcfg, err = s.reportCfgs.of(ctx, s.r, till.StoreID); err != nil {
			return false, time.Time{}, err
		}
	}
	err := s.tx(ctx, func(tx *sqlTx) error {
		// The feeds' changes are written last, each feed's in one
		// statement (flushChanges).
		tx.feedLast = true
		// Two server processes given the same record at once (a till
		// retrying after a lost reply) take turns: the second sees a
		// duplicate.
		if err := tx.lock(ctx, "upload:"+till.StoreID+"/"+id); err != nil {
			return err
		}
		var oldKind, oldHash, at string
		err := tx.QueryRowContext(ctx, `SELECT kind, payload_hash, received FROM uploads WHERE store_id = ? AND id = ?`, till.StoreID, id).Scan(&oldKind, &oldHash, &at)
		if err == nil {
			if oldKind != kind || oldHash != hash {
				return fmt.Errorf("%s %s was already uploaded with different content: %w", oldKind, id, ErrConflict)
			}
			dup = true
			received, _ = time.Parse(time.RFC3339Nano, at) // shown only; the upload is a duplicate either way
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if kind == api.KindTransaction {
			if err := matchEntry(ctx, tx, till.ID, id, payload); err != nil {
				return err
			}
		}
		if kind == api.KindCustomer {
			if err := mergeCustomer(ctx, tx, payload); err != nil {
				return err
			}
		}
		if kind == api.KindTransaction {
			if err := bookLoyalty(ctx, tx, id, payload); err != nil {
				return err
			}
			if err := bookValue(ctx, tx, id, payload); err != nil {
				return err
			}
			if err := indexSale(ctx, tx, till.StoreID, till.ID, id, payload); err != nil {
				return err
			}
			if err := bookReport(ctx, tx, rcfg, till.ID, payload); err != nil {
				return err
			}
		}
		received = time.Now().UTC()
		_, err = tx.ExecContext(ctx, `INSERT INTO uploads(store_id, id, kind, till_id, payload, payload_hash, received)
			VALUES(?, ?, ?, ?, ?, ?, ?)`,
			till.StoreID, id, kind, till.ID, string(payload), hash, received.Format(time.RFC3339Nano))
		if err == nil && kind == api.KindCustomer {
			// An erased customer's data is not kept, only the upload's
			// hash (a retry is still recognised).
			_, err = tx.ExecContext(ctx, `UPDATE uploads SET payload = '{}' WHERE store_id = ? AND id = ?
				AND EXISTS (SELECT 1 FROM erased_customers e WHERE e.id = `+tx.d.jsonText("uploads.payload", "customer", "id")+`)`, till.StoreID, id)
		}
		if err != nil {
			return err
		}
		// The stock last but the feeds: the products' figures are what the
		// tills of a store contend for (five tills selling the same
		// product lock the same figure), so each upload locks them only
		// for its last statements and the commit. Products in order
		// (bookStock), then the products an order reserves (bookOrder, after
		// the order's own lock). No path takes a card's or a value's lock
		// after a product's.
		if err := bookStock(ctx, tx, till, kind, id, payload); err != nil {
			return err
		}
		if err := bookOrder(ctx, tx, till, kind, payload); err != nil {
			return err
		}
		return flushChanges(ctx, tx)
	})
	return dup, received, err
}

// mergeCustomer merges an uploaded customer into the chain's copy, field
// by field (customer.Merge, the rule every till applies to the feed too),
// and publishes the result in the customers feed when it changed.
func mergeCustomer(ctx context.Context, tx *sqlTx, payload []byte) error {
	var up api.CustomerUpload
	if err := json.Unmarshal(payload, &up); err != nil {
		return fmt.Errorf("the customer upload is unreadable: %v: %w", err, ErrInvalid)
	}
	if err := apimap.CheckCustomer(up.Customer); err != nil {
		return fmt.Errorf("%v: %w", err, ErrInvalid)
	}
	in := apimap.CustomerFrom(up.Customer)
	if err := tx.lock(ctx, "customer:"+in.ID); err != nil {
		return err
	}
	var gone int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM erased_customers WHERE id = ?`, in.ID).Scan(&gone); err != nil {
		return err
	}
	if gone > 0 {
		// Erased: a till that saved the customer before it heard is
		// acknowledged, and its copy of the data dropped here too.
		_, err := tx.ExecContext(ctx, `UPDATE uploads SET payload = '{}' WHERE kind = ? AND `+tx.d.jsonText("payload", "customer", "id")+` = ?`, api.KindCustomer, in.ID)
		return err
	}
	merged := in
	var raw string
	err := tx.QueryRowContext(ctx, `SELECT payload FROM customers WHERE id = ?`, in.ID).Scan(&raw)
	switch {
	case err == nil:
		var cur api.Customer
		if err := json.Unmarshal([]byte(raw), &cur); err != nil {
			return fmt.Errorf("customer %s on the server is unreadable: %w", in.ID, err)
		}
		var changed bool
		old := apimap.CustomerFrom(cur)
		if merged, changed = customer.Merge(old, in); !changed {
			return nil
		}
		if old.MergedInto == "" && merged.MergedInto != "" && old.LoyaltyCard != "" {
			// merged into another customer: its points go with it
			if err := moveLoyalty(ctx, tx, in.ID, old.LoyaltyCard, merged.MergedInto); err != nil {
				return err
			}
		}
	case !errors.Is(err, sql.ErrNoRows):
		return err
	}
	w := apimap.CustomerOf(merged)
	b, err := json.Marshal(w)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO customers(id, payload) VALUES(?, ?) ON CONFLICT(id) DO UPDATE SET payload = excluded.payload`,
		w.ID, string(b)); err != nil {
		return err
	}
	return change(ctx, tx, api.DatasetCustomers, "", w.ID, false, api.Change{Key: w.ID, Customer: &w})
}

// bookLoyalty enters a completed transaction's loyalty points in the
// ledger (once: the upload itself is stored once) and publishes the card's
// new balance in the loyalty feed.
func bookLoyalty(ctx context.Context, tx *sqlTx, id string, payload []byte) error {
	var t struct {
		Status   string    `json:"status"`
		Store    string    `json:"store"`
		Terminal string    `json:"terminal"`
		Finished time.Time `json:"finished"`
		Loyalty  *struct {
			Card     string `json:"card"`
			Earned   int64  `json:"earned"`
			Redeemed int64  `json:"redeemed"`
		} `json:"loyalty"`
	}
	if err := json.Unmarshal(payload, &t); err != nil {
		return fmt.Errorf("the transaction is unreadable: %v: %w", err, ErrInvalid)
	}
	l := t.Loyalty
	if l == nil || t.Status != "completed" || (l.Earned == 0 && l.Redeemed == 0) {
		return nil
	}
	if l.Card == "" || l.Redeemed < 0 {
		return fmt.Errorf("transaction %s moves loyalty points without a card or redeems a negative number: %w", id, ErrInvalid)
	}
	// A merged duplicate's card books on the kept customer's card.
	card, err := movedCard(ctx, tx, l.Card)
	if err != nil {
		return err
	}
	l.Card = card
	// The card's balance is summed after the entry: entries of the same
	// card from other processes wait, so each published balance counts
	// every entry before it.
	if err := tx.lock(ctx, "card:"+l.Card); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO loyalty_ledger(txn_id, card, till, earned, redeemed, at) VALUES(?, ?, ?, ?, ?, ?)`,
		id, l.Card, t.Store+"/"+t.Terminal, l.Earned, l.Redeemed, t.Finished.UTC().Format(time.RFC3339Nano)); err != nil {
		return err
	}
	b, err := loyaltyBalance(ctx, tx, l.Card)
	if err != nil {
		return err
	}
	return change(ctx, tx, api.DatasetLoyalty, "", l.Card, false, api.Change{Key: l.Card, Loyalty: &b})
}

// countsByTill reads a query's (till, count) rows: how many of each till's
// entries a published figure includes.
func countsByTill(ctx context.Context, q interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}, query string, args ...any) (map[string]int64, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var till string
		var n int64
		if err := rows.Scan(&till, &n); err != nil {
			return nil, err
		}
		out[till] = n
	}
	return out, rows.Err()
}

// loyaltyBalance sums a card's ledger.
func loyaltyBalance(ctx context.Context, q interface {
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}, card string) (api.LoyaltyBalance, error) {
	b := api.LoyaltyBalance{Card: card, AsOf: time.Now().UTC(), Counted: map[string]int64{}}
	yearAgo := time.Now().UTC().AddDate(-1, 0, 0).Format(time.RFC3339Nano)
	if err := q.QueryRowContext(ctx, `SELECT coalesce(sum(earned - redeemed), 0), coalesce(sum(CASE WHEN at >= ? AND earned > 0 THEN earned ELSE 0 END), 0)
		FROM loyalty_ledger WHERE card = ?`, yearAgo, card).Scan(&b.Points, &b.Year); err != nil {
		return b, err
	}
	counted, err := countsByTill(ctx, q, `SELECT till, count(*) FROM loyalty_ledger WHERE card = ? GROUP BY till`, card)
	if err != nil {
		return b, err
	}
	b.Counted = counted
	b.Overdrawn = b.Points < 0
	return b, nil
}

// LoyaltyBalance returns a card's points in the ledger.
func (s *DB) LoyaltyBalance(ctx context.Context, card string) (api.LoyaltyBalance, error) {
	return loyaltyBalance(ctx, s.r, card)
}

// Overdrawn lists the cards whose ledger went below zero: points spent
// offline at two tills beyond what the card held, for the store to follow
// up (never hidden, never clipped).
func (s *DB) Overdrawn(ctx context.Context) ([]api.LoyaltyBalance, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT card FROM loyalty_ledger GROUP BY card HAVING sum(earned - redeemed) < 0 ORDER BY card`)
	if err != nil {
		return nil, err
	}
	var cards []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			rows.Close()
			return nil, err
		}
		cards = append(cards, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]api.LoyaltyBalance, 0, len(cards))
	for _, c := range cards {
		b, err := loyaltyBalance(ctx, s.r, c)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, nil
}

// Customer returns the chain's merged copy of a customer.
func (s *DB) Customer(ctx context.Context, id string) (api.Customer, error) {
	var raw string
	err := s.r.QueryRowContext(ctx, `SELECT payload FROM customers WHERE id = ?`, id).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return api.Customer{}, fmt.Errorf("no customer %s on the server: %w", id, ErrNotFound)
	}
	if err != nil {
		return api.Customer{}, err
	}
	var c api.Customer
	return c, json.Unmarshal([]byte(raw), &c)
}

// Uploads implements Storage.
func (s *DB) Uploads(ctx context.Context, kind string) ([]Upload, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT kind, id, till_id, payload, received FROM uploads WHERE ? = '' OR kind = ? ORDER BY arrival`, kind, kind)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Upload
	for rows.Next() {
		var u Upload
		var p, at string
		if err := rows.Scan(&u.Kind, &u.ID, &u.TillID, &p, &at); err != nil {
			return nil, err
		}
		u.Payload = json.RawMessage(p)
		u.Received, _ = time.Parse(time.RFC3339Nano, at) // shown only; the server writes it itself
		out = append(out, u)
	}
	return out, rows.Err()
}

// putKey registers pub as the till's journal key inside tx. With replace,
// another registered key is moved to the history (an activation); without,
// it is ErrKeyConflict.
func putKey(ctx context.Context, tx *sqlTx, tillID string, pub ed25519.PublicKey, replace bool) error {
	id := journal.KeyID(pub)
	var old, oldPub, reg string
	err := tx.QueryRowContext(ctx, `SELECT key_id, public_key, registered FROM till_keys WHERE till_id = ?`, tillID).Scan(&old, &oldPub, &reg)
	switch {
	case err == nil && old == id:
		return nil
	case err == nil && !replace:
		return fmt.Errorf("till %s has journal key %s registered, not %s: a replaced key is refused; if the till was set up anew, activate it again with a new code: %w",
			tillID, old, id, ErrKeyConflict)
	case err == nil:
		if _, err := tx.ExecContext(ctx, `INSERT INTO till_key_history(till_id, key_id, public_key, registered, replaced) VALUES(?, ?, ?, ?, ?)
			ON CONFLICT(till_id, key_id) DO UPDATE SET public_key = excluded.public_key, registered = excluded.registered, replaced = excluded.replaced`,
			tillID, old, oldPub, reg, now()); err != nil {
			return err
		}
	case !errors.Is(err, sql.ErrNoRows):
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO till_keys(till_id, key_id, public_key, registered) VALUES(?, ?, ?, ?)
		ON CONFLICT(till_id) DO UPDATE SET key_id = excluded.key_id, public_key = excluded.public_key, registered = excluded.registered`,
		tillID, id, journal.EncodePublic(pub), now())
	return err
}

// RegisterKey implements Storage.
func (s *DB) RegisterKey(ctx context.Context, tillID string, pub ed25519.PublicKey) (api.JournalHead, error) {
	err := s.tx(ctx, func(tx *sqlTx) error { return putKey(ctx, tx, tillID, pub, false) })
	if err != nil {
		return api.JournalHead{}, err
	}
	return s.JournalHead(ctx, tillID)
}

type queryRower interface {
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

// journalHead reads a till's key and chain head.
func journalHead(ctx context.Context, q queryRower, tillID string) (api.JournalHead, ed25519.PublicKey, error) {
	h := api.JournalHead{TillID: tillID}
	err := q.QueryRowContext(ctx, `SELECT key_id, public_key FROM till_keys WHERE till_id = ?`, tillID).Scan(&h.KeyID, &h.PublicKey)
	if errors.Is(err, sql.ErrNoRows) {
		return h, nil, nil
	}
	if err != nil {
		return h, nil, err
	}
	pub, err := journal.DecodePublic(h.PublicKey)
	if err != nil {
		return h, nil, fmt.Errorf("the registered key of till %s: %w", tillID, err)
	}
	var updated string
	err = q.QueryRowContext(ctx, `SELECT seq, hash, counter, updated FROM journal_heads WHERE till_id = ? AND key_id = ?`, tillID, h.KeyID).
		Scan(&h.Seq, &h.Hash, &h.Counter, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return h, pub, nil
	}
	h.Updated, _ = time.Parse(time.RFC3339Nano, updated) // shown only; the server writes it itself
	return h, pub, err
}

// JournalHead implements Storage.
func (s *DB) JournalHead(ctx context.Context, tillID string) (api.JournalHead, error) {
	h, _, err := journalHead(ctx, s.r, tillID)
	return h, err
}

// AppendJournal implements Storage.
func (s *DB) AppendJournal(ctx context.Context, tillID string, entries []journal.Entry) (api.JournalHead, int, error) {
	var head api.JournalHead
	var fresh []journal.Entry
	err := s.tx(ctx, func(tx *sqlTx) error {
		if err := tx.lock(ctx, "journal:"+tillID); err != nil {
			return err
		}
		cur, pub, err := journalHead(ctx, tx, tillID)
		if err != nil {
			return err
		}
		have := func(seq int64) (string, error) {
			var h string
			err := tx.QueryRowContext(ctx, `SELECT hash FROM journal_entries WHERE till_id = ? AND key_id = ? AND seq = ?`, tillID, cur.KeyID, seq).Scan(&h)
			return h, err
		}
		if fresh, head, err = checkJournal(tillID, cur, pub, entries, have); err != nil {
			return err
		}
		if len(fresh) == 0 {
			return nil
		}
		at := now()
		for _, e := range fresh {
			rec, err := json.Marshal(apimap.JournalEntryOf(e))
			if err != nil {
				return err
			}
			if err := matchUpload(ctx, tx, tillID, e); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO journal_entries(till_id, key_id, seq, hash, kind, txn_id, payload_sha256, record, received)
				VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				tillID, cur.KeyID, e.Seq, e.Hash, string(e.Kind), e.TxnID, e.PayloadDigest(), string(rec), at); err != nil {
				return err
			}
		}
		head.Updated, _ = time.Parse(time.RFC3339Nano, at) // written just above
		_, err = tx.ExecContext(ctx, `INSERT INTO journal_heads(till_id, key_id, seq, hash, counter, updated) VALUES(?, ?, ?, ?, ?, ?)
			ON CONFLICT(till_id, key_id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, counter = excluded.counter, updated = excluded.updated`,
			tillID, cur.KeyID, head.Seq, head.Hash, head.Counter, at)
		return err
	})
	if errors.Is(err, ErrJournal) {
		// Kept for the store manager (scaleunit till list); the refusal
		// itself is what the till hears.
		if aerr := s.setAlert(ctx, tillID, err.Error()); aerr != nil {
			err = errors.Join(err, aerr)
		}
	}
	return head, len(fresh), err
}

func (s *DB) setAlert(ctx context.Context, tillID, alert string) error {
	_, err := s.w.ExecContext(ctx, `INSERT INTO journal_heads(till_id, key_id, seq, hash, counter, updated, alert)
		SELECT till_id, key_id, 0, '', 0, ?, ? FROM till_keys WHERE till_id = ?
		ON CONFLICT(till_id, key_id) DO UPDATE SET alert = excluded.alert`, now(), alert, tillID)
	return err
}

// JournalAlert implements Storage.
func (s *DB) JournalAlert(ctx context.Context, tillID string) (string, error) {
	var alert string
	err := s.r.QueryRowContext(ctx, `SELECT h.alert FROM journal_heads h JOIN till_keys k ON k.till_id = h.till_id AND k.key_id = h.key_id
		WHERE h.till_id = ?`, tillID).Scan(&alert)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return alert, err
}

// digestOf is the journal's digest of a payload (journal.Entry.PayloadDigest).
func digestOf(payload []byte) string { return journal.Entry{Payload: payload}.PayloadDigest() }

// matchUpload holds a sale or void entry arriving in the journal against
// the transaction the till uploaded for it, if it has: the two are the
// same record, so a difference is an altered outbox (or journal).
func matchUpload(ctx context.Context, tx *sqlTx, tillID string, e journal.Entry) error {
	if (e.Kind != journal.Sale && e.Kind != journal.Void) || e.TxnID == "" {
		return nil
	}
	var payload string
	err := tx.QueryRowContext(ctx, `SELECT payload FROM uploads WHERE id = ? AND kind = ? AND till_id = ?`, e.TxnID, api.KindTransaction, tillID).Scan(&payload)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	if digestOf([]byte(payload)) != e.PayloadDigest() {
		return &JournalError{TillID: tillID, Seq: e.Seq, Reason: fmt.Sprintf(
			"records transaction %s with other content than the till uploaded for it: the till's outbox or journal was altered", e.TxnID)}
	}
	return nil
}

// matchEntry holds an uploaded transaction against its journal entry, if
// the server has it.
func matchEntry(ctx context.Context, tx *sqlTx, tillID, txnID string, payload []byte) error {
	var seq int64
	var digest string
	err := tx.QueryRowContext(ctx, `SELECT seq, payload_sha256 FROM journal_entries WHERE txn_id = ? AND till_id = ? AND kind IN ('sale', 'void')
		ORDER BY seq LIMIT 1`, txnID, tillID).Scan(&seq, &digest)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	if digest != digestOf(payload) {
		return fmt.Errorf("transaction %s differs from journal entry %d the server holds: the till's outbox was altered: %w", txnID, seq, ErrConflict)
	}
	return nil
}

// PutCustomers loads customers into the chain's copy (an import from
// another system, or the demo), each merged into the copy it has and
// published in the customers feed, in one transaction.
func (s *DB) PutCustomers(ctx context.Context, cs []api.Customer) error {
	for _, c := range cs {
		if err := apimap.CheckCustomer(c); err != nil {
			return fmt.Errorf("%v: %w", err, ErrInvalid)
		}
	}
	return s.tx(ctx, func(tx *sqlTx) error {
		for _, c := range cs {
			b, err := json.Marshal(api.CustomerUpload{ID: c.ID, Customer: c})
			if err != nil {
				return err
			}
			if err := mergeCustomer(ctx, tx, b); err != nil {
				return err
			}
		}
		return nil
	})
}

// CustomerExport is everything the chain holds about one customer, for
// their request to see it.
type CustomerExport struct {
	Customer     api.Customer        `json:"customer"`
	Transactions []string            `json:"transactions"` // receipt numbers of the transactions naming the customer
	Loyalty      *api.LoyaltyBalance `json:"loyalty,omitempty"`
	Exported     time.Time           `json:"exported"`
}

// ExportCustomer gathers what the chain holds about a customer (by ID or
// customer number).
func (s *DB) ExportCustomer(ctx context.Context, key string) (CustomerExport, error) {
	c, err := s.customerByKey(ctx, s.r, key)
	if err != nil {
		return CustomerExport{}, err
	}
	out := CustomerExport{Customer: c, Exported: time.Now().UTC(), Transactions: []string{}}
	rows, err := s.r.QueryContext(ctx, `SELECT coalesce(`+s.d.jsonText("payload", "receipt_no")+`, id) FROM uploads
		WHERE kind = ? AND `+s.d.jsonText("payload", "customer")+` = ? ORDER BY arrival`, api.KindTransaction, c.Number)
	if err != nil {
		return out, err
	}
	defer rows.Close()
	for rows.Next() {
		var no string
		if err := rows.Scan(&no); err != nil {
			return out, err
		}
		out.Transactions = append(out.Transactions, no)
	}
	if err := rows.Err(); err != nil {
		return out, err
	}
	if c.LoyaltyCard != "" {
		b, err := loyaltyBalance(ctx, s.r, c.LoyaltyCard)
		if err != nil {
			return out, err
		}
		out.Loyalty = &b
	}
	return out, nil
}

// EraseCustomer erases a customer (by ID or customer number) from the
// chain: the profile, notes and wish list go, every till is told to drop
// its copy (a removal in the customers feed), uploads still on their way
// are dropped when they arrive, and the transactions that named the
// customer keep their number but lose the name. It returns how many
// transactions were stripped. A till's own signed journal keeps its
// receipts as printed: fiscal records are kept as the law requires.
func (s *DB) EraseCustomer(ctx context.Context, key string) (int64, error) {
	var stripped int64
	err := s.tx(ctx, func(tx *sqlTx) error {
		c, err := s.customerByKey(ctx, tx, key)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO erased_customers(id, number, erased) VALUES(?, ?, ?) ON CONFLICT DO NOTHING`, c.ID, c.Number, now()); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM customers WHERE id = ?`, c.ID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM customer_purchases WHERE number = ?`, c.Number); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE uploads SET payload = '{}' WHERE kind = ? AND `+tx.d.jsonText("payload", "customer", "id")+` = ?`, api.KindCustomer, c.ID); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE uploads SET payload = `+tx.d.jsonRemove("payload", "customer_name")+`
			WHERE kind = ? AND `+tx.d.jsonText("payload", "customer")+` = ? AND `+tx.d.jsonText("payload", "customer_name")+` IS NOT NULL`, api.KindTransaction, c.Number)
		if err != nil {
			return err
		}
		if stripped, err = res.RowsAffected(); err != nil {
			return err
		}
		return change(ctx, tx, api.DatasetCustomers, "", c.ID, true, api.Change{Key: c.ID, Deleted: true})
	})
	return stripped, err
}

func (s *DB) customerByKey(ctx context.Context, q queryRower, key string) (api.Customer, error) {
	var raw string
	err := q.QueryRowContext(ctx, `SELECT payload FROM customers WHERE id = ?1 OR `+s.d.jsonText("payload", "number")+` = ?1 LIMIT 1`, key).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return api.Customer{}, fmt.Errorf("no customer %s on the server (give the ID or the customer number): %w", key, ErrNotFound)
	}
	if err != nil {
		return api.Customer{}, err
	}
	var c api.Customer
	return c, json.Unmarshal([]byte(raw), &c)
}
