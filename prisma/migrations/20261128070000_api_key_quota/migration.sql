-- The key lookup also finds keys of deleted organizations (the verifier answers `org_deleted`
-- for them instead of `not_found`) and returns the organization's status and time zone (the
-- monthly quota is counted per calendar month in the organization's time zone).
-- Keys of suspended organizations stay hidden, as before.
DROP FUNCTION api_key_lookup(text);
CREATE FUNCTION api_key_lookup(p_key_hash text)
  RETURNS TABLE (id uuid, organization_id uuid, team_id uuid, scopes text[], status api_key_status,
                 expires_at timestamptz, rate_limit_per_minute integer, monthly_quota integer, counter_id uuid,
                 org_status organization_status, org_timezone text)
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$
    SELECT k.id, k.organization_id, k.team_id, k.scopes, k.status, k.expires_at, k.rate_limit_per_minute, k.monthly_quota,
           coalesce(k.counter_id, k.id), o.status, o.timezone
      FROM org_api_keys k JOIN organizations o ON o.id = k.organization_id
     WHERE k.key_hash = p_key_hash AND o.status IN ('active', 'deleted')
  $$;
REVOKE ALL ON FUNCTION api_key_lookup(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION api_key_lookup(text) TO aihub_app;
