-- Customers: the till's copy of the store's customers, created and edited
-- here (offline too) or received from the store server. The profile is the
-- payload (JSON); the other columns are what searches and uniqueness need.
CREATE TABLE customers (
    id         TEXT PRIMARY KEY,        -- client-generated UUIDv7
    number     TEXT    NOT NULL UNIQUE, -- the customer number people type
    last_fold  TEXT    NOT NULL,        -- folded (lower case, no diacritics): the order of results
    first_fold TEXT    NOT NULL,
    phone_rev  TEXT    NOT NULL DEFAULT '', -- the phone's digits backwards: found by their end
    email_fold TEXT    NOT NULL DEFAULT '',
    card       TEXT,                    -- loyalty card; NULL when none
    version    INTEGER NOT NULL,
    updated    TEXT    NOT NULL,
    payload    TEXT    NOT NULL,
    fts_id     INTEGER NOT NULL UNIQUE, -- the row of customers_fts: ordered by name (see names.go)
    associate  TEXT    NOT NULL DEFAULT '' -- whose client book holds the customer
);
CREATE INDEX customers_associate ON customers(associate, last_fold, first_fold) WHERE associate <> '';
CREATE UNIQUE INDEX customers_card ON customers(card) WHERE card IS NOT NULL;
CREATE INDEX customers_phone ON customers(phone_rev);
CREATE INDEX customers_email ON customers(email_fold);
CREATE INDEX customers_name ON customers(last_fold, first_fold, number);

-- Name search: the folded words of first and last name. Its rowid is
-- customers.fts_id, whose order is the order of the names, so the first
-- matches in rowid order are the first by name: a search of a common name
-- among a million customers stops after a page.
CREATE VIRTUAL TABLE customers_fts USING fts5(names, tokenize = 'unicode61 remove_diacritics 2');

-- The last customer number this till gave.
CREATE TABLE customer_numbers (
    terminal TEXT PRIMARY KEY,
    last     INTEGER NOT NULL
);

-- Transactions by customer: the customer's purchase history on this till.
ALTER TABLE transactions ADD COLUMN customer TEXT NOT NULL DEFAULT '';
UPDATE transactions SET customer = coalesce(json_extract(payload, '$.customer'), '');
CREATE INDEX transactions_customer ON transactions(customer, finished) WHERE customer <> '';
