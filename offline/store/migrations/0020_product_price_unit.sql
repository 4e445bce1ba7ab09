-- Catalog price units: a product's price may be for a number of units
-- (10.00 per 50 screws), in thousandths like every quantity; 0 is one unit.
ALTER TABLE products ADD COLUMN price_unit INTEGER NOT NULL DEFAULT 0;
