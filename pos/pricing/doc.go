// Package pricing is the till's price and promotions engine, modelled on the
// anchor's (Dynamics 365 Commerce) pricing engine. It is pure: it reads a
// compiled promotions document and a cart and returns prices and discounts;
// all rounding goes through pos/money (half away from zero).
//
// # Prices
//
// Price groups carry a pricing priority. They are attached to the store
// (store_price_groups, every cart), to customer groups and to customers.
// Trade agreements give a product (or every variant of an item) a price in a
// price group, optionally per price unit (10.00 per 50 units is 0.20 each)
// and from a minimum quantity (quantity breaks), valid between dates read in
// the store's time zone. Engine.UnitPrice picks, among the agreements that
// apply, the one of the highest-priority price group even when its price is
// higher; within one priority the lowest price. With none the catalog price
// stands. A catalog price may be for several units too (catalog.Product
// PriceUnit): the line's gross divides by it.
//
// # Promotions
//
//   - discount (simple): percent off, amount off each unit, or a deal price
//     for each unit, on products, variants (items) or categories; include
//     and exclude lines, exclude wins; a line may carry its own method.
//   - quantity: tiers by quantity (3 → 10 %, 6 → 20 %); per line (each
//     product's quantity reaches the tier on its own) or mixed (the quantity
//     of every product of the promotion counts together).
//   - mix-match: line groups with required quantities make a set (one from
//     A and two from B); the set gets a deal price, percent off, an amount
//     off, or its N least expensive items discounted (free by default).
//   - threshold: spend at least X on the qualifying items (every item when
//     the promotion has no lines) to get an amount or percent off, tiered.
//   - tender: paying by a tender type or card brand takes a percent or an
//     amount off the qualifying items (from min_amount), re-evaluated
//     whenever the tenders change. The engine prices the whole discount;
//     the cart (cart.TenderSharer) keeps the share the tender pays: the
//     tender about to be used pays all the others do not, and one already
//     on the sale covers what it paid grossed up by the discount's rate
//     (5.00 by card at 5 % covers 5.26 of the goods).
//   - coupons: a promotion with coupon codes applies only while one of its
//     codes (or coupon barcodes) is on the cart (operations 643/644).
//   - a promotion attaches to price groups (none: every cart) and is valid
//     between dates in the store's time zone.
//
// # Concurrency
//
// Each promotion is exclusive, best price or compound, and has a priority:
// its own when given (the anchor's override priority), otherwise the highest
// pricing priority of its price groups attached to the cart. Priorities are
// evaluated from the highest number down; thresholds after every other
// kind, tender discounts last. Within a priority the exclusive discounts
// come first (the best of them for the customer, on items without a
// discount) and lock the items they take — the paid items of an exclusive
// deal too; best-price and compound discounts then apply to the items left
// (the anchor's Apply-multiple-retail-discounts, steps 2 and 3).
//
//   - Model WithinPriority (the default, "best price and compound within
//     priority, never compound across priorities"): within a priority an item
//     gets one best-price discount or all the compound discounts stacked,
//     whichever is best for the customer; an item discounted at one priority
//     gets nothing from lower priorities.
//   - Model AcrossPriorities ("best price only within priority, always
//     compound across priority"): within a priority an item gets its single
//     best discount (compound ones compete as best price); discounts of lower
//     priorities then apply on the price left, never an exclusive one and
//     never after an exclusive one.
//
// Thresholds follow the anchor's rule per model (worked examples 1 and 2 of
// Apply-multiple-retail-discounts, tested in TestAnchorConcurrencyExamples):
// exclusive thresholds first, qualifying on and discounting only items
// without a discount; then, in the default model, a best-price threshold
// discounts only undiscounted items and a compound one also items whose
// discounts are all compound (of any priority, but no threshold of another
// priority); in the other model a best-price or compound threshold
// discounts every item without an exclusive discount that has no discount
// of the threshold's own priority (one discount per item and priority). The
// qualifying amount is the discounted amount of the qualifying items.
// Tender discounts compound on everything else.
//
// Compounding on one item applies deal price, then amount off, then percent
// off; a percent compounds on the running price (10 % then 20 % on 100
// gives 72) or, with compound_on = "original", on the original price
// (gives 70). A compound quantity or mix-and-match discount comes first on
// its units (it decides the set) and the compound simple discounts stack on
// it.
//
// # The best combination
//
// Overlapping quantity and mix-and-match discounts make finding the best
// price a combinatorial problem: which units go into which set decides the
// amounts, and pairing greedily by price is not enough.
//
//  1. Pools. Lines of the same product at the same price are merged into one
//     pool (a count of interchangeable units), sorted by product and price,
//     so the result never depends on the order in which lines were added or
//     how the units were split over lines. Weighed lines are one unit each
//     and only take simple and threshold discounts.
//  2. Components. In each stage of each priority, pools linked by a shared
//     mixed quantity or mix-and-match promotion form a connected component,
//     priced on its own; pools with simple discounts only are priced alone.
//     A promotion links nothing when it counts per line (a quantity discount
//     that is not mixed) or when the stage's units cannot fill it at all (a
//     group short of its quantity, a total below the first tier): it could
//     not make one pool's choice depend on another's.
//  3. Decisions. A component's multi-unit promotions are decisions: how many
//     sets of a mix-and-match to form and how to fill them, whether a
//     quantity discount applies (per line, or over every product of a mixed
//     one). They are ordered by what each is worth alone (its best gain with
//     every other decision left out), best first.
//  4. Filling the sets (setfill.go). How many sets the units can make is
//     Hall's bound — for every set of groups, the units of the slots serving
//     them must cover what they need — which is exact for this assignment
//     (max-flow min-cut), so a group "any product of category X" written
//     before a group "product P2" (P2 in X) never takes the P2 a set needs.
//     Groups that share no product are filled greedily; overlapping ones by
//     a min-cost flow from slots to groups. A decision tries a few filling
//     orders — most expensive units first, cheapest first, and (over at
//     most six slots) each slot kept for last — that depend on the decision
//     alone. Sets are priced from counts, not units: k sets are cut from
//     each group's units sorted by price, and runs of identical sets are
//     priced once, so a line of 500 units costs what a line of 5 does.
//  5. Search. A depth-first search over the decisions' options (most sets
//     first, "not at all" last) with leftovers priced by their best simple
//     discounts. It prunes with a safe bound, the smaller of two: by unit
//     (for every unit left, the most any decision still able to apply or a
//     simple discount could give it: a set's deal or amount spread in
//     proportion to prices, a compound percent of the original price where
//     compounding is on the original) and by decision (every unit left at
//     its simple-discount bound, plus for each decision the most it can add
//     over that: a mix-and-match at most the sets its units left can form
//     times the most a set can save net of the simple discounts its units
//     give up; a quantity discount by the tiers its units can still reach,
//     a lower tier on fewer units than the next one needs). Pruning on it
//     never loses the best (TestBoundsNeverPruneTheBest solves every
//     component of thousands of random carts again with no bound at all and
//     requires the same value). It also prunes with a dominance memo on the
//     units left.
//     Before searching, every decision alone in each of its ways is an
//     incumbent: the answer is never worse than the best single promotion.
//     Three exact shortcuts keep the work down: a decision's options are
//     computed once per state of its own slots (they depend on nothing
//     else); a decision no later one touches takes its best option without
//     branching (nothing after it depends on the choice); and an option
//     whose child could not beat the best even with the static bounds of
//     the decisions after it is not visited. Each gives the same answer
//     as the plain search; they only spend less of the node budget.
//  6. Monotone by construction. The decisions are ordered by the discount
//     each gives alone — not by its worth net of the simple discounts its
//     units would lose, which a new simple discount changes — so the order
//     of two decisions never depends on another promotion, and a
//     decision's options depend only on the units left of its own products.
//     So adding a promotion only adds options: a completed search never
//     makes a cart dearer when a promotion is added (TestMonotone,
//     TestOverlappingPromotionsNeverDearerThanASubset, with 200 promotions
//     on one line). Compound discounts of one kind compound in the order of
//     their IDs, so that where a promotion is written in the document never
//     moves a cent of rounding. The node budget (DefaultSearchNodes, 4,096
//     nodes per component) bounds the work on large entangled components —
//     a weighted set packing, hard in general. When the depth-first search
//     reaches it (it spends its nodes on the choices of the deepest
//     decisions), a limited discrepancy search with as many nodes again
//     tries the paths that leave the first option at one decision, then
//     two, …, wherever they are, and the better answer is kept; it is
//     still at least the best single promotion, and posctl price --explain
//     says the budget was reached.
//
// Least-expensive sets are formed from the units sorted by price, so the
// discounted (cheapest) items of the sets are as expensive as possible: the
// combination that favours the customer. A promotion with favor_retailer
// (the anchor's "least expensive, favor retailer", one group) pairs the
// most expensive units with the cheapest instead, so that the discounted
// ones are the cheapest it takes, and takes every set the units make or
// none (fewer sets of dearer units would favour the customer again); the
// search still decides whether it or another promotion takes the units. With distribute_least_expensive the
// discount of a set is spread over all its items instead of the cheapest.
//
// Within a pool, each promotion's amount is rounded once (keep_same_line, the
// anchor's "keep items on the same sales line for discount price rounding",
// on by default) and shared over the pool's lines by money.Allocate, so
// lines add up exactly. With keep_same_line = false a percent is rounded
// unit by unit and every amount on a line is also given unit by unit
// (cart.Applied.Units): the first units get the amount divided by the
// quantity, the last what is left (10.00 off 3 units: 3.33, 3.33, 3.34). No
// discount takes a line below zero.
//
// # Incremental repricing
//
// The engine keeps each pool's promotions bucketed by priority and stage,
// per set of applicable offers, for every cart; a cart keeps every
// component its last pricing solved under a key of everything its result
// depends on (cache.go). The next pricing re-solves only the components whose key changed —
// adding a line touches its own component — and the rest is linear in the
// cart. Results are a function of the key, so incremental equals full
// (TestIncrementalEqualsFull); cart.Pricing.Full prices from scratch.
//
// # Manual discounts and overrides
//
// By default promotions skip lines whose price was overridden
// (apply_to_price_overrides turns them on); a manual line discount applies
// on the price after promotions (manual_discounts = "compound"), or a line
// with a manual discount gets no promotion (manual_discounts = "exclusive").
// The manual total discount always comes last, on what is left. With
// manual_multiline_discounts, quantity, mix-and-match and threshold
// discounts wait for "Calculate total" (operation 310, Cart.
// DiscountsCalculated) and drop off again when the lines change; "Remove
// system discounts" (311) takes every promotion off the cart.
//
// # Format
//
// The promotions document is TOML (Decode); docs/promotions.md and the
// demo store's offline/demo/promotions.toml show every field.
package pricing
