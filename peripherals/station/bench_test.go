package station_test

import (
	"context"
	"net"
	"sort"
	"testing"
	"time"

	"github.com/opentill/opentill/internal/ptytest"
	"github.com/opentill/opentill/peripherals/escpos"
	"github.com/opentill/opentill/peripherals/escpos/escpostest"
	"github.com/opentill/opentill/peripherals/profile"
	"github.com/opentill/opentill/peripherals/scale"
	"github.com/opentill/opentill/peripherals/station"
	"github.com/opentill/opentill/peripherals/transport"
	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/till"
)

// report prints the median and p95 of samples as custom metrics.
func report(b *testing.B, name string, samples []time.Duration) {
	if len(samples) == 0 {
		return
	}
	sort.Slice(samples, func(i, j int) bool { return samples[i] < samples[j] })
	p := func(q float64) float64 {
		return float64(samples[int(q*float64(len(samples)-1))].Microseconds()) / 1000
	}
	b.ReportMetric(p(0.5), name+"-p50-ms")
	b.ReportMetric(p(0.95), name+"-p95-ms")
}

// BenchmarkCommitToFirstByte measures checkout commit (PayCash returned,
// the SQLite transaction synced) to the first byte of the job reaching a
// TCP printer (target ≤ 10 ms). Baselines in the same run: the checkout
// itself with no devices, and a bare write on a TCP socket to the same
// kind of listener.
func BenchmarkCommitToFirstByte(b *testing.B) {
	ctx := context.Background()
	b.Run("baseline=tcp-write", func(b *testing.B) {
		srv := escpostest.NewServer(b)
		c, err := net.Dial("tcp", srv.Addr)
		if err != nil {
			b.Fatal(err)
		}
		defer c.Close()
		var lat []time.Duration
		for b.Loop() {
			mark := srv.Mark()
			t0 := time.Now()
			if _, err := c.Write([]byte{0x1b, 0x40}); err != nil {
				b.Fatal(err)
			}
			lat = append(lat, (<-mark).Sub(t0))
		}
		report(b, "first-byte", lat)
	})
	b.Run("baseline=checkout-no-devices", func(b *testing.B) {
		tl := newTill(b)
		var lat []time.Duration
		for b.Loop() {
			b.StopTimer()
			tl.Do(b, pos.ProductSale{Barcode: Milk})
			b.StartTimer()
			t0 := time.Now()
			tl.Do(b, pos.PayCash{})
			lat = append(lat, time.Since(t0))
		}
		report(b, "checkout", lat)
	})
	b.Run("commit-to-first-byte", func(b *testing.B) {
		srv := escpostest.NewServer(b)
		p, err := profile.Parse([]byte("[printer]\ndriver = \"escpos\"\nport = \"tcp://" + srv.Addr + "\"\n[drawer]\ndriver = \"printer\"\nopen_warning = \"0s\"\n"))
		if err != nil {
			b.Fatal(err)
		}
		d, err := profile.Open(ctx, p, profile.Options{})
		if err != nil {
			b.Fatal(err)
		}
		defer d.Close()
		tl := newTill(b)
		st := station.New(tl.Reg, d, station.Options{})
		defer st.Close()
		var lat, checkout []time.Duration
		for b.Loop() {
			b.StopTimer()
			tl.Do(b, pos.ProductSale{Barcode: Milk})
			b.StartTimer()
			mark := srv.Mark()
			t0 := time.Now()
			tl.Do(b, pos.PayCash{})
			t1 := time.Now()
			first := <-mark
			lat = append(lat, first.Sub(t1))
			checkout = append(checkout, t1.Sub(t0))
			b.StopTimer()
			srv.WaitFor(b, escpos.KickBytes(escpos.Pin2, 100, 200), 5*time.Second) // the job is done
			srv.Reset()
			b.StartTimer()
		}
		report(b, "first-byte", lat)
		report(b, "checkout", checkout)
	})
}

// BenchmarkScaleFrameToLine measures a stable Toledo weight frame written
// by the scale (over a pseudo-terminal) to the weighed line being in the
// cart (target ≤ 50 ms). The baseline, in the same run, sells the same item
// with the quantity given (no scale).
func BenchmarkScaleFrameToLine(b *testing.B) {
	ctx := context.Background()
	b.Run("baseline=sale-with-qty", func(b *testing.B) {
		tl := newTill(b)
		n := 0
		var lat []time.Duration
		for b.Loop() {
			t0 := time.Now()
			tl.Do(b, pos.ProductSale{Barcode: Bananas, Qty: 734})
			lat = append(lat, time.Since(t0))
			if n++; n%25 == 0 {
				b.StopTimer()
				tl.Do(b, pos.VoidTransaction{})
				b.StartTimer()
			}
		}
		report(b, "line", lat)
	})
	b.Run("frame-to-line", func(b *testing.B) {
		pair := ptytest.New(b)
		peer := pair.OpenPeer(scale.DefaultLine(scale.Toledo8217))
		wrote := make(chan time.Time, 1)
		dctx, cancel := context.WithCancel(ctx)
		defer cancel()
		go func() {
			frame := []byte("\x02  0.734\r")
			one := make([]byte, 1)
			for dctx.Err() == nil {
				transport.SetDeadline(dctx, peer, 100*time.Millisecond)
				if n, _ := peer.Read(one); n == 1 && one[0] == 'W' {
					if _, err := peer.Write(frame); err != nil {
						return
					}
					select {
					case wrote <- time.Now():
					default:
					}
				}
			}
		}()
		spec, _ := transport.ParseSpec(pair.Dev, scale.DefaultLine(scale.Toledo8217))
		sc, err := scale.New(transport.NewLink("scale", spec), scale.Config{Protocol: scale.Toledo8217})
		if err != nil {
			b.Fatal(err)
		}
		defer sc.Close()
		tl := newTill(b)
		st := station.New(tl.Reg, &profile.Devices{Scale: sc, StableTimeout: 2 * time.Second}, station.Options{})
		defer st.Close()
		n := 0
		var lat []time.Duration
		for b.Loop() {
			res, err := till.Sell(ctx, tl.Reg, st, pos.ProductSale{Barcode: Bananas})
			done := time.Now()
			if err != nil {
				b.Fatal(err)
			}
			if res.Line == nil || res.Line.Qty != catalog.Qty(734) {
				b.Fatalf("line %+v", res.Line)
			}
			lat = append(lat, done.Sub(<-wrote))
			if n++; n%25 == 0 {
				b.StopTimer()
				tl.Do(b, pos.VoidTransaction{})
				b.StartTimer()
			}
		}
		report(b, "frame-to-line", lat)
	})
}
