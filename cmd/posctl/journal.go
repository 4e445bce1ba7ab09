package main

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/opentill/opentill/offline/apimap"
	"github.com/opentill/opentill/offline/store"
	"github.com/opentill/opentill/offline/tillsync"
	"github.com/opentill/opentill/pos/journal"
)

func journalVerifyCmd() *cobra.Command {
	var data, head string
	var server bool
	c := &cobra.Command{
		Use:   "verify",
		Short: "Verify a data folder: the file, the signed journal and every stored table against it",
		Long: `Opens the data folder read-only (it may be a copy mounted read-only; a missing
or empty folder is refused, not made) and checks SQLite's integrity, the
journal's chain and signatures, and every transaction with its lines and
tenders, the outbox, the shifts, the Z reports and the suspended
transactions against the journal. It names the first bad record of each
table and exits non-zero if it finds any.

A dropped tail or a chain rewritten with another key is only visible against
a head kept elsewhere: --head takes one exported earlier with
"posctl journal head" (the line itself or a file holding it), --server asks
the till's store server for the head and key it holds.`,
		RunE: func(cmd *cobra.Command, _ []string) (err error) {
			s, err := store.OpenReadOnly(data)
			if err != nil {
				return err
			}
			defer closeInto(&err, s, "the local store")
			var opt store.VerifyOptions
			out := cmd.OutOrStdout()
			if head != "" {
				h, err := readHead(head)
				if err != nil {
					return err
				}
				opt.Head = &h
			}
			if server {
				sh, pub, err := serverHead(cmd.Context(), s)
				if err != nil {
					return err
				}
				fmt.Fprintf(out, "server: holds the journal up to entry %d (signature counter %d) under key %s\n", sh.Seq, sh.Counter, sh.KeyID)
				opt.Key = pub
				if opt.Head == nil {
					opt.Head = &sh
				}
			}
			rep, err := s.Verify(cmd.Context(), opt)
			if err != nil {
				return err
			}
			printReport(out, rep)
			if err := rep.Err(); err != nil {
				return fmt.Errorf("journal verify found %d problem(s); the first: %s", len(rep.Problems), rep.Problems[0])
			}
			fmt.Fprintln(out, "journal ok")
			return nil
		},
	}
	dataFlag(c, &data)
	c.Flags().StringVar(&head, "head", "", "a head exported earlier (posctl journal head): the line itself or a file holding it")
	c.Flags().BoolVar(&server, "server", false, "hold the journal against the head and key the till's store server holds (needs the network)")
	return c
}

func journalHeadCmd() *cobra.Command {
	var data, outFile string
	c := &cobra.Command{
		Use:   "head",
		Short: "Print the journal's head (its last entry's sequence, hash, signature counter and key), to verify against later",
		RunE: func(cmd *cobra.Command, _ []string) (err error) {
			s, err := store.OpenReadOnly(data)
			if err != nil {
				return err
			}
			defer closeInto(&err, s, "the local store")
			h, err := s.JournalHead(cmd.Context())
			if err != nil {
				return err
			}
			if outFile != "" {
				if err := os.WriteFile(outFile, []byte(h.String()+"\n"), 0o644); err != nil {
					return fmt.Errorf("writing the head to %s: %w", outFile, err)
				}
			}
			fmt.Fprintln(cmd.OutOrStdout(), h.String())
			return nil
		},
	}
	dataFlag(c, &data)
	c.Flags().StringVar(&outFile, "out", "", "also write the head to this file")
	return c
}

// readHead reads --head: a head line, or the name of a file holding one.
func readHead(v string) (journal.Head, error) {
	if journal.IsHeadText(v) {
		return journal.ParseHead(v)
	}
	b, err := os.ReadFile(v)
	if err != nil {
		return journal.Head{}, fmt.Errorf("--head %s is neither a head line (opentill-journal-head/1 …) nor a readable file: %w", v, err)
	}
	h, err := journal.ParseHead(string(b))
	if err != nil {
		return h, fmt.Errorf("%s: %w", v, err)
	}
	return h, nil
}

// serverHead asks the till's store server for the head and key it holds.
func serverHead(ctx context.Context, s *store.Store) (journal.Head, ed25519.PublicKey, error) {
	cfg, err := tillsync.LoadConfig(ctx, s)
	if err != nil {
		return journal.Head{}, nil, err
	}
	c, err := tillsync.NewClient(cfg.URL, cfg.Token, tillsync.ClientOptions{})
	if err != nil {
		return journal.Head{}, nil, err
	}
	h, err := c.JournalHead(ctx, cfg.TillID)
	if err != nil {
		return journal.Head{}, nil, err
	}
	if h.KeyID == "" {
		return journal.Head{}, nil, fmt.Errorf("the store server %s has no journal key registered for till %s yet: sync the till once, then verify", cfg.URL, cfg.TillID)
	}
	pub, err := journal.DecodePublic(h.PublicKey)
	if err != nil {
		return journal.Head{}, nil, fmt.Errorf("the store server's key of till %s: %w", cfg.TillID, err)
	}
	return apimap.JournalHeadFrom(h), pub, nil
}

func printReport(out io.Writer, r *store.VerifyReport) {
	fmt.Fprintf(out, "file: integrity check %s\n", r.Integrity)
	switch {
	case r.Entries == 0:
		fmt.Fprintln(out, "journal: empty")
	case r.SignedFrom == 0:
		fmt.Fprintf(out, "journal: %d entries, none signed (written before the till had a signing key)\n", r.Entries)
	default:
		if r.Unsigned > 0 {
			fmt.Fprintf(out, "journal: %d entries; entries 1-%d are unsigned (written before the till had a signing key), signing starts at entry %d\n",
				r.Entries, r.SignedFrom-1, r.SignedFrom)
		} else {
			fmt.Fprintf(out, "journal: %d entries, all signed\n", r.Entries)
		}
		if r.KeyID != "" {
			fmt.Fprintf(out, "signatures: checked with key %s (%s)\n", r.KeyID, r.KeySource)
		} else {
			fmt.Fprintln(out, "signatures: NOT checked: the folder records no key")
		}
	}
	fmt.Fprintf(out, "head: %s\n", r.Head)
	if r.HeadChecked {
		fmt.Fprintln(out, "head kept elsewhere: compared")
	}
	var parts []string
	for _, t := range []string{"transactions", "transaction_lines", "tenders", "outbox", "shifts", "z_reports", "suspended"} {
		parts = append(parts, fmt.Sprintf("%s %d", t, r.Checked[t]))
	}
	fmt.Fprintf(out, "compared with the journal: %s\n", strings.Join(parts, ", "))
	if len(r.Unchecked) > 0 {
		var un []string
		for k, n := range r.Unchecked {
			un = append(un, fmt.Sprintf("%s %d", k, n))
		}
		slices.Sort(un)
		fmt.Fprintf(out, "not journaled, not compared: %s\n", strings.Join(un, ", "))
	}
	for _, p := range r.Problems {
		fmt.Fprintf(out, "PROBLEM %s\n", p)
	}
}
