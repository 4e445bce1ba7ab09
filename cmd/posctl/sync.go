package main

import (
	"fmt"
	"os"
	"os/signal"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/opentill/opentill/offline/store"
	"github.com/opentill/opentill/offline/tillsync"
)

// syncCmd runs one sync pass against the till's store server, activating the
// till first when --server and --code are given.
func syncCmd() *cobra.Command {
	var data, server, code, device string
	var quiet bool
	c := &cobra.Command{
		Use:   "sync",
		Short: "Push the outbox and pull the catalog, prices, staff and configuration from the store server (one pass)",
		Long: `Runs one sync pass: every pending sale is pushed (exactly once, in order),
then every delta feed is pulled from its cursor. With --server and --code the
till is first activated with a one-time code from "scaleunit till add".`,
		RunE: func(cmd *cobra.Command, _ []string) (err error) {
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt)
			defer stop()
			st, err := store.Open(data)
			if err != nil {
				return err
			}
			defer closeInto(&err, st, "the local store")
			out := cmd.OutOrStdout()
			if code != "" {
				if server == "" {
					return fmt.Errorf("--code needs --server, the store server's URL (e.g. http://127.0.0.1:8640)")
				}
				if device == "" {
					device, _ = os.Hostname()
				}
				cfg, err := tillsync.Activate(ctx, st, server, code, device)
				if err != nil {
					return err
				}
				fmt.Fprintf(out, "activated as till %s of store %s\n", cfg.TillID, cfg.StoreID)
			} else if server != "" {
				cfg, err := tillsync.LoadConfig(ctx, st)
				if err != nil {
					return err
				}
				cfg.URL = server
				if err := st.PutSetting(ctx, tillsync.SettingKey, cfg); err != nil {
					return err
				}
			}
			var bar *progressbar.ProgressBar
			var barDS string
			opt := tillsync.Options{Progress: func(ds string, done, total int64) {
				if quiet {
					return
				}
				if bar == nil || barDS != ds {
					if bar != nil {
						_ = bar.Finish()
					}
					max := total
					if max <= 0 {
						max = -1
					}
					barDS = ds
					bar = progressbar.NewOptions64(max, progressbar.OptionSetWriter(cmd.ErrOrStderr()),
						progressbar.OptionSetDescription("pulling "+ds), progressbar.OptionShowCount(),
						progressbar.OptionThrottle(200*time.Millisecond))
				}
				_ = bar.Set64(done)
			}}
			eng, err := tillsync.Open(data, st, opt)
			if err != nil {
				return err
			}
			defer closeInto(&err, eng, "the sync engine")
			start := time.Now()
			res, err := eng.PassResult(ctx)
			if bar != nil {
				_ = bar.Finish()
				fmt.Fprintln(cmd.ErrOrStderr())
			}
			fmt.Fprintf(out, "pushed %d, pulled", res.Pushed)
			for _, ds := range []string{"config", "staff", "products", "prices"} {
				fmt.Fprintf(out, " %s %d", ds, res.Pulled[ds])
			}
			fmt.Fprintf(out, ", pending %d, %.1fs\n", res.Pending, time.Since(start).Seconds())
			if err != nil {
				return fmt.Errorf("sync stopped: %w", err)
			}
			return nil
		},
	}
	dataFlag(c, &data)
	c.Flags().StringVar(&server, "server", "", "store server URL (saved for later passes)")
	c.Flags().StringVar(&code, "code", "", "one-time activation code (activates the till first)")
	c.Flags().StringVar(&device, "device", "", "device name shown on the server (default: host name)")
	c.Flags().BoolVar(&quiet, "quiet", false, "no progress bar")
	c.AddCommand(parkedCmd())
	return c
}

// parkedCmd lists the outbox records the store server refused as invalid
// (parked: kept, stepped over) and requeues one with --requeue.
func parkedCmd() *cobra.Command {
	var data, requeue string
	c := &cobra.Command{
		Use:   "parked",
		Short: "List the records the store server refused as invalid (kept, not sent again), or requeue one with --requeue ID",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) (err error) {
			st, err := store.Open(data)
			if err != nil {
				return err
			}
			defer closeInto(&err, st, "the local store")
			out := cmd.OutOrStdout()
			if requeue != "" {
				if err := st.OutboxRequeue(cmd.Context(), requeue); err != nil {
					return err
				}
				fmt.Fprintf(out, "%s is queued again: the next sync sends it\n", requeue)
				return nil
			}
			items, err := st.OutboxParked(cmd.Context())
			if err != nil {
				return err
			}
			if len(items) == 0 {
				fmt.Fprintln(out, "no parked records")
				return nil
			}
			for _, it := range items {
				fmt.Fprintf(out, "%s  %-18s %s  %s\n", it.ID, it.Kind, it.Created.Format(time.DateTime), it.LastError)
			}
			return nil
		},
	}
	dataFlag(c, &data)
	c.Flags().StringVar(&requeue, "requeue", "", "the ID of a parked record to send again")
	return c
}
