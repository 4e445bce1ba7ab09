-- The store server's last history of each customer's purchases at the
-- chain's other tills (docs/customers.md), for the customer's page offline.
CREATE TABLE customer_history (
    customer_id TEXT PRIMARY KEY,
    as_of       TEXT NOT NULL,
    history     TEXT NOT NULL -- pos.CustomerHistory JSON
) WITHOUT ROWID;
