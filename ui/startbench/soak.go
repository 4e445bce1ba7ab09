package startbench

import (
	"fmt"
	"runtime"
	"time"

	"fyne.io/fyne/v2"
)

// Seller is what the soak drives: a till that can also ring up and take
// cash as a cashier does (ui/drive.go).
type Seller interface {
	Till
	Scan(code string)
	OpenPayment(amount string)
	PayCash()
	CloseDialog()
}

// SoakCodes are the demo store's barcodes the soak rings up, one sale each
// round (a product twice, so a line's quantity changes too).
var SoakCodes = []string{"4000000000082", "4000000000150", "4000000000143", "4000000000082", "4000000000150"}

// soakSample is how often the soak reads the process's memory.
var soakSample = time.Minute

// Soak signs in as AfterStart does, then sells for d: one sale of the
// SoakCodes paid in cash every `every`, reading the resident memory each
// minute. It prints soak_rss_5min_kb (at five minutes, or at the end of a
// shorter soak), soak_rss_end_kb, soak_peak_rss_kb, soak_growth_pct (the end
// against five minutes; the target is ≤ 10) and soak_sales, and quits.
func Soak(a fyne.App, till Seller, d, every time.Duration) {
	a.Lifecycle().SetOnStarted(func() {
		go func() {
			start := time.Now()
			fyne.DoAndWait(func() {
				till.SignIn("1001", "1234")
				if till.Screen() == "shift" {
					till.OpenShift("100.00")
				}
				till.OpenSell()
			})
			var at5 int64
			sales := 0
			next := start.Add(soakSample)
			for time.Since(start) < d {
				fyne.DoAndWait(func() {
					for _, c := range SoakCodes {
						till.Scan(c)
					}
					till.OpenPayment("")
					till.PayCash()
					till.CloseDialog()
				})
				sales++
				if time.Now().After(next) {
					rss, _ := memory()
					if at5 == 0 && time.Since(start) >= 5*time.Minute {
						at5 = rss
					}
					var ms runtime.MemStats
					runtime.ReadMemStats(&ms)
					fmt.Fprintf(stdout, "soak_minute %d rss_kb %d go_heap_inuse_kb %d sales %d\n", int(time.Since(start)/time.Minute), rss, ms.HeapInuse/1024, sales)
					next = next.Add(soakSample)
				}
				time.Sleep(every)
			}
			rss, hwm := memory()
			if at5 == 0 {
				at5 = rss
			}
			growth := 0.0
			if at5 > 0 {
				growth = 100 * float64(rss-at5) / float64(at5)
			}
			fmt.Fprintf(stdout, "soak_rss_5min_kb %d\nsoak_rss_end_kb %d\nsoak_peak_rss_kb %d\nsoak_growth_pct %.1f\nsoak_sales %d\n", at5, rss, hwm, growth, sales)
			fyne.Do(a.Quit)
		}()
	})
}
