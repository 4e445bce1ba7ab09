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
// stands.
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
// evaluated from the highest number down; thresholds are evaluated after
// every other kind.
//
//   - Model WithinPriority (the default, "best price and compound within
//     priority, never compound across priorities"): within a priority an item
//     gets either one exclusive or best-price discount, or all the compound
//     discounts stacked, whichever is best for the customer; an item
//     discounted at one priority gets nothing from lower priorities. A
//     compound threshold stacks on items whose discounts (of its priority)
//     are all compound.
//   - Model AcrossPriorities ("best price only within priority, always
//     compound across priority"): within a priority an item gets its single
//     best discount (compound ones compete as best price); discounts of lower
//     priorities then apply on the price left, unless an exclusive discount
//     was applied.
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
// amounts, and pairing greedily by price is not enough. The engine avoids an
// exponential search this way:
//
//  1. Pools. Lines of the same product at the same price are merged into one
//     pool (a count of interchangeable units); the pools are sorted by
//     product and price, so the result never depends on the order in which
//     lines were added or how the units were split over lines. Weighed lines
//     are one unit each and only take simple and threshold discounts.
//  2. Components. At each priority, pools linked by a shared quantity or
//     mix-and-match promotion form a connected component; components are
//     priced independently (in a real cart they are small), and pools with
//     only simple discounts are priced on their own in O(promotions on the
//     pool).
//  3. Search over unit allocations. In a component, a depth-first search
//     decides, promotion by promotion, how many sets of a mix-and-match to
//     form (from the most that fit down to none) and which units fill them
//     (the most expensive first, and — as a second option — the units that
//     the fewest other promotions want first), and whether each quantity
//     discount applies. Every leaf prices the units left over with their best
//     simple discounts, so a simple discount can beat a set. Because values
//     are computed on counts per pool, not per unit permutation, the branching
//     is bounded by the number of sets, not the number of units.
//  4. Budget. The first path explored is the greedy one; further
//     alternatives are explored until a node budget (DefaultSearchNodes per
//     component and priority) is spent, then the search finishes on the greedy
//     choice. The result is optimal (over these unit choices) for every
//     component that fits the budget — all realistic baskets — and never worse
//     than greedy. The best simple discount of each pool's leftover is kept
//     up to date as units are taken, so a leaf costs O(1) and the work per
//     reprice is bounded: O(components × budget × pools touched per step).
//
// Least-expensive sets are formed from the units sorted by price, so the
// discounted (cheapest) items of the sets are as expensive as possible: the
// combination that favours the customer. With distribute_least_expensive the
// discount of a set is spread over all its items instead of the cheapest.
//
// Within a pool, each promotion's amount is rounded once (as the anchor does
// when items are kept on the same sales line) and shared over the pool's
// lines by money.Allocate, so lines add up exactly. No discount takes a line
// below zero: every amount is capped at what is left of the line.
//
// # Manual discounts and overrides
//
// By default promotions skip lines whose price was overridden
// (apply_to_price_overrides turns them on); a manual line discount applies
// on the price after promotions (manual_discounts = "compound"), or a line
// with a manual discount gets no promotion (manual_discounts = "exclusive").
// The manual total discount always comes last, on what is left.
//
// # Format
//
// The promotions document is TOML (Decode); docs/promotions.md and the
// demo store's offline/demo/promotions.toml show every field.
package pricing
