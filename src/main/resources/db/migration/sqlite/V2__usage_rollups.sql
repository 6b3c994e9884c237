-- Per-minute usage rollups and per-attempt rows, SQLite flavour; kept identical to ../postgresql/V2.
-- Rollups: one row per minute, provider, model, key and writing instance (only that instance's
-- telemetry writer updates its rows, so a read-merge-write needs no lock across instances).
-- Empty strings stand for "none" in the key columns so they can be part of the primary key.
-- latency_hist is an HdrHistogram (ms) in its compressed encoding: mergeable across rows.
CREATE TABLE usage_rollups (
  bucket_ms     BIGINT NOT NULL,
  provider      TEXT   NOT NULL,
  model         TEXT   NOT NULL,
  key_id        TEXT   NOT NULL,
  instance      TEXT   NOT NULL,
  requests      BIGINT NOT NULL,
  errors        BIGINT NOT NULL,
  input_tokens  BIGINT NOT NULL,
  output_tokens BIGINT NOT NULL,
  cached_tokens BIGINT NOT NULL,
  cost_usd      DOUBLE PRECISION NOT NULL,
  latency_hist  BLOB   NOT NULL,
  PRIMARY KEY (bucket_ms, provider, model, key_id, instance)
);

-- One row per upstream attempt, shown with its request in the console's log detail.
CREATE TABLE request_attempts (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  time_ms     BIGINT  NOT NULL,
  request_id  TEXT    NOT NULL,
  attempt     INTEGER NOT NULL,
  provider    TEXT,
  model       TEXT,
  key_index   INTEGER NOT NULL,
  status      INTEGER NOT NULL,
  latency_ms  BIGINT  NOT NULL,
  error       TEXT
);
CREATE INDEX request_attempts_request ON request_attempts (request_id, time_ms);
CREATE INDEX request_attempts_time ON request_attempts (time_ms);
