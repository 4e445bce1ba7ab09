package report_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"codeberg.org/go-pdf/fpdf"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/store"
	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/report"
	"github.com/opentill/opentill/pos/report/render"
	"github.com/opentill/opentill/pos/shift"
	"github.com/opentill/opentill/ui/l10n"
)

// monthTxns is the size of the benchmark's month: 30,000 transactions on
// one till (1,000 a day).
const monthTxns = 30_000

var (
	monthOnce sync.Once
	monthDir  string
	monthErr  error
)

// month returns a SQLite store holding the trading days plus November 2026
// on one till: n transactions copied from the trading day's real carts
// (promotions, discounts, returns and all) over 30 days from 8:00 to 20:00,
// a void and a no-sale every 50, and a closed shift with its Z each day.
// The rows go into the journal in one transaction, hash-chained as the
// till writes them; built once per test binary.
func month(t testing.TB) *store.Store {
	t.Helper()
	monthOnce.Do(func() { monthDir, monthErr = buildMonth(t, monthTxns) })
	require.NoError(t, monthErr)
	s, err := store.Open(monthDir)
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	return s
}

func buildMonth(t testing.TB, n int) (string, error) {
	ts := trading(t)
	ctx := context.Background()
	var sales, voids []cart.Cart
	var zs []shift.Report
	err := ts.Entries(ctx, time.Time{}, time.Now().AddDate(10, 0, 0), func(e journal.Entry) error {
		var c cart.Cart
		switch e.Kind {
		case journal.Sale, journal.Void:
			if err := json.Unmarshal(e.Payload, &c); err != nil {
				return err
			}
			if e.Kind == journal.Sale {
				sales = append(sales, c)
			} else {
				voids = append(voids, c)
			}
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	if zs, err = ts.ClosedShifts(ctx, time.Time{}, time.Now().AddDate(10, 0, 0)); err != nil {
		return "", err
	}
	dir, err := os.MkdirTemp("", "opentill-month-")
	if err != nil {
		return "", err
	}
	if err := copyDir(ts.dir, dir); err != nil {
		return "", err
	}
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, store.FileName)+"?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)")
	if err != nil {
		return "", err
	}
	defer db.Close()
	tx, err := db.Begin()
	if err != nil {
		return "", err
	}
	defer tx.Rollback() //nolint:errcheck // after Commit it is a no-op
	var seq int64
	var hash string
	if err := tx.QueryRow(`SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1`).Scan(&seq, &hash); err != nil {
		return "", err
	}
	ins, err := tx.Prepare(`INSERT INTO journal(seq, time, kind, op, txn_id, receipt_no, operator, approver, payload, prev_hash, hash) VALUES(?,?,?,?,?,?,?,?,?,?,?)`)
	if err != nil {
		return "", err
	}
	add := func(e journal.Entry) error {
		journal.Seal(&e, seq, hash)
		seq, hash = e.Seq, e.Hash
		_, err := ins.Exec(e.Seq, e.Time.UTC().Format(time.RFC3339Nano), string(e.Kind), e.Operation, e.TxnID, e.ReceiptNo, e.Operator, e.Approver,
			string(e.Payload), e.PrevHash, e.Hash)
		return err
	}
	perDay := n / 30
	step := 12 * time.Hour / time.Duration(perDay)
	no := 1000
	for day := 0; day < 30; day++ {
		open := time.Date(2026, 11, 1+day, 8, 0, 0, 0, berlin)
		sh := fmt.Sprintf("month-%02d", day+1)
		for i := 0; i < perDay; i++ {
			at := open.Add(time.Duration(i) * step)
			k := journal.Sale
			c := sales[(day*perDay+i)%len(sales)]
			if i%50 == 49 {
				k, c = journal.Void, voids[0]
			}
			c.ID, c.Shift, c.Started, c.Finished = uuid.NewString(), sh, at.Add(-time.Minute), at
			no++
			c.ReceiptNo = fmt.Sprintf("S0001-T01-%06d", no)
			p, err := json.Marshal(c)
			if err != nil {
				return "", err
			}
			if err := add(journal.Entry{Time: at, Kind: k, Operation: 0, TxnID: c.ID, ReceiptNo: c.ReceiptNo, Operator: c.Operator, Payload: p}); err != nil {
				return "", err
			}
			if i%50 == 25 {
				m, _ := json.Marshal(shift.Movement{Shift: sh, Kind: shift.NoSale, Operator: c.Operator, Terminal: c.Terminal, Time: at, Reason: "change"})
				if err := add(journal.Entry{Time: at.Add(time.Second), Kind: journal.CashMovement, Operation: 1000, Operator: c.Operator, Payload: m}); err != nil {
					return "", err
				}
			}
		}
		z := zs[day%len(zs)]
		z.Shift, z.Opened, z.At = sh, open, open.Add(12*time.Hour)
		zb, _ := json.Marshal(z)
		shb, _ := json.Marshal(shift.Shift{ID: sh, Store: "S0001", Terminal: "T01", Status: shift.Closed, OpenedBy: z.OpenedBy, Opened: open, Closed: z.At})
		if _, err := tx.Exec(`INSERT INTO shifts(id, store_id, terminal_id, status, opened_at, closed_at, start_seq, payload, z_report) VALUES(?, 'S0001', 'T01', 'closed', ?, ?, ?, ?, ?)`,
			sh, open.UTC().Format("2006-01-02T15:04:05.000000000Z07:00"), z.At.UTC().Format("2006-01-02T15:04:05.000000000Z07:00"), seq, string(shb), string(zb)); err != nil {
			return "", err
		}
	}
	return dir, tx.Commit()
}

func copyDir(from, to string) error {
	entries, err := os.ReadDir(from)
	if err != nil {
		return err
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(from, e.Name()))
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(to, e.Name()), b, 0o600); err != nil {
			return err
		}
	}
	return nil
}

func monthConfig(s *store.Store) report.Config {
	setup, _ := s.LoadSetup(context.Background())
	return report.Config{Store: setup.StoreID, StoreName: setup.StoreName, Currency: setup.Currency,
		Tenders: setup.TenderTypes, TaxGroups: setup.TaxGroups, Loc: berlin}
}

var november = report.Month(time.Date(2026, 11, 15, 12, 0, 0, 0, berlin), berlin)

// The month holds its 30,000 transactions, the Z of every day, and its
// summary draws 4 charts on a PDF; UPDATE_EXAMPLES=1 writes it to
// docs/examples/report-month.pdf.
func TestMonthReport(t *testing.T) {
	s := month(t)
	set, err := report.Run(context.Background(), s, monthConfig(s), november, true)
	require.NoError(t, err)
	d := set.Cur
	// The trading days (26 and 27 November: 11 transactions, a void, three
	// closed shifts) are in the month too.
	assert.Equal(t, monthTxns/50+1, d.Voids)
	assert.Equal(t, monthTxns-monthTxns/50+11, d.Total.Transactions)
	assert.Len(t, d.OverShort, 33)
	doc := set.Doc(report.Summary, time.Date(2026, 12, 1, 7, 0, 0, 0, berlin))
	assert.Len(t, doc.Charts, 4)
	var buf bytes.Buffer
	pages, err := render.PDF(&buf, &doc, l10n.Must("en"))
	require.NoError(t, err)
	assert.Equal(t, 2, pages)
	if os.Getenv("UPDATE_EXAMPLES") != "" {
		require.NoError(t, os.WriteFile("../../docs/examples/report-month.pdf", buf.Bytes(), 0o644))
	}
}

// BenchmarkMonth measures a month's report on one till (30,000
// transactions in SQLite) beside a bare scan of the same journal rows.
func BenchmarkMonth(b *testing.B) {
	s := month(b)
	ctx := context.Background()
	cfg := monthConfig(s)
	b.Run("baseline=bare-journal-scan", func(b *testing.B) {
		defer cpuPerOp(b)()
		for b.Loop() {
			n := 0
			require.NoError(b, s.Entries(ctx, november.From, november.To, func(journal.Entry) error { n++; return nil }))
		}
	})
	b.Run("report=aggregate", func(b *testing.B) {
		defer cpuPerOp(b)()
		for b.Loop() {
			_, err := report.Aggregate(ctx, s, cfg, november)
			require.NoError(b, err)
		}
	})
	b.Run("report=compared-all-13-docs", func(b *testing.B) {
		defer cpuPerOp(b)()
		for b.Loop() {
			set, err := report.Run(ctx, s, cfg, november, true)
			require.NoError(b, err)
			for _, n := range report.Names {
				set.Doc(n, november.To)
			}
		}
	})
}

// BenchmarkPDF measures the month's summary PDF (4 charts, 2 pages)
// beside a bare fpdf document of one page of text.
func BenchmarkPDF(b *testing.B) {
	s := month(b)
	set, err := report.Run(context.Background(), s, monthConfig(s), november, true)
	require.NoError(b, err)
	doc := set.Doc(report.Summary, november.To)
	en := l10n.Must("en")
	b.Run("baseline=bare-fpdf-page", func(b *testing.B) {
		defer cpuPerOp(b)()
		for b.Loop() {
			pdf := fpdf.New("P", "mm", "A4", "")
			pdf.AddPage()
			pdf.SetFont("Helvetica", "", 10)
			for i := range 40 {
				pdf.CellFormat(0, 5, fmt.Sprint("line ", i), "", 1, "L", false, 0, "")
			}
			var buf bytes.Buffer
			require.NoError(b, pdf.Output(&buf))
		}
	})
	b.Run("report=summary-4-charts", func(b *testing.B) {
		defer cpuPerOp(b)()
		for b.Loop() {
			var buf bytes.Buffer
			_, err := render.PDF(&buf, &doc, en)
			require.NoError(b, err)
		}
	})
}

// cpuPerOp reports the process's CPU time per operation beside the wall
// time: on a machine shared with others the wall time waits for their work
// too. Call the function it returns when the loop is done.
func cpuPerOp(b *testing.B) func() {
	cpu := func() time.Duration {
		var ru syscall.Rusage
		_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru) // a zero reading only spoils the metric
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	start := cpu()
	return func() {
		if b.N > 0 {
			b.ReportMetric(float64((cpu()-start)/time.Duration(b.N))/1e6, "cpu-ms/op")
		}
	}
}
