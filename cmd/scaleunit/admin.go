package main

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/opentill/opentill/internal/version"
	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/offline/scaleunit"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/storedvalue"
)

// versionCmd prints the build identity and the database schema version.
func versionCmd() *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "version",
		Short: "Print the version, commit, build date and the database schema version this build knows",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			in := version.Get()
			out := cmd.OutOrStdout()
			if asJSON {
				return json.NewEncoder(out).Encode(struct {
					version.Info
					Schema int    `json:"schema"`
					API    string `json:"api"`
				}{in, scaleunit.SchemaVersion, scaleunit.ServerVersion})
			}
			fmt.Fprint(out, in.Long("scaleunit"))
			fmt.Fprintf(out, "  schema    %d (database)\n  api       %s\n", scaleunit.SchemaVersion, scaleunit.ServerVersion)
			return nil
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return c
}

// unknownVersion stands for a till that never said its version: older than
// v0.2.0, or activated by code and never synced since.
const unknownVersion = "unknown (before v0.2.0, or never synced)"

func adminCmd() *cobra.Command {
	c := &cobra.Command{Use: "admin", Short: "Reports for the chain's administrator"}
	var data string
	var asJSON bool
	tills := &cobra.Command{
		Use:   "tills",
		Short: "List the tills by the version they last reported (at activation or a sync), newest check-in first within a version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withStorage(data, func(ctx context.Context, st *scaleunit.DB) error {
				ts, err := st.Tills(ctx)
				if err != nil {
					return err
				}
				sort.SliceStable(ts, func(i, j int) bool {
					vi, vj := ts[i].Client.Version, ts[j].Client.Version
					if c := compareVersions(vi, vj); c != 0 {
						return c > 0 // newest first, "" (unknown) last
					}
					return ts[i].LastSeen.After(ts[j].LastSeen)
				})
				out := cmd.OutOrStdout()
				if asJSON {
					if ts == nil {
						ts = []scaleunit.TillInfo{}
					}
					enc := json.NewEncoder(out)
					enc.SetIndent("", "  ")
					return enc.Encode(ts)
				}
				count := map[string]int{}
				var order []string
				tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
				fmt.Fprintln(tw, "VERSION\tTILL\tPLATFORM\tSCHEMA\tPENDING\tLAST SEEN\tSTATE")
				for _, t := range ts {
					v := t.Client.Version
					if v == "" {
						v = unknownVersion
					}
					if count[v] == 0 {
						order = append(order, v)
					}
					count[v]++
					platform, schema, pending, seen := "-", "-", "-", "never"
					if t.Client.OS != "" {
						platform = t.Client.OS + "/" + t.Client.Arch
					}
					if t.Client.Schema > 0 {
						schema = fmt.Sprint(t.Client.Schema)
					}
					if !t.LastSeen.IsZero() {
						seen = t.LastSeen.UTC().Format(time.RFC3339)
						pending = fmt.Sprint(t.Pending)
					}
					state := "not activated"
					switch {
					case t.Deactivated:
						state = "deactivated"
					case t.Active:
						state = "active"
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", v, t.ID, platform, schema, pending, seen, state)
				}
				if err := tw.Flush(); err != nil {
					return err
				}
				fmt.Fprintln(out)
				for _, v := range order {
					fmt.Fprintf(out, "%s: %d till(s)\n", v, count[v])
				}
				return nil
			})
		},
	}
	dataFlag(tills, &data)
	tills.Flags().BoolVar(&asJSON, "json", false, "print JSON (one object per till)")
	c.AddCommand(tills)

	var card string
	loyalty := &cobra.Command{
		Use:   "loyalty",
		Short: "A loyalty card's points in the ledger (--card), or the cards spent beyond their points (offline at two tills)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withStorage(data, func(ctx context.Context, st *scaleunit.DB) error {
				var bs []api.LoyaltyBalance
				if card != "" {
					b, err := st.LoyaltyBalance(ctx, card)
					if err != nil {
						return err
					}
					bs = []api.LoyaltyBalance{b}
				} else {
					var err error
					if bs, err = st.Overdrawn(ctx); err != nil {
						return err
					}
				}
				out := cmd.OutOrStdout()
				if asJSON {
					enc := json.NewEncoder(out)
					enc.SetIndent("", "  ")
					return enc.Encode(bs)
				}
				if len(bs) == 0 {
					fmt.Fprintln(out, "no card is overdrawn")
					return nil
				}
				tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
				fmt.Fprintln(tw, "CARD	POINTS	EARNED 12 MONTHS	TILLS	OVERDRAWN")
				for _, b := range bs {
					fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%v\n", b.Card, b.Points, b.Year, countedText(b.Counted), b.Overdrawn)
				}
				return tw.Flush()
			})
		},
	}
	dataFlag(loyalty, &data)
	loyalty.Flags().StringVar(&card, "card", "", "the loyalty card number")
	loyalty.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	c.AddCommand(loyalty)

	var number, kind string
	balances := &cobra.Command{
		Use:   "balances",
		Short: "A gift card's or credit memo's balance in the ledger (--number), or those spent beyond their balance (offline at two tills)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withStorage(data, func(ctx context.Context, st *scaleunit.DB) error {
				var bs []api.ValueBalance
				if number != "" {
					k := storedvalue.Kind(kind)
					n, ok := storedvalue.Normalize(number)
					if !k.Valid() || !ok {
						return fmt.Errorf("--kind is giftcard or memo and --number 4 to 32 letters, digits and dashes (got %q, %q)", kind, number)
					}
					b, err := st.ValueBalance(ctx, k, n)
					if err != nil {
						return err
					}
					bs = []api.ValueBalance{b}
				} else {
					var err error
					if bs, err = st.OverdrawnBalances(ctx); err != nil {
						return err
					}
				}
				out := cmd.OutOrStdout()
				if asJSON {
					enc := json.NewEncoder(out)
					enc.SetIndent("", "  ")
					return enc.Encode(bs)
				}
				if len(bs) == 0 {
					fmt.Fprintln(out, "no gift card or credit memo is overdrawn")
					return nil
				}
				tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
				fmt.Fprintln(tw, "KIND	NUMBER	BALANCE (MINOR UNITS)	TILLS	OVERDRAWN")
				for _, b := range bs {
					fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%v\n", b.Kind, b.Number, b.Amount, countedText(b.Counted), b.Overdrawn)
				}
				return tw.Flush()
			})
		},
	}
	dataFlag(balances, &data)
	balances.Flags().StringVar(&number, "number", "", "the gift card's or memo's number")
	balances.Flags().StringVar(&kind, "kind", string(storedvalue.GiftCard), "giftcard or memo")
	balances.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	c.AddCommand(balances)

	var customerNo string
	var limit int64
	creditLimit := &cobra.Command{
		Use:   "credit-limit",
		Short: "Set a customer account's credit limit (--customer, --limit in minor units; 0 stops charging the account): every till hears it in the balances feed",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			n, ok := storedvalue.Normalize(customerNo)
			if !ok || limit < 0 {
				return fmt.Errorf("--customer is the customer number and --limit 0 or more minor units (got %q, %d)", customerNo, limit)
			}
			return withStorage(data, func(ctx context.Context, st *scaleunit.DB) error {
				if err := st.SetCreditLimit(ctx, n, limit); err != nil {
					return err
				}
				b, err := st.ValueBalance(ctx, storedvalue.Account, n)
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%s: credit limit %d, balance %d (minor units)\n", n, b.Limit, b.Amount)
				return nil
			})
		},
	}
	dataFlag(creditLimit, &data)
	creditLimit.Flags().StringVar(&customerNo, "customer", "", "the customer number")
	creditLimit.Flags().Int64Var(&limit, "limit", 0, "the credit limit in minor units (50000 = 500.00 in EUR)")
	c.AddCommand(creditLimit)

	var storeID, currency, rate string
	exchange := &cobra.Command{
		Use:   "exchange-rate",
		Short: "Set a store's exchange rate for a foreign currency (--store, --currency USD, --rate 0.9234 of the store's currency per unit; 0 removes it): the store's tills get it with their setup",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			r := money.Rate(0)
			if rate != "0" {
				var err error
				if r, err = money.ParseRate(rate); err != nil {
					return err
				}
			}
			return withStorage(data, func(ctx context.Context, st *scaleunit.DB) error {
				if err := st.SetExchangeRate(ctx, storeID, currency, r); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "store %s: 1 %s = %s\n", storeID, strings.ToUpper(currency), r)
				return nil
			})
		},
	}
	dataFlag(exchange, &data)
	exchange.Flags().StringVar(&storeID, "store", "", "the store ID, e.g. S0001")
	exchange.Flags().StringVar(&currency, "currency", "", "the ISO 4217 code of the foreign currency")
	exchange.Flags().StringVar(&rate, "rate", "", "the store's currency per unit of it, up to six decimals (0 removes it)")
	_ = exchange.MarkFlagRequired("store")
	_ = exchange.MarkFlagRequired("currency")
	_ = exchange.MarkFlagRequired("rate")
	c.AddCommand(exchange)

	rec := &cobra.Command{
		Use:   "recommend",
		Short: "Count what is bought together over every store's transactions and publish the lists to the tills (serve does it every --recommend-every)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withStorage(data, func(ctx context.Context, st *scaleunit.DB) error {
				start := time.Now()
				n, err := st.RefreshRecommendations(ctx)
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%d product lists changed (%v)\n", n, time.Since(start).Round(time.Millisecond))
				return nil
			})
		},
	}
	dataFlag(rec, &data)
	c.AddCommand(rec)

	cust := &cobra.Command{Use: "customer", Short: "A customer's data on request: export it, or erase it from the server and every till"}
	var key string
	export := &cobra.Command{
		Use:   "export",
		Short: "Print everything the chain holds about a customer as JSON (profile, history, notes, wish list, transactions, loyalty)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withStorage(data, func(ctx context.Context, st *scaleunit.DB) error {
				exp, err := st.ExportCustomer(ctx, key)
				if err != nil {
					return err
				}
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(exp)
			})
		},
	}
	erase := &cobra.Command{
		Use:   "erase",
		Short: "Erase a customer: the profile goes from the server and from every till at its next sync; transactions keep the number but lose the name",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withStorage(data, func(ctx context.Context, st *scaleunit.DB) error {
				n, err := st.EraseCustomer(ctx, key)
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "customer %s erased; %d transaction(s) lost the name; every till drops its copy at its next sync\n", key, n)
				return nil
			})
		},
	}
	for _, sub := range []*cobra.Command{export, erase} {
		dataFlag(sub, &data)
		sub.Flags().StringVar(&key, "customer", "", "the customer's ID or customer number")
		_ = sub.MarkFlagRequired("customer")
		cust.AddCommand(sub)
	}
	c.AddCommand(cust)
	c.AddCommand(adminStockCmd(), pinKeyCmd(), adminTokenCmd())
	return c
}

// adminTokenCmd makes, lists and revokes the admin API's tokens (docs/sync.md,
// "The admin API").
func adminTokenCmd() *cobra.Command {
	c := &cobra.Command{Use: "token", Short: "The admin API's bearer tokens: create one (printed once), list them, revoke one"}
	var data, name string
	var stores []string
	create := &cobra.Command{
		Use: "create",
		Short: "Make an admin token and print it once (the server keeps its SHA-256 only). With --stores it changes only those stores' setup, " +
			"documents and tills; without, the whole chain's data too (products, prices, roles, operators)",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withStorage(data, func(ctx context.Context, st *scaleunit.DB) error {
				tok, err := scaleunit.NewAdminToken(ctx, st, name, stores)
				if err != nil {
					return err
				}
				scope := "the whole chain"
				if len(stores) > 0 {
					scope = "stores " + strings.Join(stores, ",")
				}
				out := cmd.OutOrStdout()
				fmt.Fprintln(out, tok)
				fmt.Fprintf(cmd.ErrOrStderr(), "admin token %s for %s: shown this once, keep it secret (send it as Authorization: Bearer …); revoke it with scaleunit admin token revoke --name %s\n",
					name, scope, name)
				return nil
			})
		},
	}
	dataFlag(create, &data)
	create.Flags().StringVar(&name, "name", "", "a name for the token (who or what uses it), e.g. backoffice")
	create.Flags().StringSliceVar(&stores, "stores", nil, "the stores it may change, comma-separated (none: the whole chain)")
	_ = create.MarkFlagRequired("name")

	var listData string
	var asJSON bool
	list := &cobra.Command{
		Use:   "list",
		Short: "List the admin tokens: name, stores, made, last used, revoked (never the tokens)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withStorage(listData, func(ctx context.Context, st *scaleunit.DB) error {
				toks, err := st.AdminTokens(ctx)
				if err != nil {
					return err
				}
				out := cmd.OutOrStdout()
				if asJSON {
					if toks == nil {
						toks = []scaleunit.AdminToken{}
					}
					enc := json.NewEncoder(out)
					enc.SetIndent("", "  ")
					return enc.Encode(toks)
				}
				if len(toks) == 0 {
					fmt.Fprintln(out, "no admin tokens: create one with scaleunit admin token create --name NAME")
					return nil
				}
				when := func(t time.Time, none string) string {
					if t.IsZero() {
						return none
					}
					return t.UTC().Format(time.RFC3339)
				}
				tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
				fmt.Fprintln(tw, "NAME\tFOR\tCREATED\tLAST USED\tSTATE")
				for _, t := range toks {
					state := "active"
					if !t.Revoked.IsZero() {
						state = "revoked " + when(t.Revoked, "")
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", t.Name, t.Scope(), when(t.Created, "-"), when(t.LastUsed, "never"), state)
				}
				return tw.Flush()
			})
		},
	}
	dataFlag(list, &listData)
	list.Flags().BoolVar(&asJSON, "json", false, "print JSON")

	var revData, revName string
	revoke := &cobra.Command{
		Use:   "revoke",
		Short: "Refuse an admin token from now on (every server process of the chain, at its next call)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withStorage(revData, func(ctx context.Context, st *scaleunit.DB) error {
				if err := st.RevokeAdminToken(ctx, revName); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "admin token %s revoked: it is refused from now on\n", revName)
				return nil
			})
		},
	}
	dataFlag(revoke, &revData)
	revoke.Flags().StringVar(&revName, "name", "", "the token's name (scaleunit admin token list)")
	_ = revoke.MarkFlagRequired("name")
	c.AddCommand(create, list, revoke)
	return c
}

// pinKeyCmd shows and rotates the chain's PIN key (docs/security.md).
func pinKeyCmd() *cobra.Command {
	c := &cobra.Command{Use: "pin-key", Short: "The chain's PIN key, which the tills' PIN peppers come from: show it, rotate it"}
	var data, pinKey string
	show := &cobra.Command{
		Use:   "show",
		Short: "Print the PIN key's ID and file (every server process of the chain must show the same ID)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withKeyedStorage(data, pinKey, func(ctx context.Context, st *scaleunit.DB) error {
				id, err := st.PINKeyID(ctx)
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "PIN key %s in %s\n", id, st.PINKeyPath())
				return nil
			})
		},
	}
	dataFlag(show, &data)
	pinKeyFlag(show, &pinKey)
	var rdata, rkey string
	var drop bool
	rotate := &cobra.Command{
		Use: "rotate",
		Short: "Replace the PIN key with a new one (stop every server process first; give each the new key file before it starts again). " +
			"The PINs are sealed again under it and the tills get new peppers and hashes at their next sync; --drop-pins drops every PIN instead " +
			"(a key lost for good, or leaked: each operator listed needs a new PIN with scaleunit staff add)",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withKeyedStorage(rdata, rkey, func(ctx context.Context, st *scaleunit.DB) error {
				r, err := st.RotatePINKey(ctx, drop)
				if err != nil {
					return err
				}
				out := cmd.OutOrStdout()
				fmt.Fprintf(out, "PIN key %s is now in %s (was %s): copy the file to every server process of the chain before starting it\n",
					r.To, st.PINKeyPath(), map[bool]string{true: r.From, false: "not read"}[r.From != ""])
				if !drop {
					fmt.Fprintf(out, "%d operators' PINs sealed again under the new key; the tills get new peppers and hashes at their next sync\n", r.Resealed)
					return nil
				}
				fmt.Fprintf(out, "%d operators' PINs dropped (gone from every till at its next sync); add each again with a new PIN:\n", len(r.Dropped))
				for _, o := range r.Dropped {
					stores := strings.Join(o.Stores, ",")
					if stores == "" {
						stores = "every store"
					}
					fmt.Fprintf(out, "  %s %q role %s, language %s, %s: scaleunit staff add --id %s --name %q --role %s --language %s --stores %q --pin …\n",
						o.ID, o.Name, o.RoleID, o.Language, stores, o.ID, o.Name, o.RoleID, o.Language, strings.Join(o.Stores, ","))
				}
				return nil
			})
		},
	}
	dataFlag(rotate, &rdata)
	pinKeyFlag(rotate, &rkey)
	rotate.Flags().BoolVar(&drop, "drop-pins", false, "drop every PIN sealed under the old key instead of sealing it again (the old key is not needed)")
	c.AddCommand(show, rotate)
	return c
}

// compareVersions orders git-describe versions (v1.2.3, v1.2.3-4-gabc,
// v1.2.3-dirty) by their numbers: major, minor, patch, a pre-release
// (v1.2.3-rc.1) before its release, then the commits since the tag. "" is
// the oldest; anything unparsable ("dev") sorts between it and the
// releases, by text.
func compareVersions(a, b string) int {
	na, oka := versionNumbers(a)
	nb, okb := versionNumbers(b)
	switch {
	case a == b:
		return 0
	case a == "":
		return -1
	case b == "":
		return 1
	case oka && okb:
		for i := range na {
			if na[i] != nb[i] {
				if na[i] < nb[i] {
					return -1
				}
				return 1
			}
		}
		return strings.Compare(a, b)
	case oka:
		return 1
	case okb:
		return -1
	}
	return strings.Compare(a, b)
}

func versionNumbers(v string) ([5]int, bool) {
	var n [5]int // major, minor, patch, 1 for a release (0 for a pre-release), commits since the tag
	rest, ok := strings.CutPrefix(v, "v")
	if !ok {
		return n, false
	}
	rest, _, _ = strings.Cut(strings.TrimSuffix(rest, "-dirty"), "+")
	core, tail, _ := strings.Cut(rest, "-")
	parts := strings.Split(core, ".")
	if len(parts) != 3 {
		return n, false
	}
	for i, p := range parts {
		x, err := strconv.Atoi(p)
		if err != nil {
			return n, false
		}
		n[i] = x
	}
	n[3] = 1
	// tail: "", "3-gabc" (commits after the tag), "rc.1" or "rc.1-3-gabc" (a pre-release)
	if i := strings.LastIndex(tail, "-g"); i >= 0 {
		head := tail[:i]
		j := strings.LastIndex(head, "-")
		c, err := strconv.Atoi(head[j+1:])
		if err == nil {
			n[4] = c
			tail = ""
			if j >= 0 {
				tail = head[:j]
			}
		}
	}
	if tail != "" {
		n[3] = 0
	}
	return n, true
}

// countedText lists how many movements of each till a ledger figure
// counts, "S0001/T01:3 S0001/T02:1".
func countedText(counted map[string]int64) string {
	tills := make([]string, 0, len(counted))
	for t, n := range counted {
		tills = append(tills, fmt.Sprintf("%s:%d", t, n))
	}
	sort.Strings(tills)
	return strings.Join(tills, " ")
}
