package scaleunit

// Report sums (SQLite schema 12, PostgreSQL migration 10): each uploaded
// transaction's figures (report.Contribution, the very code a till's
// reports run) kept as additive rows per store day and till, and its
// exceptions beside them, so that a store report over whole days adds up
// rows instead of reading every transaction of the period again
// (docs/reports.md).
//
// Each till adds to its own rows, so that uploads never wait for each
// other. A past day's rows of all tills are rolled up into one row per
// figure (report_rollup) by the first report that reads the day, and
// rolled up again whenever the day has taken uploads since: its count of
// entries (the counts section's eighth number, one per upload) tells.

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/report"
)

// reportSchema holds the sums and the exceptions, keyed by the store day
// (in the store's zone when the transaction arrived) and the till, so that
// two tills never update one row.
var reportSchema = []string{
	`CREATE TABLE IF NOT EXISTS report_sums (
    store_id TEXT NOT NULL,
    day      TEXT NOT NULL,
    till_id  TEXT NOT NULL,
    section  TEXT NOT NULL,
    key      TEXT NOT NULL,
    t0 TEXT NOT NULL DEFAULT '', t1 TEXT NOT NULL DEFAULT '', t2 TEXT NOT NULL DEFAULT '',
    ` + sumColumns(func(i int) string { return fmt.Sprintf("n%d BIGINT NOT NULL DEFAULT 0", i) }) + `,
    PRIMARY KEY (store_id, day, till_id, section, key))`,
	`CREATE INDEX IF NOT EXISTS report_sums_section ON report_sums(store_id, section, day)`,
	`CREATE TABLE IF NOT EXISTS report_rollup (
    store_id TEXT NOT NULL,
    day      TEXT NOT NULL,
    section  TEXT NOT NULL,
    key      TEXT NOT NULL,
    t0 TEXT NOT NULL DEFAULT '', t1 TEXT NOT NULL DEFAULT '', t2 TEXT NOT NULL DEFAULT '',
    ` + sumColumns(func(i int) string { return fmt.Sprintf("n%d BIGINT NOT NULL DEFAULT 0", i) }) + `,
    PRIMARY KEY (store_id, day, section, key))`,
	`CREATE TABLE IF NOT EXISTS report_exceptions (
    store_id  TEXT NOT NULL,
    day       TEXT NOT NULL,
    txn_id    TEXT NOT NULL,
    n         INTEGER NOT NULL,
    exception TEXT NOT NULL,
    PRIMARY KEY (store_id, day, txn_id, n))`,
}

// sumColumns joins f of each number column's index.
func sumColumns(f func(i int) string) string {
	cols := make([]string, report.SumWidth)
	for i := range cols {
		cols[i] = f(i)
	}
	return strings.Join(cols, ", ")
}

// reportStep is SQLite's step 11 -> 12: the tables, filled from the
// transactions uploaded before them.
func reportStep(ctx context.Context, tx *sql.Tx) error {
	if err := execAll(ctx, tx, reportSchema); err != nil {
		return err
	}
	return backfillReportSums(ctx, &sqlTx{Tx: tx, d: sqliteDialect})
}

// backfillReportSums books the sums of every transaction already uploaded.
func backfillReportSums(ctx context.Context, tx *sqlTx) error {
	rows, err := tx.QueryContext(ctx, `SELECT store_id, till_id, payload FROM uploads WHERE kind = ?`, api.KindTransaction)
	if err != nil {
		return err
	}
	type up struct{ store, till, payload string }
	var ups []up
	for rows.Next() {
		var u up
		if err := rows.Scan(&u.store, &u.till, &u.payload); err != nil {
			rows.Close()
			return err
		}
		ups = append(ups, u)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	cfgs := map[string]report.Config{}
	for _, u := range ups {
		cfg, ok := cfgs[u.store]
		if !ok {
			setup, err := storeSetupIn(ctx, tx, u.store)
			if err != nil && !errors.Is(err, ErrNotFound) {
				return err
			}
			cfg = report.Config{Store: u.store, Loc: zoneOf(setup.Header.TimeZone), TaxGroups: setup.TaxGroups}
			cfgs[u.store] = cfg
		}
		if err := bookReport(ctx, tx, cfg, u.till, []byte(u.payload)); err != nil {
			return err
		}
	}
	return nil
}

// txnEntry is an uploaded transaction as the journal entry its till
// wrote: a sale or a void, timed when it finished. Other states (and
// unreadable payloads, which the upload refuses first) have none.
func txnEntry(payload []byte) (journal.Entry, bool) {
	var t struct {
		ID        string    `json:"id"`
		ReceiptNo string    `json:"receipt_no"`
		Status    string    `json:"status"`
		Operator  string    `json:"operator"`
		Finished  time.Time `json:"finished"`
	}
	if json.Unmarshal(payload, &t) != nil || t.ID == "" {
		return journal.Entry{}, false
	}
	k := journal.Sale
	switch t.Status {
	case "completed":
	case "voided":
		k = journal.Void
	default:
		return journal.Entry{}, false
	}
	return journal.Entry{Time: t.Finished, Kind: k, TxnID: t.ID, ReceiptNo: t.ReceiptNo, Operator: t.Operator, Payload: payload}, true
}

// bookReport adds an uploaded transaction's sums to its store day's (once:
// the upload itself is stored once) and keeps its exceptions.
func bookReport(ctx context.Context, tx *sqlTx, cfg report.Config, tillID string, payload []byte) error {
	e, ok := txnEntry(payload)
	if !ok {
		return nil
	}
	c, err := report.Contribution(cfg, e)
	if err != nil {
		return fmt.Errorf("the transaction %s cannot be counted in the store's reports: %v: %w", e.TxnID, err, ErrInvalid)
	}
	day := report.StoreDay(e.Time, cfg.Loc)
	if err := bookSums(ctx, tx, cfg.Store, tillID, day, c.Sums()); err != nil {
		return err
	}
	return bookExceptions(ctx, tx, cfg.Store, day, e.TxnID, c.Exceptions)
}

// sumsPerStatement is how many sums one statement adds (PostgreSQL takes
// at most 65,535 parameters).
const sumsPerStatement = 1000

// bookSums adds sums to a till's store day.
func bookSums(ctx context.Context, tx *sqlTx, storeID, tillID, day string, sums []report.Sum) error {
	row := "(?, ?, ?, ?, ?, ?, ?, ?, " + strings.TrimSuffix(strings.Repeat("?, ", report.SumWidth), ", ") + ")"
	for len(sums) > 0 {
		part := sums[:min(len(sums), sumsPerStatement)]
		sums = sums[len(part):]
		var q strings.Builder
		q.WriteString(`INSERT INTO report_sums(store_id, day, till_id, section, key, t0, t1, t2, ` +
			sumColumns(func(i int) string { return fmt.Sprintf("n%d", i) }) + `) VALUES `)
		args := make([]any, 0, len(part)*(8+report.SumWidth))
		for i, s := range part {
			if i > 0 {
				q.WriteString(", ")
			}
			q.WriteString(row)
			args = append(args, storeID, day, tillID, string(s.Section), s.Key, s.Text[0], s.Text[1], s.Text[2])
			for _, n := range s.N {
				args = append(args, n)
			}
		}
		q.WriteString(` ON CONFLICT(store_id, day, till_id, section, key) DO UPDATE SET ` +
			sumColumns(func(i int) string { return fmt.Sprintf("n%d = report_sums.n%d + excluded.n%d", i, i, i) }))
		if _, err := tx.ExecContext(ctx, q.String(), args...); err != nil {
			return err
		}
	}
	return nil
}

// bookExceptions keeps a transaction's exceptions (once).
func bookExceptions(ctx context.Context, tx *sqlTx, storeID, day, txnID string, exc []report.Exception) error {
	for i, x := range exc {
		b, err := json.Marshal(x)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO report_exceptions(store_id, day, txn_id, n, exception) VALUES(?, ?, ?, ?, ?)
			ON CONFLICT DO NOTHING`, storeID, day, txnID, i, string(b)); err != nil {
			return err
		}
	}
	return nil
}

// summedReport is the data of the store's transactions over whole store
// days [from, to), from the sums: the past days' roll-ups (rolled up again
// first where stale) and today's and later days' sums of each till.
func (s *DB) summedReport(ctx context.Context, cfg report.Config, p report.Period) (*report.Data, error) {
	from, to := report.StoreDay(p.From, cfg.Loc), report.StoreDay(p.To, cfg.Loc)
	today := report.StoreDay(time.Now(), cfg.Loc)
	split := max(from, min(to, today)) // days before are rolled up
	if err := s.rollUp(ctx, cfg.Store, from, split); err != nil {
		return nil, err
	}
	sums, err := s.readSums(ctx, `report_rollup`, cfg.Store, from, split, nil)
	if err != nil {
		return nil, err
	}
	if sums, err = s.readSums(ctx, `report_sums`, cfg.Store, split, to, sums); err != nil {
		return nil, err
	}
	er, err := s.r.QueryContext(ctx, `SELECT exception FROM report_exceptions WHERE store_id = ? AND day >= ? AND day < ?`, cfg.Store, from, to)
	if err != nil {
		return nil, err
	}
	defer er.Close()
	var exc []report.Exception
	for er.Next() {
		var raw string
		if err := er.Scan(&raw); err != nil {
			return nil, err
		}
		var x report.Exception
		if err := json.Unmarshal([]byte(raw), &x); err != nil {
			return nil, fmt.Errorf("an exception kept for the store's reports is unreadable: %w", err)
		}
		exc = append(exc, x)
	}
	if err := er.Err(); err != nil {
		return nil, err
	}
	return report.FromSums(cfg, p, sums, exc, nil)
}

// readSums appends table's sums of the store's days [from, to), added up
// by section and key.
func (s *DB) readSums(ctx context.Context, table, storeID, from, to string, sums []report.Sum) ([]report.Sum, error) {
	if from >= to {
		return sums, nil
	}
	rows, err := s.r.QueryContext(ctx, `SELECT section, key, max(t0), max(t1), max(t2), `+
		sumColumns(func(i int) string { return fmt.Sprintf("CAST(sum(n%d) AS BIGINT)", i) })+`
		FROM `+table+` WHERE store_id = ? AND day >= ? AND day < ? GROUP BY section, key`, storeID, from, to)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var r report.Sum
		var sec string
		dest := []any{&sec, &r.Key, &r.Text[0], &r.Text[1], &r.Text[2]}
		for i := range r.N {
			dest = append(dest, &r.N[i])
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		r.Section = report.Section(sec)
		sums = append(sums, r)
	}
	return sums, rows.Err()
}

// entriesByDay counts each store day's uploads in [from, to) in table.
func (s *DB) entriesByDay(ctx context.Context, table, storeID, from, to string) (map[string]int64, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT day, CAST(sum(n7) AS BIGINT) FROM `+table+`
		WHERE store_id = ? AND section = ? AND day >= ? AND day < ? GROUP BY day`, storeID, string(report.SecCounts), from, to)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var day string
		var n int64
		if err := rows.Scan(&day, &n); err != nil {
			return nil, err
		}
		out[day] = n
	}
	return out, rows.Err()
}

// rollUpDays is how far back RollUpReports looks: a till offline longer
// than that has its old days rolled up by the first report that reads them.
const rollUpDays = 40

// RollUpReports implements Storage.
func (s *DB) RollUpReports(ctx context.Context) error {
	stores, err := s.Stores(ctx)
	if err != nil {
		return err
	}
	var errs []error
	for _, st := range stores {
		cfg, err := s.reportCfgs.of(ctx, s.r, st.ID)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		now := time.Now()
		errs = append(errs, s.rollUp(ctx, st.ID, report.StoreDay(now.AddDate(0, 0, -rollUpDays), cfg.Loc), report.StoreDay(now, cfg.Loc)))
	}
	return errors.Join(errs...)
}

// rollUp rolls up the store's days in [from, to) whose roll-up is missing
// or counts fewer uploads than the tills' sums.
func (s *DB) rollUp(ctx context.Context, storeID, from, to string) error {
	if from >= to {
		return nil
	}
	cur, err := s.entriesByDay(ctx, `report_sums`, storeID, from, to)
	if err != nil {
		return err
	}
	rolled, err := s.entriesByDay(ctx, `report_rollup`, storeID, from, to)
	if err != nil {
		return err
	}
	for day, n := range cur {
		if rolled[day] == n {
			continue
		}
		err := s.tx(ctx, func(tx *sqlTx) error {
			// One server rolls a day up at a time; the roll-up is one
			// statement, so its rows and its count are of one moment.
			if err := tx.lock(ctx, "report-rollup:"+storeID+"/"+day); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM report_rollup WHERE store_id = ? AND day = ?`, storeID, day); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO report_rollup(store_id, day, section, key, t0, t1, t2, `+
				sumColumns(func(i int) string { return fmt.Sprintf("n%d", i) })+`)
				SELECT store_id, day, section, key, max(t0), max(t1), max(t2), `+
				sumColumns(func(i int) string { return fmt.Sprintf("CAST(sum(n%d) AS BIGINT)", i) })+`
				FROM report_sums WHERE store_id = ? AND day = ? GROUP BY store_id, day, section, key`, storeID, day)
			return err
		})
		if err != nil {
			return fmt.Errorf("rolling up the report sums of %s, %s: %w", storeID, day, err)
		}
	}
	return nil
}

// reportConfigs remembers each store's report configuration by the
// sequence number of the setup it came from, so that an upload reads a
// number, not the whole setup, to know its store's zone and tax groups.
type reportConfigs struct {
	mu sync.Mutex
	m  map[string]reportConfig
}

type reportConfig struct {
	seq int64
	cfg report.Config
}

// of is the report configuration of a store from its current setup (UTC
// and no tax groups while it has none).
func (rc *reportConfigs) of(ctx context.Context, q queryRower, storeID string) (report.Config, error) {
	var seq int64
	err := q.QueryRowContext(ctx, `SELECT seq FROM changes WHERE dataset = ? AND store_id = ? AND key = 'setup' AND deleted = 0`,
		api.DatasetConfig, storeID).Scan(&seq)
	if errors.Is(err, sql.ErrNoRows) {
		return report.Config{Store: storeID, Loc: time.UTC}, nil
	}
	if err != nil {
		return report.Config{}, err
	}
	rc.mu.Lock()
	c, ok := rc.m[storeID]
	rc.mu.Unlock()
	if ok && c.seq == seq {
		return c.cfg, nil
	}
	setup, err := storeSetupIn(ctx, q, storeID)
	if err != nil {
		return report.Config{}, err
	}
	cfg := report.Config{Store: storeID, Loc: zoneOf(setup.Header.TimeZone), TaxGroups: setup.TaxGroups}
	rc.mu.Lock()
	if rc.m == nil {
		rc.m = map[string]reportConfig{}
	}
	rc.m[storeID] = reportConfig{seq: seq, cfg: cfg}
	rc.mu.Unlock()
	return cfg, nil
}
