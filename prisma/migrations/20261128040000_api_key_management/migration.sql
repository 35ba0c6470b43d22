-- Organization API keys, managed: allowed models, rotation with a grace period, usage counters
-- that survive rotation, and keys bound to a team that die with it.

-- Models the key may call (empty: every model). Enforced by the gateway in a later change.
ALTER TABLE org_api_keys ADD COLUMN allowed_models text[] NOT NULL DEFAULT '{}';
-- The key that replaced this one when it was rotated (the old key keeps working until its
-- expires_at, the grace period chosen at rotation).
ALTER TABLE org_api_keys ADD COLUMN replaced_by_id uuid;
-- Rate-limit and quota counters are kept under this id: a key's own id, inherited by the key
-- that replaces it, so rotating a key does not reset its counters.
ALTER TABLE org_api_keys ADD COLUMN counter_id uuid;
UPDATE org_api_keys SET counter_id = id WHERE counter_id IS NULL;

-- (Both pointers stay plain ids: keys are never deleted, the app role has no DELETE on them.)
CREATE INDEX org_api_keys_organization_id_team_id_idx ON org_api_keys (organization_id, team_id);

-- The lookup also returns the counter id (a changed result type needs the function recreated).
DROP FUNCTION api_key_lookup(text);
CREATE FUNCTION api_key_lookup(p_key_hash text)
  RETURNS TABLE (id uuid, organization_id uuid, team_id uuid, scopes text[], status api_key_status,
                 expires_at timestamptz, rate_limit_per_minute integer, monthly_quota integer, counter_id uuid)
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$
    SELECT k.id, k.organization_id, k.team_id, k.scopes, k.status, k.expires_at, k.rate_limit_per_minute, k.monthly_quota,
           coalesce(k.counter_id, k.id)
      FROM org_api_keys k JOIN organizations o ON o.id = k.organization_id
     WHERE k.key_hash = p_key_hash AND o.status = 'active'
  $$;
REVOKE ALL ON FUNCTION api_key_lookup(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION api_key_lookup(text) TO aihub_app;

-- Deleting a team revokes the keys bound to it, whoever deletes it and however. Before this, the
-- foreign key's SET NULL (team_id) quietly turned such a key into an organization-wide one.
-- The key stays (revoked, unbound) so its history and audit trail still name it.
CREATE FUNCTION org_api_keys_revoke_with_team() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = public, pg_temp
  AS $$
  BEGIN
    UPDATE org_api_keys
       SET status = 'revoked', revoked_at = coalesce(revoked_at, now())
     WHERE organization_id = OLD.organization_id AND team_id = OLD.id AND status <> 'revoked';
    RETURN OLD;
  END
  $$;
CREATE TRIGGER org_api_keys_revoke_with_team BEFORE DELETE ON teams
  FOR EACH ROW EXECUTE FUNCTION org_api_keys_revoke_with_team();
