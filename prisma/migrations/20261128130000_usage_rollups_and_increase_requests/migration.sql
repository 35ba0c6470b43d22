-- The usage explorer's rollup watermark and budget increase requests.

-- Every local day before rolled_until is final in usage_daily (recomputed from the records once
-- the day has closed); the explorer reads those days from the rollups and anything later from
-- usage_records, so its answers are exact whether or not the rollup job has run lately.
CREATE TABLE usage_rollup_watermarks (
  organization_id uuid PRIMARY KEY REFERENCES organizations (id) ON DELETE CASCADE,
  rolled_until    date NOT NULL,
  updated_at      timestamptz(6) NOT NULL DEFAULT now()
);

-- A member asks for a temporary increase of one budget's limit; an admin approves or denies.
-- An approved increase counts on top of the limit until increase_until, then lapses by itself
-- (the charging statement compares it with now()); a pending request lapses at expires_at.
CREATE TYPE budget_increase_status AS ENUM ('pending', 'approved', 'denied', 'cancelled');
CREATE TABLE budget_increase_requests (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  budget_id       uuid NOT NULL,
  requested_by    uuid REFERENCES users (id) ON DELETE SET NULL,
  amount          bigint NOT NULL CHECK (amount > 0),
  increase_until  timestamptz(6) NOT NULL,
  reason          text NOT NULL CHECK (length(reason) <= 500),
  status          budget_increase_status NOT NULL DEFAULT 'pending',
  expires_at      timestamptz(6) NOT NULL,
  decided_by      uuid REFERENCES users (id) ON DELETE SET NULL,
  decided_at      timestamptz(6),
  decision_note   text CHECK (length(decision_note) <= 500),
  created_at      timestamptz(6) NOT NULL DEFAULT now(),
  CHECK (increase_until > created_at),
  CHECK ((status = 'pending') = (decided_at IS NULL)),
  CONSTRAINT budget_increase_requests_organization_id_id_key UNIQUE (organization_id, id),
  FOREIGN KEY (organization_id, budget_id) REFERENCES budgets (organization_id, id) ON DELETE CASCADE
);
CREATE INDEX budget_increase_requests_organization_id_status_created_at_idx
  ON budget_increase_requests (organization_id, status, created_at DESC);
-- The charging statement sums the active approved increases of each budget on the path.
CREATE INDEX budget_increase_requests_active_idx
  ON budget_increase_requests (organization_id, budget_id, increase_until) WHERE status = 'approved';

ALTER TABLE usage_rollup_watermarks ENABLE ROW LEVEL SECURITY;
ALTER TABLE usage_rollup_watermarks FORCE ROW LEVEL SECURITY;
ALTER TABLE budget_increase_requests ENABLE ROW LEVEL SECURITY;
ALTER TABLE budget_increase_requests FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON usage_rollup_watermarks
  USING (organization_id = app_current_org_id()) WITH CHECK (organization_id = app_current_org_id());
CREATE POLICY tenant_isolation ON budget_increase_requests
  USING (organization_id = app_current_org_id()) WITH CHECK (organization_id = app_current_org_id());

GRANT SELECT, INSERT, UPDATE ON usage_rollup_watermarks, budget_increase_requests TO aihub_app;
