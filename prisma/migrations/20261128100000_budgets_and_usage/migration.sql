-- Budgets and usage. Money is bigint micro-units (1 unit of the org's currency = 1,000,000)
-- in the organization's currency, which is locked once anything has been spent.
-- Spend is counted per budget per period (budget_periods): a period is a calendar month in
-- the organization's time zone, named by its first local day, so a new month starts a new
-- counter by itself (no reset job) and every past month keeps its own row.

CREATE TYPE budget_scope AS ENUM ('organization', 'team', 'member', 'api_key');
CREATE TYPE budget_status AS ENUM ('active', 'disabled');
CREATE TYPE reservation_state AS ENUM ('active', 'settled', 'released', 'expired');

-- scope_id names the organization itself, a team, a member or an API key of the organization.
CREATE TABLE budgets (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id  uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  scope            budget_scope NOT NULL,
  scope_id         uuid NOT NULL,
  period_limit     bigint NOT NULL CHECK (period_limit >= 0),
  hard_limit       boolean NOT NULL DEFAULT true,
  alert_thresholds integer[] NOT NULL DEFAULT '{50,80,100}' CHECK (0 < ALL (alert_thresholds) AND 1000 >= ALL (alert_thresholds)),
  status           budget_status NOT NULL DEFAULT 'active',
  created_at       timestamptz(6) NOT NULL DEFAULT now(),
  updated_at       timestamptz(6) NOT NULL DEFAULT now(),
  CONSTRAINT budgets_organization_id_id_key UNIQUE (organization_id, id)
);
CREATE UNIQUE INDEX budgets_organization_id_scope_scope_id_key ON budgets (organization_id, scope, scope_id);

-- The counters: what was spent and what is held by open reservations, per budget and month.
-- The checks make a counter that would go negative an error, never a silent credit.
CREATE TABLE budget_periods (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  budget_id       uuid NOT NULL,
  period_start    date NOT NULL,
  spend           bigint NOT NULL DEFAULT 0 CHECK (spend >= 0),
  reserved        bigint NOT NULL DEFAULT 0 CHECK (reserved >= 0),
  created_at      timestamptz(6) NOT NULL DEFAULT now(),
  updated_at      timestamptz(6) NOT NULL DEFAULT now(),
  FOREIGN KEY (organization_id, budget_id) REFERENCES budgets (organization_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX budget_periods_organization_id_budget_id_period_start_key
  ON budget_periods (organization_id, budget_id, period_start);

-- An amount held on every budget of the path (budget_ids) in one period until it is settled,
-- released or expires.
CREATE TABLE budget_reservations (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  budget_ids      uuid[] NOT NULL DEFAULT '{}',
  period_start    date NOT NULL,
  amount          bigint NOT NULL CHECK (amount > 0),
  team_id         uuid,
  member_id       uuid,
  api_key_id      uuid,
  model           text,
  state           reservation_state NOT NULL DEFAULT 'active',
  expires_at      timestamptz(6) NOT NULL,
  actual_cost     bigint CHECK (actual_cost >= 0),
  usage_record_id uuid,
  created_at      timestamptz(6) NOT NULL DEFAULT now(),
  closed_at       timestamptz(6),
  CONSTRAINT budget_reservations_organization_id_id_key UNIQUE (organization_id, id)
);
CREATE INDEX budget_reservations_organization_id_state_expires_at_idx ON budget_reservations (organization_id, state, expires_at);

-- One row per charge. Partitioned by month of occurred_at (UTC boundaries); a unique key on a
-- partitioned table must contain the partition key, so idempotency lives in usage_idempotency.
-- No foreign keys to teams, members or keys: history outlives them.
CREATE TABLE usage_records (
  id              uuid NOT NULL DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  occurred_at     timestamptz(6) NOT NULL DEFAULT now(),
  period_start    date NOT NULL,
  team_id         uuid,
  member_id       uuid,
  api_key_id      uuid,
  reservation_id  uuid,
  model           text,
  input_tokens    bigint NOT NULL DEFAULT 0 CHECK (input_tokens >= 0),
  output_tokens   bigint NOT NULL DEFAULT 0 CHECK (output_tokens >= 0),
  cost            bigint NOT NULL CHECK (cost >= 0),
  currency        char(3) NOT NULL,
  idempotency_key text,
  metadata        jsonb NOT NULL DEFAULT '{}',
  created_at      timestamptz(6) NOT NULL DEFAULT now(),
  PRIMARY KEY (organization_id, occurred_at, id)
) PARTITION BY RANGE (occurred_at);
CREATE INDEX usage_records_organization_id_team_id_occurred_at_idx ON usage_records (organization_id, team_id, occurred_at);
CREATE INDEX usage_records_organization_id_member_id_occurred_at_idx ON usage_records (organization_id, member_id, occurred_at);
CREATE INDEX usage_records_organization_id_api_key_id_occurred_at_idx ON usage_records (organization_id, api_key_id, occurred_at);
CREATE INDEX usage_records_organization_id_model_occurred_at_idx ON usage_records (organization_id, model, occurred_at);

-- A retried usage.record is counted once: the key, a fingerprint of the request, and the result.
CREATE TABLE usage_idempotency (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  idempotency_key text NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 200),
  fingerprint     text NOT NULL,
  usage_record_id uuid NOT NULL,
  occurred_at     timestamptz(6) NOT NULL,
  cost            bigint NOT NULL,
  created_at      timestamptz(6) NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX usage_idempotency_organization_id_idempotency_key_key ON usage_idempotency (organization_id, idempotency_key);

-- Daily rollups for the usage explorer (one row per day × team × member × key × model).
CREATE TABLE usage_daily (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  day             date NOT NULL,
  team_id         uuid,
  member_id       uuid,
  api_key_id      uuid,
  model           text,
  requests        bigint NOT NULL DEFAULT 0,
  input_tokens    bigint NOT NULL DEFAULT 0,
  output_tokens   bigint NOT NULL DEFAULT 0,
  cost            bigint NOT NULL DEFAULT 0,
  updated_at      timestamptz(6) NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX usage_daily_organization_id_day_team_id_member_id_api_key_id_model_key
  ON usage_daily (organization_id, day, team_id, member_id, api_key_id, model) NULLS NOT DISTINCT;

-- The price catalogue: micro-units per million tokens. organization_id NULL is the default
-- every organization reads; an organization's own row for a model takes precedence.
CREATE TABLE model_prices (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid REFERENCES organizations (id) ON DELETE CASCADE,
  model           text NOT NULL CHECK (length(btrim(model)) BETWEEN 1 AND 200),
  input_price     bigint NOT NULL CHECK (input_price >= 0),
  output_price    bigint NOT NULL CHECK (output_price >= 0),
  currency        char(3) NOT NULL DEFAULT 'USD',
  effective_from  timestamptz(6) NOT NULL DEFAULT now(),
  effective_to    timestamptz(6),
  created_at      timestamptz(6) NOT NULL DEFAULT now(),
  CHECK (effective_to IS NULL OR effective_to > effective_from)
);
CREATE UNIQUE INDEX model_prices_organization_id_model_effective_from_key
  ON model_prices (organization_id, model, effective_from) NULLS NOT DISTINCT;

-- Each threshold fires once per budget per period (the unique key).
CREATE TABLE budget_alerts (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  budget_id       uuid NOT NULL,
  period_start    date NOT NULL,
  threshold       integer NOT NULL,
  spend_at_alert  bigint NOT NULL,
  created_at      timestamptz(6) NOT NULL DEFAULT now(),
  delivered_at    timestamptz(6),
  FOREIGN KEY (organization_id, budget_id) REFERENCES budgets (organization_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX budget_alerts_organization_id_budget_id_period_start_threshold_key
  ON budget_alerts (organization_id, budget_id, period_start, threshold);

-- The currency is locked once money has been counted in it.
CREATE FUNCTION organizations_lock_currency() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.currency IS DISTINCT FROM OLD.currency
     AND (EXISTS (SELECT 1 FROM usage_records u WHERE u.organization_id = OLD.id)
          OR EXISTS (SELECT 1 FROM budget_periods p WHERE p.organization_id = OLD.id AND (p.spend > 0 OR p.reserved > 0))) THEN
    RAISE EXCEPTION 'the currency of organization % is locked: money has been counted in %', OLD.id, OLD.currency
      USING ERRCODE = 'integrity_constraint_violation', CONSTRAINT = 'organizations_currency_locked';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER organizations_lock_currency
  BEFORE UPDATE OF currency ON organizations
  FOR EACH ROW EXECUTE FUNCTION organizations_lock_currency();

-- Row-level security on every new table.
ALTER TABLE budgets ENABLE ROW LEVEL SECURITY;
ALTER TABLE budgets FORCE ROW LEVEL SECURITY;
ALTER TABLE budget_periods ENABLE ROW LEVEL SECURITY;
ALTER TABLE budget_periods FORCE ROW LEVEL SECURITY;
ALTER TABLE budget_reservations ENABLE ROW LEVEL SECURITY;
ALTER TABLE budget_reservations FORCE ROW LEVEL SECURITY;
ALTER TABLE usage_records ENABLE ROW LEVEL SECURITY;
ALTER TABLE usage_records FORCE ROW LEVEL SECURITY;
ALTER TABLE usage_idempotency ENABLE ROW LEVEL SECURITY;
ALTER TABLE usage_idempotency FORCE ROW LEVEL SECURITY;
ALTER TABLE usage_daily ENABLE ROW LEVEL SECURITY;
ALTER TABLE usage_daily FORCE ROW LEVEL SECURITY;
ALTER TABLE model_prices ENABLE ROW LEVEL SECURITY;
ALTER TABLE model_prices FORCE ROW LEVEL SECURITY;
ALTER TABLE budget_alerts ENABLE ROW LEVEL SECURITY;
ALTER TABLE budget_alerts FORCE ROW LEVEL SECURITY;

CREATE POLICY tenant_isolation ON budgets
  USING (organization_id = app_current_org_id()) WITH CHECK (organization_id = app_current_org_id());
CREATE POLICY tenant_isolation ON budget_periods
  USING (organization_id = app_current_org_id()) WITH CHECK (organization_id = app_current_org_id());
CREATE POLICY tenant_isolation ON budget_reservations
  USING (organization_id = app_current_org_id()) WITH CHECK (organization_id = app_current_org_id());
CREATE POLICY tenant_isolation ON usage_records
  USING (organization_id = app_current_org_id()) WITH CHECK (organization_id = app_current_org_id());
CREATE POLICY tenant_isolation ON usage_idempotency
  USING (organization_id = app_current_org_id()) WITH CHECK (organization_id = app_current_org_id());
CREATE POLICY tenant_isolation ON usage_daily
  USING (organization_id = app_current_org_id()) WITH CHECK (organization_id = app_current_org_id());
CREATE POLICY tenant_isolation ON budget_alerts
  USING (organization_id = app_current_org_id()) WITH CHECK (organization_id = app_current_org_id());
-- Everyone reads the default prices; an organization reads and writes only its own.
CREATE POLICY model_prices_select ON model_prices FOR SELECT
  USING (organization_id IS NULL OR organization_id = app_current_org_id());
CREATE POLICY model_prices_insert ON model_prices FOR INSERT
  WITH CHECK (organization_id = app_current_org_id());
CREATE POLICY model_prices_update ON model_prices FOR UPDATE
  USING (organization_id = app_current_org_id()) WITH CHECK (organization_id = app_current_org_id());
CREATE POLICY model_prices_delete ON model_prices FOR DELETE
  USING (organization_id = app_current_org_id());

-- The expiry job finds expired reservations of every organization through this function
-- (run as the owner role, which alone has the policy below), then releases each in its tenant.
CREATE POLICY budget_reservations_expiry_scan ON budget_reservations FOR SELECT TO aihub_owner USING (true);
CREATE FUNCTION budget_reservations_expired(p_now timestamptz, p_limit integer)
  RETURNS TABLE (organization_id uuid, id uuid)
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$
    SELECT r.organization_id, r.id FROM budget_reservations r
     WHERE r.state = 'active' AND r.expires_at <= p_now
     ORDER BY r.expires_at LIMIT least(greatest(p_limit, 1), 10000)
  $$;
REVOKE ALL ON FUNCTION budget_reservations_expired(timestamptz, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION budget_reservations_expired(timestamptz, integer) TO aihub_app;

-- Monthly partitions of usage_records, created ahead by the jobs (and for the months around
-- now below). Each partition gets the same row-level security as the parent; the app role
-- has no grant on partitions, so it reaches rows only through the parent and its policy.
CREATE FUNCTION usage_records_ensure_partitions(p_from date, p_months integer)
  RETURNS integer
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$
DECLARE
  month_start date;
  partition_name text;
  created integer := 0;
BEGIN
  IF p_months < 1 OR p_months > 120 THEN
    RAISE EXCEPTION 'between 1 and 120 months, got %', p_months USING ERRCODE = 'invalid_parameter_value';
  END IF;
  -- Two processes creating the same partition would collide; one at a time.
  PERFORM pg_advisory_xact_lock(hashtextextended('usage_records_partitions', 0));
  FOR i IN 0 .. p_months - 1 LOOP
    month_start := (date_trunc('month', p_from) + make_interval(months => i))::date;
    partition_name := 'usage_records_' || to_char(month_start, 'YYYY_MM');
    CONTINUE WHEN to_regclass(partition_name) IS NOT NULL;
    EXECUTE format('CREATE TABLE %I PARTITION OF usage_records FOR VALUES FROM (%L) TO (%L)', partition_name,
                   to_char(month_start, 'YYYY-MM-DD') || ' 00:00:00+00',
                   to_char((month_start + interval '1 month')::date, 'YYYY-MM-DD') || ' 00:00:00+00');
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', partition_name);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', partition_name);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (organization_id = app_current_org_id()) WITH CHECK (organization_id = app_current_org_id())', partition_name);
    created := created + 1;
  END LOOP;
  RETURN created;
END $$;
REVOKE ALL ON FUNCTION usage_records_ensure_partitions(date, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION usage_records_ensure_partitions(date, integer) TO aihub_app;

-- A year back (the demo's 90 days of history) and three months ahead.
SELECT usage_records_ensure_partitions((date_trunc('month', now()) - interval '12 months')::date, 16);

GRANT SELECT, INSERT, UPDATE, DELETE ON budgets TO aihub_app;
GRANT SELECT, INSERT, UPDATE ON budget_periods, budget_reservations TO aihub_app;
GRANT SELECT, INSERT ON usage_records, usage_idempotency TO aihub_app;
GRANT SELECT, INSERT, UPDATE ON usage_daily TO aihub_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON model_prices, budget_alerts TO aihub_app;
