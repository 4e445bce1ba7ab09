-- "Frequently bought together" per product, as the store server counted it
-- over every store's transactions (the recommendations feed); the product
-- '_best' holds the best sellers.
CREATE TABLE recommendations (
    product_id TEXT PRIMARY KEY,
    together   TEXT NOT NULL -- JSON: [{"product_id":…,"score":…}, …]
) WITHOUT ROWID;
