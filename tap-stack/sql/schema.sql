-- Product catalog schema. Applied by the inventory processor on every cold start, under an
-- advisory lock, so every statement is idempotent.

CREATE TABLE IF NOT EXISTS products (
    product_id      TEXT PRIMARY KEY CHECK (char_length(product_id) BETWEEN 1 AND 64),
    inventory       BIGINT NOT NULL CHECK (inventory >= 0),
    -- Kinesis sequence number of the update that set this row (up to 129 decimal digits);
    -- compared numerically so a replayed or out-of-order record never overwrites a newer one.
    last_sequence   NUMERIC NOT NULL CHECK (last_sequence >= 0 AND scale(last_sequence) = 0),
    last_shard      TEXT NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS products_updated_at ON products (updated_at);
