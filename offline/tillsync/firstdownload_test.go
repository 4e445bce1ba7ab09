package tillsync_test

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/offline/apimap"
	"github.com/opentill/opentill/offline/demo"
	"github.com/opentill/opentill/offline/store"
	"github.com/opentill/opentill/offline/tillsync"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/money"
)

const firstDownloadHelperEnv = "OPENTILL_FIRSTDL_HELPER" // till data folder,page size

// feedCounter is a proxy in front of a server that counts the products feed
// requests by their cursor, so a test can tell how many pages were fetched
// more than once.
type feedCounter struct {
	URL string
	mu  sync.Mutex
	n   map[string]int
}

func countingProxy(t *testing.T, target string) *feedCounter {
	fc := &feedCounter{n: map[string]int{}}
	fc.URL = hostileServer(t, func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, api.PathFeeds+api.DatasetProducts) {
			fc.mu.Lock()
			fc.n[r.URL.Query().Get("after")]++
			fc.mu.Unlock()
		}
		req, _ := http.NewRequestWithContext(r.Context(), r.Method, target+r.URL.RequestURI(), r.Body)
		req.Header = r.Header.Clone()
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			c, _, _ := w.(http.Hijacker).Hijack()
			c.Close()
			return
		}
		defer resp.Body.Close()
		for k, v := range resp.Header {
			w.Header()[k] = v
		}
		w.WriteHeader(resp.StatusCode)
		_, _ = io.Copy(w, resp.Body)
	})
	return fc
}

// refetched returns the products feed pages requested more than once (a
// page is named by the cursor it was asked after) and the pages requested.
func (fc *feedCounter) refetched() (again, pages int) {
	fc.mu.Lock()
	defer fc.mu.Unlock()
	for _, n := range fc.n {
		again += n - 1
		pages++
	}
	return again, pages
}

// catalogSum is a checksum of a catalog: every product's ID, price and
// barcodes, in ID order.
func catalogSum(rows func(yield func(id string, price int64, codes string))) (int, string) {
	h := sha256.New()
	n := 0
	rows(func(id string, price int64, codes string) {
		fmt.Fprintf(h, "%s|%d|%s\n", id, price, codes)
		n++
	})
	return n, hex.EncodeToString(h.Sum(nil))
}

func queryRows(t *testing.T, path, q string, fn func(*sql.Rows)) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)&mode=ro")
	require.NoError(t, err)
	defer db.Close()
	rows, err := db.Query(q)
	require.NoError(t, err)
	defer rows.Close()
	for rows.Next() {
		fn(rows)
	}
	require.NoError(t, rows.Err())
}

// tillCatalog and serverCatalog return the product count and checksum of a
// till's store and of a server's current catalog.
func tillCatalog(t *testing.T, dir string) (int, string) {
	return catalogSum(func(yield func(string, int64, string)) {
		queryRows(t, filepath.Join(dir, store.FileName), `SELECT id, price, codes FROM products ORDER BY id`, func(r *sql.Rows) {
			var id, codes string
			var price int64
			require.NoError(t, r.Scan(&id, &price, &codes))
			yield(id, price, codes)
		})
	})
}

func serverCatalog(t *testing.T, s *server) (int, string) {
	// The products and prices feeds read from the start are the server's
	// catalog (on either storage backend).
	feed := func(ds string, fn func(api.Change)) {
		for after := int64(0); ; {
			page, err := s.St.Feed(ctx, demo.StoreID, ds, after, 5000, false)
			require.NoError(t, err)
			for _, c := range page.Changes {
				fn(c)
			}
			after = page.NextCursor
			if !page.More {
				break
			}
		}
	}
	return catalogSum(func(yield func(string, int64, string)) {
		byID := map[string]*catalog.Product{}
		feed(api.DatasetProducts, func(c api.Change) {
			if !c.Deleted {
				byID[c.Key] = new(apimap.ProductFrom(*c.Product))
			}
		})
		feed(api.DatasetPrices, func(c api.Change) {
			if p := byID[c.Key]; p != nil && c.Price != nil {
				p.Price = money.Amount(c.Price.Price)
			}
		})
		ps := make([]catalog.Product, 0, len(byID))
		for _, p := range byID {
			ps = append(ps, *p)
		}
		slices.SortFunc(ps, func(a, b catalog.Product) int { return strings.Compare(a.ID, b.ID) })
		for _, p := range ps {
			yield(p.ID, int64(p.Price), strings.Join(p.Barcodes, " "))
		}
	})
}

// changeServer changes the catalog on the server while a till's first
// download is interrupted: a product the till already has gets a new name
// and barcode (so it comes again later in the feed), another one a new
// price, a third is removed and a new product is added.
func changeServer(t *testing.T, s *server, renamed, repriced, removed string) {
	t.Helper()
	p := mustProduct(t, s, renamed)
	p.Name = "Quokkaberry Resumed Q" + renamed
	p.Barcodes = append(p.Barcodes, resumedCode("2990000", renamed))
	np := p
	np.ID, np.ItemID, np.Name, np.Barcodes = "R"+renamed, "R"+renamed, "Wombatfruit Added W"+renamed, []string{resumedCode("2991111", renamed)}
	require.NoError(t, s.St.PutProducts(ctx, []catalog.Product{p, np}))
	require.NoError(t, s.St.SetPrices(ctx, []api.PriceChange{{ProductID: repriced, Price: 4242}}))
	require.NoError(t, s.St.DeleteProduct(ctx, removed))
}

// resumedCode is a valid EAN-13 (the server refuses a barcode no scanner
// reads) after the 7-digit prefix, of the product ID's digits.
func resumedCode(prefix, id string) string {
	d := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, id)
	d = strings.Repeat("0", 5) + d
	return demo.EAN13(prefix + d[len(d)-5:])
}

// checkResumed checks a till after its first download completed: exactly
// the server's catalog, a complete search index that finds products.
func checkResumed(t *testing.T, s *server, tl *till, renamed string) {
	t.Helper()
	wantN, wantSum := serverCatalog(t, s)
	gotN, gotSum := tillCatalog(t, tl.Dir)
	assert.Equal(t, wantN, gotN, "product count")
	assert.Equal(t, wantSum, gotSum, "checksum of id/price/barcodes")
	pending, err := tl.St.CatalogLoadPending(ctx)
	require.NoError(t, err)
	assert.False(t, pending, "the search index was rebuilt")
	got, err := tl.St.Search(ctx, "quokkaberry resumed q"+renamed, 5)
	require.NoError(t, err)
	if assert.Len(t, got, 1) {
		assert.Equal(t, renamed, got[0].ID)
	}
	got, err = tl.St.Search(ctx, "wombatfruit w"+renamed, 5)
	require.NoError(t, err)
	assert.Len(t, got, 1)
	got, err = tl.St.Search(ctx, "laugen", 5)
	require.NoError(t, err)
	assert.NotEmpty(t, got)
	p, err := tl.St.ByBarcode(ctx, resumedCode("2990000", renamed))
	require.NoError(t, err)
	assert.Equal(t, renamed, p.ID)
}

// TestFirstDownloadResumesAfterCancel interrupts the first catalog download
// (the pass's context is cancelled) after the first page, in the middle and
// after the last page but before the search index is rebuilt; the server's
// catalog changes meanwhile. The till keeps exactly the committed pages,
// searches them by scanning, and the next pass continues from the cursor:
// the till ends with exactly the server's catalog and a complete index,
// and only a few pages are fetched twice.
func TestFirstDownloadResumesAfterCancel(t *testing.T) {
	const n, pageSize = 3000, 100
	s := startServer(t, n)
	for i, stopAt := range []int64{1, 13, -1} {
		name := fmt.Sprintf("after %d pages", stopAt)
		if stopAt < 0 {
			name = "after the last page before the index rebuild"
		}
		t.Run(name, func(t *testing.T) {
			feed := mustFeed(t, s)
			total := int64(len(feed))
			fc := countingProxy(t, s.URL)
			tl := newTill(t, s, fmt.Sprintf("C%02d", i), fc.URL)
			require.NoError(t, tl.Eng.Close())
			opt := fastOptions()
			opt.PageSize = pageSize
			cctx, cancel := context.WithCancel(ctx)
			defer cancel()
			opt.Progress = func(ds string, done, total int64) {
				if ds == api.DatasetProducts && (stopAt > 0 && done >= stopAt*pageSize || done == total) {
					cancel()
				}
			}
			eng, err := tillsync.Open(tl.Dir, tl.St, opt)
			require.NoError(t, err)
			require.Error(t, eng.Pass(cctx))
			require.NoError(t, eng.Close())

			have, err := tl.St.ProductCount(ctx)
			require.NoError(t, err)
			cur, err := tl.St.SyncCursor(ctx, api.DatasetProducts)
			require.NoError(t, err)
			assert.Positive(t, cur)
			var want, committed int64
			for _, c := range feed {
				if c.Seq <= cur {
					committed++
					if !c.Deleted {
						want++
					}
				}
			}
			assert.Equal(t, want, int64(have), "exactly the products of the committed pages")
			if stopAt > 0 {
				assert.Equal(t, stopAt*pageSize, committed, "the pages committed before the cancel")
			} else {
				assert.Equal(t, total, committed, "every page committed")
			}
			pending, err := tl.St.CatalogLoadPending(ctx)
			require.NoError(t, err)
			assert.True(t, pending)
			first := demo.Featured[0]
			got, err := tl.St.Search(ctx, strings.Fields(first.Name)[0], 5)
			require.NoError(t, err)
			assert.NotEmpty(t, got, "search falls back to a scan while the index is incomplete")
			againBefore, pagesBefore := fc.refetched()

			// The server changes products the till already has.
			renamed, repriced, removed := feed[10+i].Key, feed[20+i].Key, feed[30+i].Key
			changeServer(t, s, renamed, repriced, removed)

			opt.Progress = nil
			eng, err = tillsync.Open(tl.Dir, tl.St, opt)
			require.NoError(t, err)
			tl.Eng = eng
			require.NoError(t, eng.Pass(ctx))
			checkResumed(t, s, tl, renamed)
			again, pages := fc.refetched()
			t.Logf("interrupted after %d of %d changes (%d products committed); resume fetched %d pages, %d of them again",
				committed, total, have, pages-pagesBefore+(again-againBefore), again-againBefore)
			assert.LessOrEqual(t, again-againBefore, 5, "pages fetched twice")
		})
	}
}

func mustFeed(t *testing.T, s *server) []api.Change {
	t.Helper()
	page, err := s.St.Feed(ctx, demo.StoreID, api.DatasetProducts, 0, 1_000_000, false)
	require.NoError(t, err)
	return page.Changes
}

// TestFirstDownloadResumesAfterSIGKILL kills (SIGKILL) a re-executed till
// process in the middle of its first catalog download several times — right
// after it starts, and after a few and after many committed pages — and
// changes the server's catalog meanwhile. Every restart continues from the
// last committed page; in the end the till holds exactly the server's
// catalog, searchable, and few pages were fetched twice.
func TestFirstDownloadResumesAfterSIGKILL(t *testing.T) {
	if os.Getenv(firstDownloadHelperEnv) != "" {
		t.Skip("helper process")
	}
	const n, pageSize = 20_000, 100
	s := startServer(t, n)
	feed := mustFeed(t, s)
	renamed := feed[11].Key
	fc := countingProxy(t, s.URL)
	dir := t.TempDir()
	st, err := store.Open(dir)
	require.NoError(t, err)
	_, err = tillsync.Activate(ctx, st, s.URL, s.code(t, "K01"), "kill test")
	require.NoError(t, err)
	cfg, err := tillsync.LoadConfig(ctx, st)
	require.NoError(t, err)
	cfg.URL = fc.URL
	require.NoError(t, st.PutSetting(ctx, tillsync.SettingKey, cfg))
	require.NoError(t, st.Close())

	kills := 0
	lastCommitted := int64(0)
	for round, pagesBeforeKill := range []int{0, 3, 40, 1, 60} {
		h := startHelper(t, "TestFirstDownloadHelper", fmt.Sprintf("%s=%s,%d", firstDownloadHelperEnv, dir, pageSize))
		deadline := time.Now().Add(60 * time.Second)
		finished := false
		for {
			h.mu.Lock()
			lines := append([]string(nil), h.lines...)
			h.mu.Unlock()
			pages := 0
			for _, l := range lines {
				if strings.HasPrefix(l, "page ") {
					pages++
				}
				if l == "done" {
					finished = true
				}
			}
			if finished || pages >= pagesBeforeKill || time.Now().After(deadline) {
				break
			}
			time.Sleep(time.Millisecond)
		}
		h.kill()
		if finished {
			t.Logf("round %d: the download completed before the kill", round)
			break
		}
		kills++
		ts, err := store.Open(dir)
		require.NoError(t, err)
		cur, err := ts.SyncCursor(ctx, api.DatasetProducts)
		require.NoError(t, err)
		have, err := ts.ProductCount(ctx)
		require.NoError(t, err)
		require.NoError(t, ts.Close())
		assert.GreaterOrEqual(t, cur, lastCommitted, "the cursor never goes back")
		lastCommitted = cur
		t.Logf("round %d: SIGKILLed after %d+ committed pages of this run; the till has %d products at cursor %d", round, pagesBeforeKill, have, cur)
		if round == 2 {
			changeServer(t, s, renamed, feed[12].Key, feed[13].Key)
		}
	}
	// Finish with a clean pass.
	ts, err := store.Open(dir)
	require.NoError(t, err)
	eng, err := tillsync.Open(dir, ts, fastOptions())
	require.NoError(t, err)
	tl := &till{Dir: dir, St: ts, Eng: eng}
	t.Cleanup(func() { eng.Close(); ts.Close() })
	require.NoError(t, eng.Pass(ctx))
	checkResumed(t, s, tl, renamed)
	again, pages := fc.refetched()
	t.Logf("%d SIGKILLs during the first download of %d products in pages of %d: %d pages fetched, %d of them again (%.1f per kill)",
		kills, n, pageSize, pages+again, again, float64(again)/float64(max(kills, 1)))
	assert.LessOrEqual(t, again, 6*kills, "pages fetched twice")
}

// TestFirstDownloadHelper runs one sync pass of the till in its data folder,
// printing "page N" after each committed page, until it is killed.
func TestFirstDownloadHelper(t *testing.T) {
	env := os.Getenv(firstDownloadHelperEnv)
	if env == "" {
		t.Skip("run by TestFirstDownloadResumesAfterSIGKILL")
	}
	dir, size, _ := strings.Cut(env, ",")
	st, err := store.Open(dir)
	require.NoError(t, err)
	opt := fastOptions()
	fmt.Sscan(size, &opt.PageSize)
	pages := 0
	opt.Progress = func(ds string, done, total int64) {
		if ds == api.DatasetProducts {
			pages++
			fmt.Println("page", pages, done, total)
		}
	}
	var eng *tillsync.Engine
	for i := 0; i < 200; i++ { // the killed till's lock is released by the kernel
		if eng, err = tillsync.Open(dir, st, opt); err == nil {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	require.NoError(t, err)
	fmt.Println("ready")
	require.NoError(t, eng.Pass(ctx))
	fmt.Println("done")
	time.Sleep(time.Hour)
}
