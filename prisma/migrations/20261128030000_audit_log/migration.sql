-- Audit log: retention per organization, and a purge that keeps the chain verifiable.
--
-- Events older than an organization's retention are deleted by purge_audit_events(), a
-- definer function owned by the owner role: the app role still has no DELETE grant, and the
-- append-only trigger still refuses every DELETE except the function's own. The purge deletes
-- the oldest events (a prefix of the chain), records where the chain now starts in
-- audit_chain_anchors (the last purged seq and hash), and appends its own `audit.purged`
-- event, chained like every other, naming the same seq and hash. The verifier starts from the
-- newest anchor and requires the chain to confirm it.

ALTER TABLE organizations ADD COLUMN audit_retention_days integer NOT NULL DEFAULT 365;
ALTER TABLE organizations ADD CONSTRAINT organizations_audit_retention_days_check
  CHECK (audit_retention_days BETWEEN 90 AND 3650);

-- Where an organization's chain starts after a purge. No foreign key, like audit_events: the
-- trail outlives its organization until retention removes it.
CREATE TABLE audit_chain_anchors (
  organization_id uuid NOT NULL,
  -- The last purged event: the first remaining one has seq + 1 and prev_hash = hash.
  seq             bigint NOT NULL,
  hash            text NOT NULL,
  purged_count    bigint NOT NULL,
  cutoff          timestamptz(6) NOT NULL,
  created_at      timestamptz(6) NOT NULL DEFAULT now(),
  PRIMARY KEY (organization_id, seq)
);
ALTER TABLE audit_chain_anchors ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_chain_anchors FORCE ROW LEVEL SECURITY;
CREATE POLICY audit_chain_anchors_select ON audit_chain_anchors FOR SELECT
  USING (organization_id = app_current_org_id());
-- Written only by the purge, which runs as the owner role and says so for its own duration.
CREATE POLICY audit_chain_anchors_purge ON audit_chain_anchors FOR ALL TO aihub_owner
  USING (current_setting('app.audit_purge', true) = 'on')
  WITH CHECK (current_setting('app.audit_purge', true) = 'on');
CREATE TRIGGER audit_chain_anchors_append_only
  BEFORE UPDATE OR DELETE ON audit_chain_anchors
  FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_change();
CREATE TRIGGER audit_chain_anchors_no_truncate
  BEFORE TRUNCATE ON audit_chain_anchors
  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse_change();
GRANT SELECT ON audit_chain_anchors TO aihub_app;

-- The append-only trigger lets exactly one thing through: the purge deleting audit events.
CREATE OR REPLACE FUNCTION audit_events_refuse_change() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND TG_TABLE_NAME = 'audit_events' AND current_setting('app.audit_purge', true) = 'on' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION '% is append-only (% refused)', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE POLICY audit_events_purge ON audit_events FOR ALL TO aihub_owner
  USING (current_setting('app.audit_purge', true) = 'on')
  WITH CHECK (current_setting('app.audit_purge', true) = 'on');
CREATE POLICY organizations_audit_purge_read ON organizations FOR SELECT TO aihub_owner
  USING (current_setting('app.audit_purge', true) = 'on');

-- Canonical JSON as the application hashes it (keys sorted at every depth, no spaces), so the
-- purge can chain its own event. Scalars print as jsonb prints them, which for strings, integers,
-- booleans and null is what JSON.stringify prints.
CREATE FUNCTION audit_canonical_json(v jsonb) RETURNS text
  LANGUAGE plpgsql IMMUTABLE SET search_path = public, pg_temp AS $$
BEGIN
  IF v IS NULL THEN RETURN 'null'; END IF;
  CASE jsonb_typeof(v)
    WHEN 'object' THEN
      RETURN '{' || coalesce((SELECT string_agg(to_json(e.key)::text || ':' || audit_canonical_json(e.value), ',' ORDER BY e.key COLLATE "C")
                                FROM jsonb_each(v) e), '') || '}';
    WHEN 'array' THEN
      RETURN '[' || coalesce((SELECT string_agg(audit_canonical_json(a.value), ',' ORDER BY a.ord)
                                FROM jsonb_array_elements(v) WITH ORDINALITY a(value, ord)), '') || ']';
    ELSE
      RETURN v::text;
  END CASE;
END $$;

-- Deletes an organization's events older than its retention (and than p_before), oldest first,
-- and chains an `audit.purged` event recording the last purged seq and hash. Never deletes an
-- event inside the retention, whoever calls it, so the app role may run it.
CREATE FUNCTION purge_audit_events(p_org uuid, p_before timestamptz)
  RETURNS TABLE (purged_count bigint, through_seq bigint, last_hash text)
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_now       timestamptz := date_trunc('milliseconds', clock_timestamp());
  v_days      integer;
  v_cutoff    timestamptz;
  v_first     bigint;
  v_keep_from bigint;
  v_through   bigint;
  v_hash      text;
  v_count     bigint;
  v_last_seq  bigint;
  v_last_hash text;
  v_fields    jsonb;
BEGIN
  -- The chain's own lock: appends wait, so the purge event follows the newest one.
  PERFORM pg_advisory_xact_lock(hashtextextended('audit:' || p_org::text, 0));
  PERFORM set_config('app.audit_purge', 'on', true);

  SELECT o.audit_retention_days INTO v_days FROM organizations o WHERE o.id = p_org;
  v_cutoff := least(p_before, v_now - make_interval(days => greatest(coalesce(v_days, 365), 90)));

  SELECT min(e.seq), max(e.seq) INTO v_first, v_last_seq FROM audit_events e WHERE e.organization_id = p_org;
  SELECT min(e.seq) INTO v_keep_from FROM audit_events e WHERE e.organization_id = p_org AND e.created_at >= v_cutoff;
  v_through := coalesce(v_keep_from - 1, v_last_seq);
  IF v_first IS NULL OR v_through < v_first THEN
    PERFORM set_config('app.audit_purge', '', true);
    RETURN QUERY SELECT 0::bigint, NULL::bigint, NULL::text;
    RETURN;
  END IF;

  SELECT e.hash INTO v_hash FROM audit_events e WHERE e.organization_id = p_org AND e.seq = v_through;
  SELECT e.hash INTO v_last_hash FROM audit_events e WHERE e.organization_id = p_org AND e.seq = v_last_seq;
  DELETE FROM audit_events e WHERE e.organization_id = p_org AND e.seq <= v_through;
  GET DIAGNOSTICS v_count = ROW_COUNT;
  INSERT INTO audit_chain_anchors (organization_id, seq, hash, purged_count, cutoff, created_at)
    VALUES (p_org, v_through, v_hash, v_count, v_cutoff, v_now);

  v_fields := jsonb_build_object(
    'organizationId', p_org::text,
    'seq', (v_last_seq + 1)::text,
    'actorType', 'system',
    'actorId', NULL,
    'action', 'audit.purged',
    'targetType', 'organization',
    'targetId', p_org::text,
    'before', NULL,
    'after', jsonb_build_object(
      'throughSeq', v_through::text,
      'lastHash', v_hash,
      'purgedCount', v_count,
      'cutoff', to_char(v_cutoff AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')),
    'ip', NULL,
    'userAgent', NULL,
    'requestId', NULL,
    'createdAt', to_char(v_now AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'));
  INSERT INTO audit_events (organization_id, seq, actor_type, actor_id, action, target_type, target_id, before, after,
                            ip, user_agent, request_id, created_at, prev_hash, hash)
    VALUES (p_org, v_last_seq + 1, 'system', NULL, 'audit.purged', 'organization', p_org::text, NULL, v_fields -> 'after',
            NULL, NULL, NULL, v_now, v_last_hash,
            encode(sha256(convert_to(coalesce(v_last_hash, '') || E'\n' || audit_canonical_json(v_fields), 'UTF8')), 'hex'));

  PERFORM set_config('app.audit_purge', '', true);
  RETURN QUERY SELECT v_count, v_through, v_hash;
END $$;
REVOKE ALL ON FUNCTION purge_audit_events(uuid, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION purge_audit_events(uuid, timestamptz) TO aihub_app;
