package store_test

import (
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/opentill/opentill/offline/demo"
	"github.com/opentill/opentill/offline/store"
	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/journal"
)

// BenchmarkCustomerPage: a regular customer's page (profile, the last 50
// of their 500 purchases among 5,000 of the till, what they bought, the
// insights) from SQLite, beside BenchmarkBareLast50, the bare SELECT of
// their last 50 transactions.
func BenchmarkCustomerPage(b *testing.B) {
	reg, number, _ := customerPageStore(b)
	ds := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		t := time.Now()
		res, err := reg.Do(ctx, pos.CustomerDetails{ID: number})
		if err != nil || len(res.Page.Purchases) != 50 {
			b.Fatal(err)
		}
		ds = append(ds, time.Since(t))
	}
	reportPercentiles(b, ds)
}

func BenchmarkBareLast50(b *testing.B) {
	_, number, dir := customerPageStore(b)
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, store.FileName)+"?_pragma=query_only(1)")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	ds := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		t := time.Now()
		rows, err := db.Query(`SELECT id, receipt_no, total FROM transactions WHERE customer = ? ORDER BY finished DESC LIMIT 50`, number)
		if err != nil {
			b.Fatal(err)
		}
		for rows.Next() {
			var id, no string
			var total int64
			if err := rows.Scan(&id, &no, &total); err != nil {
				b.Fatal(err)
			}
		}
		rows.Close()
		ds = append(ds, time.Since(t))
	}
	reportPercentiles(b, ds)
}

func customerPageStore(b *testing.B) (*pos.Register, string, string) {
	b.Helper()
	s, dir := demoStore(b, 1000)
	c, err := s.SaveCustomer(ctx, stamped("c-regular", "", "Rita", "Regular", "", t0, "S0001/T01"), entry(journal.CustomerSaved, 612))
	if err != nil {
		b.Fatal(err)
	}
	for i := range 5000 {
		sl := sale(b, demo.Featured[i%20], demo.Featured[(i*7)%25], demo.Featured[(i*3)%30])
		sl.Finished = t0.Add(time.Duration(i) * time.Hour)
		if i%10 == 0 {
			sl.Customer = c.Number
		}
		if err := s.Commit(ctx, sl, entry(journal.Sale, 200)); err != nil {
			b.Fatal(err)
		}
	}
	roles, ops := demo.Staff()
	for _, r := range roles {
		if err := s.PutRole(ctx, r); err != nil {
			b.Fatal(err)
		}
	}
	for _, o := range ops {
		if err := s.PutOperator(ctx, o.Operator); err != nil {
			b.Fatal(err)
		}
	}
	setup, err := s.LoadSetup(ctx)
	if err != nil {
		b.Fatal(err)
	}
	reg := pos.NewRegister(setup, s, pos.Options{})
	if _, err := reg.Do(ctx, pos.SignIn{OperatorID: "2001", Secret: "2468"}); err != nil {
		b.Fatal(err)
	}
	return reg, c.Number, dir
}
