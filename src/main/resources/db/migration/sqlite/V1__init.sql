-- Junction schema, SQLite flavour. Kept column-for-column identical to ../postgresql/V1__init.sql;
-- only the identity column differs. Times are epoch milliseconds (UTC).
CREATE TABLE request_logs (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  time_ms          BIGINT  NOT NULL,
  request_id       TEXT    NOT NULL,
  key_id           TEXT,
  inbound_protocol TEXT,
  provider         TEXT,
  model            TEXT,
  requested_model  TEXT,
  status           INTEGER NOT NULL,
  latency_ms       BIGINT  NOT NULL,
  ttft_ms          BIGINT,
  input_tokens     BIGINT  NOT NULL DEFAULT 0,
  output_tokens    BIGINT  NOT NULL DEFAULT 0,
  cached_tokens    BIGINT  NOT NULL DEFAULT 0,
  cost_usd         DOUBLE PRECISION NOT NULL DEFAULT 0,
  attempts         INTEGER NOT NULL DEFAULT 1,
  error            TEXT,
  stream           BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX request_logs_time ON request_logs (time_ms);
CREATE INDEX request_logs_provider ON request_logs (provider, id);
CREATE INDEX request_logs_model ON request_logs (model, id);
CREATE INDEX request_logs_key_time ON request_logs (key_id, time_ms);

CREATE TABLE virtual_keys (
  id             TEXT PRIMARY KEY,
  name           TEXT    NOT NULL,
  secret_hash    TEXT    NOT NULL UNIQUE,
  allowed_models TEXT    NOT NULL DEFAULT '[]',
  rpm            INTEGER,
  tpm            BIGINT,
  budget_usd     DOUBLE PRECISION,
  spent_usd      DOUBLE PRECISION NOT NULL DEFAULT 0,
  created_ms     BIGINT  NOT NULL,
  revoked_ms     BIGINT
);

CREATE TABLE providers (
  name       TEXT PRIMARY KEY,
  config     TEXT   NOT NULL,
  updated_ms BIGINT NOT NULL
);
