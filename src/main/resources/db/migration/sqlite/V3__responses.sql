-- Stored Responses API responses (CONTRACT §7): what previous_response_id continues and
-- GET /v1/responses/{id} answers. Kept column-for-column identical to ../postgresql/V3__responses.sql.
CREATE TABLE responses (
  id          TEXT    PRIMARY KEY,
  owner       TEXT    NOT NULL,   -- key id of the creator; '' when the gateway has no master key
  created_ms  BIGINT  NOT NULL,
  model       TEXT,
  input_items TEXT    NOT NULL,   -- JSON array: every input item the model saw, earlier turns included
  response    TEXT    NOT NULL    -- JSON: the Response object as the client got it
);
CREATE INDEX responses_created ON responses (created_ms);
