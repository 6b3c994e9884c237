-- Several budgets per virtual key (a total and/or daily, weekly, monthly ones, UTC calendar periods)
-- and the spend of each period. One truth: the budget and spend columns of virtual_keys move here.
CREATE TABLE key_budgets (
  key_id     TEXT NOT NULL,
  period     TEXT NOT NULL,             -- total | daily | weekly | monthly
  budget_usd DOUBLE PRECISION NOT NULL,
  PRIMARY KEY (key_id, period)
);

CREATE TABLE key_spend (
  key_id          TEXT   NOT NULL,
  period          TEXT   NOT NULL,
  period_start_ms BIGINT NOT NULL,      -- 0 for total
  spent_usd       DOUBLE PRECISION NOT NULL DEFAULT 0,
  PRIMARY KEY (key_id, period, period_start_ms)
);

INSERT INTO key_budgets (key_id, period, budget_usd)
  SELECT id, 'total', budget_usd FROM virtual_keys WHERE budget_usd IS NOT NULL;
INSERT INTO key_spend (key_id, period, period_start_ms, spent_usd)
  SELECT id, 'total', 0, spent_usd FROM virtual_keys WHERE spent_usd <> 0;

ALTER TABLE virtual_keys DROP COLUMN budget_usd;
ALTER TABLE virtual_keys DROP COLUMN spent_usd;
