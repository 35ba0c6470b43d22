-- Organization management: a linear per-org audit chain, in-app notifications, the
-- invitation lookup by token, and the "always an owner" invariant in the database.

-- Audit events are numbered per organization; the hash chain follows this order.
ALTER TABLE audit_events ADD COLUMN seq bigint NOT NULL;
CREATE UNIQUE INDEX audit_events_organization_id_seq_key ON audit_events (organization_id, seq);

-- In-app notifications for one user (invitations, later budget alerts). Written in the
-- context of the organization that causes them; read only by their user.
CREATE TABLE notifications (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  user_id         uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  kind            text NOT NULL,
  title           text NOT NULL,
  body            text NOT NULL,
  link            text,
  read_at         timestamptz(6),
  created_at      timestamptz(6) NOT NULL DEFAULT now()
);
CREATE INDEX notifications_organization_id_created_at_idx ON notifications (organization_id, created_at);
CREATE INDEX notifications_user_id_read_at_idx ON notifications (user_id, read_at);

ALTER TABLE notifications ENABLE ROW LEVEL SECURITY;
ALTER TABLE notifications FORCE ROW LEVEL SECURITY;
CREATE POLICY notifications_insert ON notifications FOR INSERT
  WITH CHECK (organization_id = app_current_org_id());
CREATE POLICY notifications_own_select ON notifications FOR SELECT
  USING (user_id = app_current_user_id());
CREATE POLICY notifications_own_update ON notifications FOR UPDATE
  USING (user_id = app_current_user_id()) WITH CHECK (user_id = app_current_user_id());
GRANT SELECT, INSERT, UPDATE ON notifications TO aihub_app;

-- An invitation is found by its token before its organization is known: only through this
-- function, which returns what accepting needs and nothing else.
CREATE POLICY invitations_lookup ON invitations FOR SELECT TO aihub_owner USING (true);
CREATE POLICY organizations_lookup ON organizations FOR SELECT TO aihub_owner USING (true);
CREATE FUNCTION invitation_lookup(p_token_hash text)
  RETURNS TABLE (id uuid, organization_id uuid, organization_name text, organization_slug text, email text, role member_role,
                 team_ids uuid[], expires_at timestamptz, accepted_at timestamptz, revoked_at timestamptz)
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$
    SELECT i.id, i.organization_id, o.name, o.slug, i.email, i.role, i.team_ids, i.expires_at, i.accepted_at, i.revoked_at
      FROM invitations i JOIN organizations o ON o.id = i.organization_id
     WHERE i.token_hash = p_token_hash AND o.status <> 'deleted'
  $$;
REVOKE ALL ON FUNCTION invitation_lookup(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION invitation_lookup(text) TO aihub_app;

-- An organization never ends a transaction without an owner. Deferred to commit, and
-- serialized per organization by a transaction lock, so two concurrent demotions of the last
-- two owners cannot both commit (the second sees the first's change once it holds the lock).
CREATE FUNCTION members_keep_an_owner() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('org_owners:' || OLD.organization_id::text, 0));
  IF EXISTS (SELECT 1 FROM organizations WHERE id = OLD.organization_id)
     AND NOT EXISTS (SELECT 1 FROM members WHERE organization_id = OLD.organization_id AND role = 'owner') THEN
    RAISE EXCEPTION 'organization % would have no owner', OLD.organization_id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'members_last_owner';
  END IF;
  RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER members_keep_an_owner
  AFTER UPDATE OF role OR DELETE ON members
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW WHEN (OLD.role = 'owner')
  EXECUTE FUNCTION members_keep_an_owner();

-- A key of a deleted organization stops working with it.
CREATE OR REPLACE FUNCTION api_key_lookup(p_key_hash text)
  RETURNS TABLE (id uuid, organization_id uuid, team_id uuid, scopes text[], status api_key_status,
                 expires_at timestamptz, rate_limit_per_minute integer, monthly_quota integer)
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$
    SELECT k.id, k.organization_id, k.team_id, k.scopes, k.status, k.expires_at, k.rate_limit_per_minute, k.monthly_quota
      FROM org_api_keys k JOIN organizations o ON o.id = k.organization_id
     WHERE k.key_hash = p_key_hash AND o.status = 'active'
  $$;
