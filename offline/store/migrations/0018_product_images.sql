-- Product pictures: a product names its picture by the SHA-256 of its
-- bytes; the bytes are kept once per picture, fetched from the store
-- server (or seeded) and shown in search and on the sale's lines.
ALTER TABLE products ADD COLUMN image TEXT NOT NULL DEFAULT '';
CREATE TABLE images (
    key  TEXT PRIMARY KEY, -- lower-case hex SHA-256 of data
    type TEXT NOT NULL,    -- image/png or image/jpeg
    data BLOB NOT NULL
) WITHOUT ROWID;
CREATE INDEX products_image ON products(image) WHERE image <> '';
