-- Alert channels and deliveries, forecast alerts, and the functions the jobs use to find work
-- across organizations (docs/budgets.md, "Alerts and deliveries" and "Jobs").

-- A budget alert is a threshold crossed, or a forecast: once per budget, period, kind and threshold.
CREATE TYPE budget_alert_kind AS ENUM ('threshold', 'forecast');
ALTER TABLE budget_alerts ADD COLUMN kind budget_alert_kind NOT NULL DEFAULT 'threshold';
-- The forecast's projected month-end spend (null for threshold alerts).
ALTER TABLE budget_alerts ADD COLUMN projected_spend bigint;
DROP INDEX budget_alerts_organization_id_budget_id_period_start_threshold_key;
CREATE UNIQUE INDEX budget_alerts_organization_id_budget_id_period_start_kind_threshold_key
  ON budget_alerts (organization_id, budget_id, period_start, kind, threshold);
CREATE UNIQUE INDEX budget_alerts_organization_id_id_key ON budget_alerts (organization_id, id);

-- Where an organization's alerts go. A webhook's signing secret is never stored: it is
-- HMAC-SHA256(API_KEY_SECRET, "alert-webhook:" || id || ":" || secret_salt), shown once at creation
-- and recomputed to sign; a new salt rotates it.
CREATE TYPE alert_channel_kind AS ENUM ('in_app', 'email', 'webhook');
CREATE TABLE alert_channels (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  kind            alert_channel_kind NOT NULL,
  name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  email           text CHECK (length(email) <= 320),
  url             text CHECK (length(url) <= 2000),
  secret_salt     text,
  enabled         boolean NOT NULL DEFAULT true,
  created_by      uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at      timestamptz(6) NOT NULL DEFAULT now(),
  updated_at      timestamptz(6) NOT NULL DEFAULT now(),
  UNIQUE (organization_id, id),
  CHECK ((kind = 'email') = (email IS NOT NULL)),
  CHECK ((kind = 'webhook') = (url IS NOT NULL AND secret_salt IS NOT NULL))
);
CREATE INDEX alert_channels_organization_id_idx ON alert_channels (organization_id, created_at);

-- One delivery of one alert to one channel; channel_id NULL is the default in-app delivery (to
-- owners and admins) for an organization with no in-app channel of its own.
CREATE TYPE alert_delivery_status AS ENUM ('pending', 'delivered', 'failed');
CREATE TABLE alert_deliveries (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  alert_id        uuid NOT NULL,
  channel_id      uuid,
  status          alert_delivery_status NOT NULL DEFAULT 'pending',
  attempts        integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at timestamptz(6) NOT NULL DEFAULT now(),
  last_error      text CHECK (length(last_error) <= 500),
  response_status integer,
  delivered_at    timestamptz(6),
  created_at      timestamptz(6) NOT NULL DEFAULT now(),
  FOREIGN KEY (organization_id, alert_id) REFERENCES budget_alerts (organization_id, id) ON DELETE CASCADE,
  FOREIGN KEY (organization_id, channel_id) REFERENCES alert_channels (organization_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX alert_deliveries_alert_channel_key ON alert_deliveries (organization_id, alert_id, channel_id) NULLS NOT DISTINCT;
CREATE INDEX alert_deliveries_due_idx ON alert_deliveries (organization_id, next_attempt_at) WHERE status = 'pending';

ALTER TABLE alert_channels ENABLE ROW LEVEL SECURITY;
ALTER TABLE alert_channels FORCE ROW LEVEL SECURITY;
ALTER TABLE alert_deliveries ENABLE ROW LEVEL SECURITY;
ALTER TABLE alert_deliveries FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON alert_channels
  USING (organization_id = app_current_org_id()) WITH CHECK (organization_id = app_current_org_id());
CREATE POLICY tenant_isolation ON alert_deliveries
  USING (organization_id = app_current_org_id()) WITH CHECK (organization_id = app_current_org_id());
GRANT SELECT, INSERT, UPDATE, DELETE ON alert_channels TO aihub_app;
GRANT SELECT, INSERT, UPDATE ON alert_deliveries TO aihub_app;

-- A new alert is queued for every enabled channel in the transaction that writes it (the
-- charging transaction, under the tenant's settings), plus the default in-app delivery when the
-- organization has no in-app channel.
CREATE FUNCTION budget_alerts_queue_deliveries() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO alert_deliveries (organization_id, alert_id, channel_id)
  SELECT NEW.organization_id, NEW.id, c.id FROM alert_channels c
   WHERE c.organization_id = NEW.organization_id AND c.enabled;
  IF NOT EXISTS (SELECT 1 FROM alert_channels c WHERE c.organization_id = NEW.organization_id AND c.kind = 'in_app') THEN
    INSERT INTO alert_deliveries (organization_id, alert_id, channel_id) VALUES (NEW.organization_id, NEW.id, NULL);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER budget_alerts_queue_deliveries
  AFTER INSERT ON budget_alerts FOR EACH ROW EXECUTE FUNCTION budget_alerts_queue_deliveries();

-- The jobs find work across organizations through these functions (run as the owner role, which
-- alone has the scan policies below), then do it in each organization's tenant.
CREATE POLICY alert_deliveries_due_scan ON alert_deliveries FOR SELECT TO aihub_owner USING (true);
CREATE FUNCTION alert_deliveries_due(p_now timestamptz, p_limit integer)
  RETURNS TABLE (organization_id uuid, id uuid)
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$
    SELECT d.organization_id, d.id FROM alert_deliveries d
     WHERE d.status = 'pending' AND d.next_attempt_at <= p_now
     ORDER BY d.next_attempt_at LIMIT least(greatest(p_limit, 1), 10000)
  $$;
REVOKE ALL ON FUNCTION alert_deliveries_due(timestamptz, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION alert_deliveries_due(timestamptz, integer) TO aihub_app;

-- Organizations that are not deleted (rollups, forecasts); the owner reads every organization
-- through organizations_lookup.
CREATE FUNCTION organizations_for_jobs()
  RETURNS TABLE (id uuid, timezone text)
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$ SELECT o.id, o.timezone FROM organizations o WHERE o.status <> 'deleted' ORDER BY o.id $$;
REVOKE ALL ON FUNCTION organizations_for_jobs() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION organizations_for_jobs() TO aihub_app;

-- The purge: organizations deleted before p_before are removed with everything that cascades
-- from them (audit events have no foreign key and stay until their retention ends). Each is
-- deleted under its own tenant setting, which the organizations_delete policy requires.
CREATE FUNCTION organizations_purge_deleted(p_before timestamptz, p_limit integer)
  RETURNS TABLE (id uuid, slug text, deleted_at timestamptz)
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$
DECLARE
  r record;
  n integer;
BEGIN
  FOR r IN SELECT o.id, o.slug, o.deleted_at FROM organizations o
            WHERE o.status = 'deleted' AND o.deleted_at IS NOT NULL AND o.deleted_at < p_before
            ORDER BY o.deleted_at LIMIT least(greatest(p_limit, 1), 1000)
  LOOP
    PERFORM set_config('app.current_org_id', r.id::text, true);
    -- Another process may have purged it meanwhile: report only what this call deleted.
    DELETE FROM organizations o WHERE o.id = r.id AND o.status = 'deleted';
    GET DIAGNOSTICS n = ROW_COUNT;
    IF n > 0 THEN
      id := r.id; slug := r.slug; deleted_at := r.deleted_at;
      RETURN NEXT;
    END IF;
  END LOOP;
  PERFORM set_config('app.current_org_id', '', true);
END $$;
REVOKE ALL ON FUNCTION organizations_purge_deleted(timestamptz, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION organizations_purge_deleted(timestamptz, integer) TO aihub_app;
