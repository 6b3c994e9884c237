-- Per-request cost breakdown (issue 12): the tokens behind it and the bill part by part.
-- cost_usd stays the total; price_tier says which price applied (standard, long_context, batch,
-- flex), NULL when the model had no known price.
ALTER TABLE request_logs ADD COLUMN cache_write_tokens   BIGINT           NOT NULL DEFAULT 0;
ALTER TABLE request_logs ADD COLUMN reasoning_tokens     BIGINT           NOT NULL DEFAULT 0;
ALTER TABLE request_logs ADD COLUMN input_cost_usd       DOUBLE PRECISION NOT NULL DEFAULT 0;
ALTER TABLE request_logs ADD COLUMN cache_read_cost_usd  DOUBLE PRECISION NOT NULL DEFAULT 0;
ALTER TABLE request_logs ADD COLUMN cache_write_cost_usd DOUBLE PRECISION NOT NULL DEFAULT 0;
ALTER TABLE request_logs ADD COLUMN output_cost_usd      DOUBLE PRECISION NOT NULL DEFAULT 0;
ALTER TABLE request_logs ADD COLUMN price_tier           TEXT;
