package tillsync

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/gofrs/flock"

	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/offline/apimap"
	"github.com/opentill/opentill/offline/secretfile"
	"github.com/opentill/opentill/offline/store"
	"github.com/opentill/opentill/pos/poserr"
)

// SettingKey is the till setting that holds its Config.
const SettingKey = "sync"

// LockFile is the file in the data folder that one pusher holds locked.
const LockFile = "sync.lock"

// TokenFile is the file in the till's data folder that holds its bearer
// token (mode 0600): the database holds no secret.
const TokenFile = "sync.token"

// Config is what a till knows of its store server: saved in its settings,
// except the token, which is kept in TokenFile.
type Config struct {
	URL        string `json:"url"`
	Token      string `json:"-"`
	TillID     string `json:"till_id"`
	StoreID    string `json:"store_id"`
	TerminalID string `json:"terminal_id"`
}

// LoadConfig reads the till's server settings and its token; a till never
// activated gets an error of kind poserr.NotFound. A token an older OpenTill
// kept in the settings is moved to TokenFile (the settings keep it until
// they are next saved without it).
func LoadConfig(ctx context.Context, st *store.Store) (Config, error) {
	var c Config
	if err := st.Setting(ctx, SettingKey, &c); err != nil {
		if poserr.Is(err, poserr.NotFound) {
			return c, poserr.Wrap(err, poserr.NotFound, "error.sync.not_activated",
				"the till is not connected to a store server: enter the server URL and an activation code in the settings")
		}
		return c, err
	}
	path := filepath.Join(st.Dir(), TokenFile)
	b, err := secretfile.Read(path)
	switch {
	case err == nil:
		c.Token = strings.TrimSpace(string(b))
		return c, nil
	case !errors.Is(err, fs.ErrNotExist):
		return c, poserr.Wrap(err, poserr.Storage, "error.sync.token", "reading the till's store-server token %s", path)
	}
	var legacy struct {
		Token string `json:"token"`
	}
	if err := st.Setting(ctx, SettingKey, &legacy); err != nil {
		return c, err
	}
	if legacy.Token == "" {
		return c, poserr.E(poserr.NotFound, "error.sync.token_missing",
			"the till's store-server token %s is missing: activate the till again with a new code from the store manager", path)
	}
	if st.ReadOnly() {
		c.Token = legacy.Token
		return c, nil
	}
	if err := secretfile.Replace(path, []byte(legacy.Token)); err != nil {
		return c, poserr.Wrap(err, poserr.Storage, "error.sync.token", "moving the till's store-server token to %s", path)
	}
	c.Token = legacy.Token
	return c, nil
}

// SaveConfig saves the server settings and writes the token to TokenFile.
func SaveConfig(ctx context.Context, st *store.Store, cfg Config) error {
	path := filepath.Join(st.Dir(), TokenFile)
	if err := secretfile.Replace(path, []byte(cfg.Token)); err != nil {
		return poserr.Wrap(err, poserr.Storage, "error.sync.token", "saving the till's store-server token to %s", path)
	}
	return st.PutSetting(ctx, SettingKey, cfg)
}

// Activate registers the till with the server at serverURL using a one-time
// code, registering its journal key, and saves the server URL, the till's
// token and its store's PIN pepper (offline/store.PepperFile).
func Activate(ctx context.Context, st *store.Store, serverURL, code, deviceName string) (Config, error) {
	c, err := NewClient(serverURL, "", ClientOptions{})
	if err != nil {
		return Config{}, err
	}
	a, err := c.Activate(ctx, code, deviceName, st.PublicKey())
	if err != nil {
		return Config{}, err
	}
	// The pepper before the settings: a till that says it is activated
	// holds its store's pepper (or got none from an older server).
	if a.PINPepper != "" {
		p, err := DecodePepper(a.PINPepper) // checked by Client.Activate
		if err != nil {
			return Config{}, err
		}
		if err := st.SetPINPepper(ctx, p); err != nil {
			return Config{}, err
		}
	}
	cfg := Config{URL: serverURL, Token: a.Token, TillID: a.TillID, StoreID: a.StoreID, TerminalID: a.TerminalID}
	if err := SaveConfig(ctx, st, cfg); err != nil {
		return Config{}, err
	}
	return cfg, nil
}

// State is the till's connectivity as the UI shows it.
type State int

// States.
const (
	// Offline: the server cannot be reached (or the till is not activated).
	// The till sells as usual; the outbox grows.
	Offline State = iota
	// Online: the last exchange with the server succeeded.
	Online
	// Degraded: the server answers but fails or refuses (5xx, a conflicting
	// record, a deactivated till, unusable replies).
	Degraded
)

// String returns online, offline or degraded.
func (s State) String() string {
	switch s {
	case Online:
		return "online"
	case Degraded:
		return "degraded"
	}
	return "offline"
}

// Status is what the UI's sync indicator shows.
type Status struct {
	State     State
	Activated bool
	Server    string
	Pending   int64     // outbox records waiting for the server (the parked ones too)
	Parked    int64     // of those, records the server refused as invalid, set aside (posctl sync parked)
	Syncing   bool      // a pass is running
	Dataset   string    // the feed being pulled, while pulling
	Done      int64     // changes of Dataset applied in this pass
	Total     int64     // changes of Dataset in this pass (0 if unknown)
	LastSync  time.Time // end of the last pass that completed
	LastError string    // the last failure, "" after a good pass
}

// Options tune an Engine. Zero values take the defaults.
type Options struct {
	Interval   time.Duration // between passes when idle; default 30 s
	MaxBackoff time.Duration // cap of the backoff between failed passes; default 60 s
	PageSize   int           // feed page size; default api.DefaultPageSize
	Client     ClientOptions
	Logger     *slog.Logger
	// Progress, if set, is called while pulling: dataset, changes applied in
	// this pass and the total (0 if unknown).
	Progress func(dataset string, done, total int64)
	// Retention is how long acknowledged outbox records keep their
	// payload before a pass purges it (the journal keeps everything);
	// 0 = DefaultRetention, negative = never.
	Retention time.Duration
}

// DefaultRetention is how long acknowledged outbox records are kept whole.
const DefaultRetention = 30 * 24 * time.Hour

// purgeEvery is how often a pass purges at most.
const purgeEvery = time.Hour

// ErrLocked is returned by Open when another process syncs the data folder.
var ErrLocked = errors.New("another OpenTill process is already syncing this data folder")

// Engine syncs one till's data folder with its store server. Only one
// Engine can hold a data folder at a time (a file lock). It is safe for
// concurrent use.
type Engine struct {
	dir  string // the data folder
	st   *store.Store
	opt  Options
	log  *slog.Logger
	lock *flock.Flock

	passMu sync.Mutex // one pass at a time

	mu     sync.Mutex
	status Status
	subs   map[int]func(Status)
	nextID int
	kick   chan struct{}
	stop   chan struct{}
	done   chan struct{}

	purged time.Time // the last purge of acknowledged records (passes only)
}

// Open takes the sync lock of the data folder dir (whose store is st) and
// returns an idle Engine; Start runs it in the background, Pass runs one
// pass. ErrLocked (wrapped) if another process holds the folder.
func Open(dir string, st *store.Store, opt Options) (*Engine, error) {
	if opt.Interval <= 0 {
		opt.Interval = 30 * time.Second
	}
	if opt.MaxBackoff <= 0 {
		opt.MaxBackoff = 60 * time.Second
	}
	if opt.PageSize <= 0 || opt.PageSize > api.MaxPageSize {
		opt.PageSize = api.DefaultPageSize
	}
	if opt.Retention == 0 {
		opt.Retention = DefaultRetention
	}
	log := opt.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if err := os.MkdirAll(dir, store.DirMode); err != nil {
		return nil, fmt.Errorf("creating the data folder %s: %w", dir, err)
	}
	lk := flock.New(filepath.Join(dir, LockFile))
	ok, err := lk.TryLock()
	if err != nil {
		return nil, fmt.Errorf("locking %s for sync: %w", lk.Path(), err)
	}
	if !ok {
		return nil, fmt.Errorf("%s: %w (close the other till or posctl sync first)", dir, ErrLocked)
	}
	if opt.Client.Logger == nil {
		opt.Client.Logger = log
	}
	e := &Engine{dir: dir, st: st, opt: opt, log: log, lock: lk, subs: map[int]func(Status){}, kick: make(chan struct{}, 1)}
	if cfg, err := LoadConfig(context.Background(), st); err == nil {
		e.status.Activated, e.status.Server = true, cfg.URL
	}
	// The count is only shown; the outbox itself is what gets pushed.
	if n, _, err := st.OutboxCount(context.Background()); err != nil {
		log.Warn("counting the outbox for the sync status", "error", err)
	} else {
		e.status.Pending = n
	}
	if n, err := st.OutboxParkedCount(context.Background()); err == nil {
		e.status.Parked = n
	}
	return e, nil
}

// Status returns the current status.
func (e *Engine) Status() Status {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.status
}

// Subscribe calls fn with the current status now and after every change
// (from the engine's goroutine: fn must not block; hand it to the UI
// thread). The returned function unsubscribes.
func (e *Engine) Subscribe(fn func(Status)) (cancel func()) {
	e.mu.Lock()
	id := e.nextID
	e.nextID++
	e.subs[id] = fn
	st := e.status
	e.mu.Unlock()
	fn(st)
	return func() {
		e.mu.Lock()
		delete(e.subs, id)
		e.mu.Unlock()
	}
}

func (e *Engine) update(fn func(*Status)) {
	e.mu.Lock()
	fn(&e.status)
	st := e.status
	subs := make([]func(Status), 0, len(e.subs))
	for _, f := range e.subs {
		subs = append(subs, f)
	}
	e.mu.Unlock()
	for _, f := range subs {
		f(st)
	}
}

// PendingChanged tells the engine the outbox grew (after a sale) so the
// pending count updates and a push starts soon.
func (e *Engine) PendingChanged() {
	n, _, err := e.st.OutboxCount(context.Background())
	if err == nil {
		e.update(func(s *Status) { s.Pending = n })
	} else {
		e.log.Warn("counting the outbox for the sync status", "error", err)
	}
	e.SyncNow()
}

// SyncNow asks the background loop for a pass now (it returns at once).
func (e *Engine) SyncNow() {
	select {
	case e.kick <- struct{}{}:
	default:
	}
}

// Start runs passes in the background: every Interval, at SyncNow, and
// after a failure again after a capped exponential backoff with jitter.
func (e *Engine) Start() {
	e.mu.Lock()
	if e.stop != nil {
		e.mu.Unlock()
		return
	}
	e.stop, e.done = make(chan struct{}), make(chan struct{})
	e.mu.Unlock()
	go e.loop(e.stop, e.done)
}

func (e *Engine) loop(stop <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		<-stop
		cancel()
	}()
	failures := 0
	for {
		err := e.Pass(ctx)
		wait := e.opt.Interval
		if err != nil && ctx.Err() == nil {
			failures++
			wait = Backoff(failures, time.Second, e.opt.MaxBackoff)
			e.log.Warn("sync pass failed", "error", err, "retry_in", wait)
		} else {
			failures = 0
		}
		t := time.NewTimer(wait)
		select {
		case <-stop:
			t.Stop()
			return
		case <-e.kick:
			t.Stop()
		case <-t.C:
		}
	}
}

// Backoff returns the wait before retry number n (1, 2, …): exponential from
// base, capped at max, with full jitter in its upper half.
func Backoff(n int, base, max time.Duration) time.Duration {
	d := base
	for i := 1; i < n && d < max; i++ {
		d *= 2
	}
	if d > max {
		d = max
	}
	return d/2 + rand.N(d/2+1)
}

// Close stops the background loop (a pass in flight is cancelled; whatever
// it committed stays) and releases the data folder's lock.
func (e *Engine) Close() error {
	e.mu.Lock()
	stop, done := e.stop, e.done
	e.stop = nil
	e.mu.Unlock()
	if stop != nil {
		close(stop)
		<-done
	}
	e.passMu.Lock()
	defer e.passMu.Unlock()
	return e.lock.Unlock()
}

// Result counts what a pass did.
type Result struct {
	Pushed    int              // outbox records acknowledged
	Journaled int64            // journal entries the server accepted
	Pulled    map[string]int64 // changes applied per dataset
	Pending   int64            // outbox records still waiting
}

// Pass runs one sync pass: push the whole outbox, pull every dataset, then
// upload the journal entries the server does not hold yet. It returns the
// first failure (after updating the status).
func (e *Engine) Pass(ctx context.Context) error {
	_, err := e.PassResult(ctx)
	return err
}

// PassResult is Pass, returning what it did.
func (e *Engine) PassResult(ctx context.Context) (Result, error) {
	e.passMu.Lock()
	defer e.passMu.Unlock()
	res := Result{Pulled: map[string]int64{}}
	cfg, err := LoadConfig(ctx, e.st)
	if err != nil {
		e.update(func(s *Status) { s.State, s.Activated, s.LastError = Offline, false, err.Error() })
		return res, err
	}
	c, err := NewClient(cfg.URL, cfg.Token, e.opt.Client)
	if err != nil {
		e.update(func(s *Status) { s.State, s.LastError = Degraded, err.Error() })
		return res, err
	}
	e.update(func(s *Status) { s.Syncing, s.Activated, s.Server = true, true, cfg.URL })
	err = e.checkIn(ctx, c)
	if err == nil {
		res.Pushed, err = e.push(ctx, c)
	}
	switch KindOf(err) {
	case 0:
		if err == nil {
			err = e.pull(ctx, c, res.Pulled)
		}
	case Refused, BadReply:
		// The server is there but will not take this record (a conflict
		// for a person to look at): the record stays queued, and prices,
		// staff and configuration still come down.
		if pullErr := e.pull(ctx, c, res.Pulled); pullErr != nil {
			e.log.Warn("sync pull failed after a refused push", "error", pullErr)
		}
	}
	if err == nil || KindOf(err) == Refused {
		// The journal goes up whether or not a record was refused: it is
		// what shows the server that nothing was taken away.
		var jerr error
		res.Journaled, jerr = e.pushJournal(ctx, c, cfg)
		if err == nil {
			err = jerr
		} else if jerr != nil {
			e.log.Warn("journal upload failed after a refused push", "error", jerr)
		}
	}
	e.purge() // the server's answer this pass does not matter: these it acknowledged before
	pending, _, cerr := e.st.OutboxCount(context.Background())
	parked, perr := e.st.OutboxParkedCount(context.Background())
	if cerr != nil || perr != nil {
		// The shown count keeps its last value rather than claiming 0.
		e.log.Warn("counting the outbox after a sync pass", "error", errors.Join(cerr, perr))
	}
	e.update(func(s *Status) {
		s.Syncing, s.Dataset, s.Done, s.Total = false, "", 0, 0
		if cerr == nil && perr == nil {
			s.Pending, s.Parked = pending, parked
		}
		res.Pending = s.Pending
		if err == nil {
			s.State, s.LastSync, s.LastError = Online, time.Now(), ""
			return
		}
		s.LastError = err.Error()
		switch KindOf(err) {
		case Unreachable:
			s.State = Offline
		default:
			s.State = Degraded
		}
	})
	return res, err
}

// notePepper keeps the store's PIN pepper a check-in brought, if it is
// not the one the till holds: a till activated before peppers gets it so,
// and one whose server's PIN key changed gets the new one. A pepper the
// till cannot keep fails the pass, which shows why.
func (e *Engine) notePepper(ctx context.Context, sent string) error {
	if sent == "" {
		return nil // a server older than peppers
	}
	p, err := DecodePepper(sent)
	if err != nil {
		return &Error{Kind: BadReply, Op: "checking in with the store server", Status: 200, Msg: "the check-in reply's pin_pepper: " + err.Error()}
	}
	have, err := e.st.PINPepper(ctx)
	if err != nil && !poserr.Is(err, poserr.Storage) {
		return err
	}
	if err == nil && bytes.Equal(have, p) {
		return nil
	}
	// A damaged pepper file is replaced by the server's.
	if err := e.st.SetPINPepper(ctx, p); err != nil {
		return err
	}
	if have == nil {
		e.log.Info("the store's PIN pepper arrived with the check-in", "pepper", p.ID())
	} else {
		e.log.Warn("the store server sent another PIN pepper: kept it; operators whose PINs were set with the old one sign in again once the staff feed brings their new hashes", "pepper", p.ID(), "was", have.ID())
	}
	return nil
}

// checkIn tells the server this till's version and pending count, and
// keeps the store's PIN pepper the reply brings (notePepper). Only an
// unreachable server, or a pepper the till cannot keep, fails the pass
// (the push would wait out the same timeouts); a server older than v0.2.0
// has no check-in (404), and any other failure is logged and the push
// goes on, which reports a real refusal.
func (e *Engine) checkIn(ctx context.Context, c *Client) error {
	pending, _, err := e.st.OutboxCount(ctx)
	if err != nil {
		e.log.Warn("counting the outbox for the check-in", "error", err)
		pending = 0
	}
	rep, err := c.CheckIn(ctx, pending)
	var ce *Error
	switch {
	case err == nil:
		return e.notePepper(ctx, rep.PINPepper)
	case KindOf(err) == Unreachable:
		return err
	case errors.As(err, &ce) && ce.Status == http.StatusNotFound:
		e.log.Debug("the store server has no check-in (older than v0.2.0); syncing without it")
	default:
		e.log.Warn("check-in failed; syncing on", "error", err)
	}
	return nil
}

// push sends the outbox one record at a time, oldest first, and marks each
// acknowledged only after the server acknowledged its ID. It stops at the
// first failure, so records are never sent out of order.
func (e *Engine) push(ctx context.Context, c *Client) (int, error) {
	pushed := 0
	// Stock counts counted since the last pass go out as each device's
	// running totals (a retry counts nothing twice).
	if _, err := e.st.FlushCounts(ctx); err != nil {
		return 0, err
	}
	for {
		items, err := e.st.OutboxPending(ctx, 1)
		if err != nil {
			return pushed, err
		}
		if len(items) == 0 {
			return pushed, nil
		}
		it := items[0]
		rep, err := c.Upload(ctx, it.Kind, it.ID, it.Payload)
		var ce *Error
		if errors.As(err, &ce) && ce.Kind == Refused && (ce.Status == http.StatusBadRequest || ce.Status == http.StatusConflict) {
			// The server says this record itself is invalid, or that it
			// holds other content under its ID: sending it again cannot
			// help, and it must not hold back the records behind it. It is
			// kept, parked, for a person to look at.
			if perr := e.st.OutboxPark(context.Background(), it.ID, err.Error()); perr != nil {
				return pushed, perr
			}
			e.log.Warn("the store server refused a record as invalid; parked it and went on", "kind", it.Kind, "id", it.ID, "error", err)
			e.update(func(s *Status) { s.Parked++ })
			continue
		}
		if err != nil {
			if ctx.Err() == nil {
				// Only the attempt count and last error shown beside the
				// record; the record stays queued either way.
				if ferr := e.st.OutboxFailed(context.Background(), it.ID, err.Error()); ferr != nil {
					e.log.Warn("recording a failed push", "id", it.ID, "error", ferr)
				}
			}
			return pushed, err
		}
		if err := e.st.OutboxAck(ctx, it.ID); err != nil {
			return pushed, err
		}
		pushed++
		e.log.Debug("pushed", "kind", it.Kind, "id", it.ID, "duplicate", rep.Duplicate)
		e.update(func(s *Status) {
			if s.Pending > 0 {
				s.Pending--
			}
			s.State = Online
		})
	}
}

// journalBatchBytes bounds one journal upload (entries written before the
// till signed carry their payloads).
const journalBatchBytes = 1 << 20

// pushJournal compares the head the server holds of the till's journal with
// the till's own chain, then uploads the entries after it in order, in
// batches the server checks as they arrive (exactly once: an entry it has is
// acknowledged again if it is the same). A server head the till's chain
// does not hold (a dropped tail, a rewritten chain) or a key other than the
// till's is a Refused error: it needs a person, and the store manager sees
// it on the server too.
func (e *Engine) pushJournal(ctx context.Context, c *Client, cfg Config) (int64, error) {
	op := "uploading the journal"
	g := e.st.Signing()
	h, err := c.JournalHead(ctx, cfg.TillID)
	if err != nil {
		return 0, err
	}
	if h.KeyID == "" {
		if h, err = c.RegisterKey(ctx, cfg.TillID, e.st.PublicKey()); err != nil {
			return 0, err
		}
	}
	if h.KeyID != g.KeyID {
		return 0, &Error{Kind: Refused, Op: op, Code: api.CodeKeyConflict, Msg: fmt.Sprintf(
			"the server has journal key %s registered for till %s, but this till signs with key %s: the till's key was replaced; the store manager must look at it and activate the till again with a new code",
			h.KeyID, cfg.TillID, g.KeyID)}
	}
	local, err := e.st.JournalHead(ctx)
	if err != nil {
		return 0, err
	}
	if h.Seq > local.Seq {
		return 0, &Error{Kind: Refused, Op: op, Code: api.CodeJournal, Msg: fmt.Sprintf(
			"the server holds the till's journal up to entry %d, but the till's own ends at entry %d: the till's journal lost its tail (run posctl journal verify on the data folder)", h.Seq, local.Seq)}
	}
	if h.Seq > 0 {
		es, err := e.st.JournalPage(ctx, h.Seq, 1)
		if err != nil {
			return 0, err
		}
		if len(es) == 0 || es[0].Hash != h.Hash {
			return 0, &Error{Kind: Refused, Op: op, Code: api.CodeJournal, Msg: fmt.Sprintf(
				"entry %d of the till's journal differs from the copy the server holds: the till's journal was rewritten (run posctl journal verify on the data folder)", h.Seq)}
		}
	}
	var sent int64
	for from := h.Seq + 1; from <= local.Seq; {
		es, err := e.st.JournalPage(ctx, from, api.MaxJournalBatch)
		if err != nil {
			return sent, err
		}
		if len(es) == 0 {
			break
		}
		b := api.JournalBatch{}
		size := 0
		for _, je := range es {
			w := apimap.JournalEntryOf(je)
			n, err := json.Marshal(w)
			if err != nil {
				return sent, fmt.Errorf("encoding journal entry %d: %w", je.Seq, err)
			}
			if len(b.Entries) > 0 && size+len(n) > journalBatchBytes {
				break
			}
			size += len(n)
			b.Entries = append(b.Entries, w)
		}
		first, last := b.Entries[0].Seq, b.Entries[len(b.Entries)-1].Seq
		b.ID = api.JournalBatchID(g.KeyID, first, last)
		got, err := c.UploadJournal(ctx, b)
		if err != nil {
			return sent, err
		}
		if got.Seq != last {
			return sent, &Error{Kind: BadReply, Op: op, Status: 200, Msg: fmt.Sprintf("the server acknowledged journal entries up to %d, not %d", got.Seq, last)}
		}
		sent += last - first + 1
		from = last + 1
		e.log.Debug("journal uploaded", "from", first, "to", last)
	}
	return sent, nil
}

// pull pulls every dataset from its cursor until the server has no more,
// applying each page in one transaction.
func (e *Engine) pull(ctx context.Context, c *Client, counts map[string]int64) error {
	for _, ds := range api.Datasets {
		cur, err := e.st.SyncCursor(ctx, ds)
		if err != nil {
			return err
		}
		if ds == api.DatasetProducts {
			bulk, err := e.st.CatalogLoadPending(ctx)
			if err != nil {
				return err
			}
			if !bulk && cur == 0 {
				have, err := e.st.ProductCount(ctx)
				if err != nil {
					return err
				}
				bulk = have == 0
			}
			if bulk {
				n, err := e.firstDownload(ctx, c, cur)
				counts[ds] = n
				if err != nil {
					return err
				}
				continue
			}
		}
		var done, total int64
		first := true
		for {
			p, err := c.Feed(ctx, ds, cur, e.opt.PageSize, first)
			if err != nil {
				return err
			}
			if first {
				total = int64(len(p.Changes)) + p.Remaining
				first = false
			}
			if len(p.Changes) == 0 && p.NextCursor == cur {
				break
			}
			if err := e.st.ApplyPage(ctx, ds, p.Changes, p.NextCursor); err != nil {
				return err
			}
			cur = p.NextCursor
			done += int64(len(p.Changes))
			counts[ds] = done
			if e.opt.Progress != nil {
				e.opt.Progress(ds, done, total)
			}
			e.update(func(s *Status) { s.Dataset, s.Done, s.Total = ds, done, total })
			if !p.More {
				break
			}
		}
	}
	counts[imagesCount] = int64(e.pullImages(ctx, c))
	counts[extensionsCount] = int64(e.installExtensions(ctx, c))
	return nil
}

// imagesCount is the Result.Pulled entry of the product pictures fetched.
const imagesCount = "images"

// imagesPerPass bounds the pictures one sync pass fetches, so a catalog's
// first pictures never hold up the sales behind them.
const imagesPerPass = 500

// pullImages fetches the pictures the till's products name and it does not
// hold yet, each checked against its key before it is kept. Pictures only
// decorate: one the server lacks or sends damaged is logged and asked for
// again at the next pass, and none of it fails the pass.
func (e *Engine) pullImages(ctx context.Context, c *Client) int {
	keys, err := e.st.MissingImages(ctx, imagesPerPass)
	if err != nil {
		e.log.Warn("listing the product pictures to fetch", "error", err)
		return 0
	}
	n := 0
	for _, k := range keys {
		data, err := c.Image(ctx, k)
		if err == nil {
			_, err = e.st.PutImage(ctx, data)
		}
		if err != nil {
			e.log.Warn("product picture not fetched; the next sync asks again", "key", k, "error", err)
			if KindOf(err) == Unreachable {
				break
			}
			continue
		}
		n++
	}
	return n
}

// firstDownload pulls the products feed into a till without products (or
// resumes such a download from cursor cur) in the store's bulk-load mode:
// a second goroutine fetches pages ahead while each page is committed
// together with the feed cursor in one transaction (store.ApplyCatalogPage),
// without search index maintenance; at the end of the feed the search index
// is rebuilt once (store.FinishCatalogLoad). After a failure or a crash the
// till keeps every page it committed and the next pass continues from the
// cursor, refetching only the pages that were fetched but not committed;
// search falls back to scanning names until the download completes.
func (e *Engine) firstDownload(ctx context.Context, c *Client, cur int64) (int64, error) {
	ds := api.DatasetProducts
	start := cur
	if cur > 0 {
		e.log.Info("resuming the first catalog download", "cursor", cur)
	}
	ictx, cancel := context.WithCancel(ctx)
	defer cancel()
	type fetched struct {
		p     *api.Page
		total int64
	}
	pages := make(chan fetched, 3)
	var fetchErr error
	go func() {
		defer close(pages)
		after := cur
		var total int64
		for first := true; ; first = false {
			p, err := c.Feed(ictx, ds, after, e.opt.PageSize, first)
			if err != nil {
				fetchErr = err
				return
			}
			if first {
				total = int64(len(p.Changes)) + p.Remaining
			}
			after = p.NextCursor
			select {
			case pages <- fetched{p, total}:
			case <-ictx.Done():
				return
			}
			if !p.More {
				return
			}
		}
	}()
	var done int64
	nPages := 0
	var applyErr error
	for f := range pages {
		if applyErr != nil {
			continue // let the fetcher stop
		}
		p := f.p
		if len(p.Changes) == 0 && p.NextCursor == cur {
			continue
		}
		if err := e.st.ApplyCatalogPage(ctx, p.Changes, p.NextCursor); err != nil {
			applyErr = err
			cancel()
			continue
		}
		cur = p.NextCursor
		nPages++
		done += int64(len(p.Changes))
		if e.opt.Progress != nil {
			e.opt.Progress(ds, done, f.total)
		}
		d, t := done, f.total
		e.update(func(s *Status) { s.Dataset, s.Done, s.Total = ds, d, t })
	}
	if applyErr != nil {
		return done, applyErr
	}
	if fetchErr != nil {
		return done, fetchErr
	}
	if err := ctx.Err(); err != nil {
		return done, err
	}
	t0 := time.Now()
	if err := e.st.FinishCatalogLoad(ctx); err != nil {
		return done, err
	}
	e.log.Info("first catalog download complete", "from_cursor", start, "cursor", cur, "pages", nPages, "changes", done,
		"index_rebuild", time.Since(t0).Round(time.Millisecond))
	return done, nil
}

// Activate registers the till with the server at serverURL using a one-time
// code (see the package-level Activate), updates the status and starts a
// pass. The settings screen calls it.
func (e *Engine) Activate(ctx context.Context, serverURL, code, deviceName string) (Config, error) {
	cfg, err := Activate(ctx, e.st, serverURL, code, deviceName)
	if err != nil {
		e.update(func(s *Status) { s.LastError = err.Error() })
		return cfg, err
	}
	e.update(func(s *Status) { s.Activated, s.Server, s.LastError = true, cfg.URL, "" })
	e.SyncNow()
	return cfg, nil
}

// Availability asks the server for a product's stock in this store and its
// sister stores. It needs the network: offline it fails with an error of
// kind Unreachable, which the UI shows as "not available offline".
func (e *Engine) Availability(ctx context.Context, productID string) (api.Availability, error) {
	c, err := e.lookupClient(ctx)
	if err != nil {
		return api.Availability{}, err
	}
	return c.Availability(ctx, productID)
}

// lookupClient is a client for a lookup the register asks for (stock in
// other stores, a customer's history), outside the sync pass.
func (e *Engine) lookupClient(ctx context.Context) (*Client, error) {
	cfg, err := LoadConfig(ctx, e.st)
	if err != nil {
		return nil, err
	}
	return NewClient(cfg.URL, cfg.Token, e.opt.Client)
}

// purge drops the payload of outbox records acknowledged longer ago than
// the retention, at most once per purgeEvery (called inside a pass).
func (e *Engine) purge() {
	if e.opt.Retention < 0 || time.Since(e.purged) < purgeEvery {
		return
	}
	e.purged = time.Now()
	n, err := e.st.OutboxPurge(context.Background(), time.Now().Add(-e.opt.Retention))
	if err != nil {
		e.log.Warn("purging acknowledged outbox records", "error", err)
		return
	}
	if n > 0 {
		e.log.Info("purged acknowledged outbox records", "records", n, "older than", e.opt.Retention)
	}
}

// Parked lists the records the store server refused, parked in the outbox.
func (e *Engine) Parked(ctx context.Context) ([]store.OutboxItem, error) {
	return e.st.OutboxParked(ctx)
}

// Requeue puts a parked record back in the queue and asks for a pass.
func (e *Engine) Requeue(ctx context.Context, id string) error {
	if err := e.st.OutboxRequeue(ctx, id); err != nil {
		return err
	}
	if n, err := e.st.OutboxParkedCount(ctx); err == nil {
		e.update(func(s *Status) { s.Parked = n })
	}
	e.SyncNow()
	return nil
}
