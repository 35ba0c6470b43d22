-- The gateway's hottest tenant reads as PL/pgSQL functions. Why functions: planning these
-- statements under row-level security costs more than running them (~1 ms against ~0.3 ms for
-- the organization read), and a PL/pgSQL function keeps its plans for the life of the server
-- session — no client-side prepared statement, so nothing breaks behind PgBouncer in transaction
-- mode. SECURITY INVOKER (the default): they run as the caller, under the caller's tenant
-- settings and every policy, exactly like the statements they replace. Each answers json rows in
-- the API's field names (instants as ISO text).

-- An organization with its counts (organization.get).
CREATE FUNCTION app_read_organization(p_org uuid) RETURNS SETOF json
  LANGUAGE plpgsql STABLE
  SET search_path = public, pg_temp
  AS $$
  BEGIN
    RETURN QUERY
      SELECT json_build_object(
               'id', o.id, 'name', o.name, 'slug', o.slug, 'description', o.description, 'logoUrl', o.logo_url,
               'plan', o.plan, 'status', o.status, 'settings', o.settings, 'timezone', o.timezone, 'currency', o.currency,
               'auditRetentionDays', o.audit_retention_days, 'deletedAt', o.deleted_at, 'createdAt', o.created_at,
               'updatedAt', o.updated_at,
               'members', (SELECT count(*)::int FROM members),
               'teams', (SELECT count(*)::int FROM teams),
               'pendingInvitations', (SELECT count(*)::int FROM invitations i
                                       WHERE i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > now()))
        FROM organizations o WHERE o.id = p_org;
  END
  $$;

-- The team tree's nodes with their member counts (team.list), siblings by name.
CREATE FUNCTION app_read_team_nodes() RETURNS SETOF json
  LANGUAGE plpgsql STABLE
  SET search_path = public, pg_temp
  AS $$
  BEGIN
    RETURN QUERY
      SELECT json_build_object(
               'id', t.id, 'name', t.name, 'description', t.description, 'parentTeamId', t.parent_team_id,
               'memberCount', (SELECT count(*)::int FROM team_memberships tm
                                WHERE tm.organization_id = t.organization_id AND tm.team_id = t.id))
        FROM teams t ORDER BY t.name;
  END
  $$;

-- A keyset page of members, newest first (member.list without search): after the cursor row,
-- p_limit rows, with their user, team memberships and permission overrides.
CREATE FUNCTION app_read_member_page(p_org uuid, p_role member_role, p_cursor uuid, p_limit integer) RETURNS SETOF json
  LANGUAGE plpgsql STABLE
  SET search_path = public, pg_temp
  AS $$
  BEGIN
    RETURN QUERY
      SELECT json_build_object(
               'id', m.id, 'role', m.role, 'joinedAt', m.joined_at,
               'user', json_build_object('id', u.id, 'email', u.email, 'name', u.name, 'image', u.image),
               'teamMemberships', COALESCE((SELECT json_agg(json_build_object('teamId', tm.team_id, 'role', tm.role))
                                             FROM team_memberships tm
                                            WHERE tm.organization_id = m.organization_id AND tm.member_id = m.id), '[]'),
               'permissionOverrides', COALESCE((SELECT json_agg(json_build_object('permission', po.permission, 'effect', po.effect,
                                                                                  'expiresAt', po.expires_at))
                                                 FROM member_permission_overrides po
                                                WHERE po.organization_id = m.organization_id AND po.member_id = m.id), '[]'))
        FROM members m JOIN users u ON u.id = m.user_id
       WHERE m.organization_id = p_org
         AND (p_role IS NULL OR m.role = p_role)
         AND (p_cursor IS NULL OR (m.joined_at, m.id) < (SELECT c.joined_at, c.id FROM members c WHERE c.id = p_cursor))
       ORDER BY m.joined_at DESC, m.id DESC
       LIMIT p_limit;
  END
  $$;

-- What decides a member's access (the permission cache's fill): role, overrides, led teams, and
-- whether the organization is deleted.
CREATE FUNCTION app_read_member_access(p_org uuid, p_user uuid) RETURNS SETOF json
  LANGUAGE plpgsql STABLE
  SET search_path = public, pg_temp
  AS $$
  BEGIN
    RETURN QUERY
      SELECT json_build_object(
               'id', m.id, 'role', m.role, 'orgStatus', o.status,
               'overrides', COALESCE((SELECT json_agg(json_build_object('permission', po.permission, 'effect', po.effect,
                                                                        'expiresAt', po.expires_at))
                                       FROM member_permission_overrides po
                                      WHERE po.organization_id = m.organization_id AND po.member_id = m.id), '[]'),
               'ledTeamIds', COALESCE((SELECT json_agg(tm.team_id) FROM team_memberships tm
                                        WHERE tm.organization_id = m.organization_id AND tm.member_id = m.id
                                          AND tm.role = 'lead'), '[]'))
        FROM members m JOIN organizations o ON o.id = m.organization_id
       WHERE m.organization_id = p_org AND m.user_id = p_user;
  END
  $$;

REVOKE ALL ON FUNCTION app_read_organization(uuid), app_read_team_nodes(), app_read_member_page(uuid, member_role, uuid, integer),
  app_read_member_access(uuid, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_read_organization(uuid), app_read_team_nodes(), app_read_member_page(uuid, member_role, uuid, integer),
  app_read_member_access(uuid, uuid) TO aihub_app;
