-- Core tenancy: users, organizations, members, teams, invitations, overrides, audit trail.
-- Runs as the owner role. The app role (aihub_app, created by `pnpm db:bootstrap`) owns
-- nothing and gets only the rights listed at the end.

CREATE TYPE organization_plan AS ENUM ('free', 'pro', 'enterprise');
CREATE TYPE organization_status AS ENUM ('active', 'suspended', 'deleted');
CREATE TYPE member_role AS ENUM ('owner', 'admin', 'member', 'viewer');
CREATE TYPE team_role AS ENUM ('lead', 'member');
CREATE TYPE override_effect AS ENUM ('grant', 'deny');
CREATE TYPE actor_type AS ENUM ('user', 'api_key', 'system');

-- The tenant context is transaction-local (set_config(..., true)), so it is safe behind a
-- transaction-mode pooler. NULLIF: once a connection has used the setting it reads '' after
-- the transaction ends, and ''::uuid would raise instead of matching nothing.
CREATE FUNCTION app_current_org_id() RETURNS uuid
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT NULLIF(current_setting('app.current_org_id', true), '')::uuid $$;

CREATE FUNCTION app_current_user_id() RETURNS uuid
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT NULLIF(current_setting('app.current_user_id', true), '')::uuid $$;

CREATE TABLE users (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email                text NOT NULL CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 320),
  name                 text,
  image                text,
  password_hash        text,
  email_verified_at    timestamptz(6),
  sessions_valid_after timestamptz(6) NOT NULL DEFAULT now(),
  created_at           timestamptz(6) NOT NULL DEFAULT now(),
  updated_at           timestamptz(6) NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (email);

CREATE TABLE accounts (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id             uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  provider            text NOT NULL,
  provider_account_id text NOT NULL,
  created_at          timestamptz(6) NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX accounts_provider_provider_account_id_key ON accounts (provider, provider_account_id);
CREATE INDEX accounts_user_id_idx ON accounts (user_id);

CREATE TABLE organizations (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name        text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 120),
  slug        text NOT NULL CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,46}[a-z0-9]$'),
  description text,
  logo_url    text,
  plan        organization_plan NOT NULL DEFAULT 'free',
  status      organization_status NOT NULL DEFAULT 'active',
  settings    jsonb NOT NULL DEFAULT '{}',
  timezone    text NOT NULL DEFAULT 'UTC',
  currency    char(3) NOT NULL DEFAULT 'USD',
  deleted_at  timestamptz(6),
  created_at  timestamptz(6) NOT NULL DEFAULT now(),
  updated_at  timestamptz(6) NOT NULL DEFAULT now(),
  CHECK ((status = 'deleted') = (deleted_at IS NOT NULL))
);
CREATE UNIQUE INDEX organizations_slug_key ON organizations (slug);

CREATE TABLE members (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  user_id         uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role            member_role NOT NULL DEFAULT 'member',
  invited_by      uuid,
  joined_at       timestamptz(6) NOT NULL DEFAULT now(),
  created_at      timestamptz(6) NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX members_organization_id_user_id_key ON members (organization_id, user_id);
CREATE UNIQUE INDEX members_organization_id_id_key ON members (organization_id, id);
CREATE INDEX members_organization_id_role_idx ON members (organization_id, role);
-- Cross-org lookup of the signed-in user's own memberships (org switcher).
CREATE INDEX members_user_id_idx ON members (user_id);

CREATE TABLE member_permission_overrides (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  member_id       uuid NOT NULL,
  permission      text NOT NULL,
  effect          override_effect NOT NULL,
  expires_at      timestamptz(6),
  granted_by      uuid,
  created_at      timestamptz(6) NOT NULL DEFAULT now(),
  FOREIGN KEY (organization_id, member_id) REFERENCES members (organization_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX member_permission_overrides_organization_id_member_id_permission_key
  ON member_permission_overrides (organization_id, member_id, permission);

CREATE TABLE teams (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  parent_team_id  uuid,
  name            text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 120),
  description     text,
  settings        jsonb NOT NULL DEFAULT '{}',
  created_at      timestamptz(6) NOT NULL DEFAULT now(),
  updated_at      timestamptz(6) NOT NULL DEFAULT now(),
  CONSTRAINT teams_organization_id_id_key UNIQUE (organization_id, id),
  -- The composite key makes a parent in another organization impossible.
  FOREIGN KEY (organization_id, parent_team_id) REFERENCES teams (organization_id, id) ON DELETE RESTRICT,
  CHECK (parent_team_id IS DISTINCT FROM id)
);
-- NULLS NOT DISTINCT: two top-level teams may not share a name either.
CREATE UNIQUE INDEX teams_organization_id_parent_team_id_name_key
  ON teams (organization_id, parent_team_id, name) NULLS NOT DISTINCT;

-- The team tree stays a tree of depth <= 5 whatever the caller does. Tree changes of one
-- organization are serialized by a transaction lock, so two concurrent moves cannot build
-- a cycle that neither saw alone.
CREATE FUNCTION teams_enforce_tree() RETURNS trigger
  LANGUAGE plpgsql AS $$
DECLARE
  ancestor_depth int := 0;
  creates_cycle boolean := false;
  subtree_height int;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('teams_tree:' || NEW.organization_id::text, 0));

  IF NEW.parent_team_id IS NOT NULL THEN
    WITH RECURSIVE up(id, parent_team_id, depth) AS (
      SELECT t.id, t.parent_team_id, 1
        FROM teams t
       WHERE t.organization_id = NEW.organization_id AND t.id = NEW.parent_team_id
      UNION ALL
      SELECT t.id, t.parent_team_id, up.depth + 1
        FROM teams t
        JOIN up ON t.id = up.parent_team_id AND t.organization_id = NEW.organization_id
       WHERE up.id <> NEW.id AND up.depth < 10
    )
    SELECT coalesce(max(depth), 0), coalesce(bool_or(id = NEW.id), false)
      INTO ancestor_depth, creates_cycle
      FROM up;
    IF creates_cycle THEN
      RAISE EXCEPTION 'team % cannot be moved under its own descendant', NEW.id
        USING ERRCODE = 'integrity_constraint_violation', CONSTRAINT = 'teams_no_cycle';
    END IF;
  END IF;

  -- Height of the subtree rooted at NEW (1 for a leaf); only an existing row has children.
  WITH RECURSIVE down(id, height) AS (
    SELECT NEW.id, 1
    UNION ALL
    SELECT t.id, down.height + 1
      FROM teams t
      JOIN down ON t.parent_team_id = down.id AND t.organization_id = NEW.organization_id
     WHERE down.height < 10
  )
  SELECT max(height) INTO subtree_height FROM down;

  IF ancestor_depth + subtree_height > 5 THEN
    RAISE EXCEPTION 'team tree would be % levels deep; at most 5 are allowed', ancestor_depth + subtree_height
      USING ERRCODE = 'integrity_constraint_violation', CONSTRAINT = 'teams_max_depth';
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER teams_enforce_tree
  BEFORE INSERT OR UPDATE OF parent_team_id ON teams
  FOR EACH ROW EXECUTE FUNCTION teams_enforce_tree();

CREATE TABLE team_memberships (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  team_id         uuid NOT NULL,
  member_id       uuid NOT NULL,
  role            team_role NOT NULL DEFAULT 'member',
  created_at      timestamptz(6) NOT NULL DEFAULT now(),
  FOREIGN KEY (organization_id, team_id) REFERENCES teams (organization_id, id) ON DELETE CASCADE,
  FOREIGN KEY (organization_id, member_id) REFERENCES members (organization_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX team_memberships_organization_id_team_id_member_id_key
  ON team_memberships (organization_id, team_id, member_id);
CREATE INDEX team_memberships_organization_id_member_id_idx ON team_memberships (organization_id, member_id);

CREATE TABLE invitations (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  email           text NOT NULL CHECK (email = lower(email)),
  role            member_role NOT NULL DEFAULT 'member',
  team_ids        uuid[] NOT NULL DEFAULT '{}',
  -- Globally unique on purpose: an invitation is found by its token before its org is known.
  token_hash      text NOT NULL,
  invited_by      uuid,
  expires_at      timestamptz(6) NOT NULL DEFAULT (now() + '7 days'::interval),
  accepted_at     timestamptz(6),
  revoked_at      timestamptz(6),
  created_at      timestamptz(6) NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX invitations_token_hash_key ON invitations (token_hash);
CREATE INDEX invitations_organization_id_email_idx ON invitations (organization_id, email);

-- No foreign keys: a purged organization keeps its audit trail until retention removes it.
CREATE TABLE audit_events (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL,
  actor_type      actor_type NOT NULL,
  actor_id        uuid,
  action          text NOT NULL,
  target_type     text,
  target_id       text,
  before          jsonb,
  after           jsonb,
  ip              text,
  user_agent      text,
  request_id      text,
  created_at      timestamptz(6) NOT NULL DEFAULT now(),
  prev_hash       text,
  hash            text NOT NULL
);
CREATE INDEX audit_events_organization_id_created_at_idx ON audit_events (organization_id, created_at);
CREATE INDEX audit_events_organization_id_action_idx ON audit_events (organization_id, action);
CREATE INDEX audit_events_organization_id_actor_id_idx ON audit_events (organization_id, actor_id);

-- Append-only for everyone, the owner included (the app role has no UPDATE/DELETE grant
-- either; this also stops a superuser's accidental statement).
CREATE FUNCTION audit_events_refuse_change() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only (% refused)', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER audit_events_append_only
  BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_change();
CREATE TRIGGER audit_events_no_truncate
  BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse_change();

-- Row-level security: enabled and forced (the owner is subject to it too).
ALTER TABLE organizations ENABLE ROW LEVEL SECURITY;
ALTER TABLE organizations FORCE ROW LEVEL SECURITY;
ALTER TABLE members ENABLE ROW LEVEL SECURITY;
ALTER TABLE members FORCE ROW LEVEL SECURITY;
ALTER TABLE member_permission_overrides ENABLE ROW LEVEL SECURITY;
ALTER TABLE member_permission_overrides FORCE ROW LEVEL SECURITY;
ALTER TABLE teams ENABLE ROW LEVEL SECURITY;
ALTER TABLE teams FORCE ROW LEVEL SECURITY;
ALTER TABLE team_memberships ENABLE ROW LEVEL SECURITY;
ALTER TABLE team_memberships FORCE ROW LEVEL SECURITY;
ALTER TABLE invitations ENABLE ROW LEVEL SECURITY;
ALTER TABLE invitations FORCE ROW LEVEL SECURITY;
ALTER TABLE audit_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_events FORCE ROW LEVEL SECURITY;

-- An organization is visible as the current org, or to a user who is one of its members
-- (the org switcher); it is changed only as the current org.
CREATE POLICY organizations_select ON organizations FOR SELECT
  USING (id = app_current_org_id()
         OR id IN (SELECT m.organization_id FROM members m WHERE m.user_id = app_current_user_id()));
CREATE POLICY organizations_insert ON organizations FOR INSERT
  WITH CHECK (id = app_current_org_id());
CREATE POLICY organizations_update ON organizations FOR UPDATE
  USING (id = app_current_org_id()) WITH CHECK (id = app_current_org_id());
CREATE POLICY organizations_delete ON organizations FOR DELETE
  USING (id = app_current_org_id());

CREATE POLICY tenant_isolation ON members
  USING (organization_id = app_current_org_id()) WITH CHECK (organization_id = app_current_org_id());
-- The signed-in user may read their own memberships in every org, and nothing else of them.
CREATE POLICY members_own_rows ON members FOR SELECT
  USING (user_id = app_current_user_id());
CREATE POLICY tenant_isolation ON member_permission_overrides
  USING (organization_id = app_current_org_id()) WITH CHECK (organization_id = app_current_org_id());
CREATE POLICY tenant_isolation ON teams
  USING (organization_id = app_current_org_id()) WITH CHECK (organization_id = app_current_org_id());
CREATE POLICY tenant_isolation ON team_memberships
  USING (organization_id = app_current_org_id()) WITH CHECK (organization_id = app_current_org_id());
CREATE POLICY tenant_isolation ON invitations
  USING (organization_id = app_current_org_id()) WITH CHECK (organization_id = app_current_org_id());
CREATE POLICY audit_events_select ON audit_events FOR SELECT
  USING (organization_id = app_current_org_id());
CREATE POLICY audit_events_insert ON audit_events FOR INSERT
  WITH CHECK (organization_id = app_current_org_id());

-- The app role's rights: data only, never DDL, never ownership.
GRANT USAGE ON SCHEMA public TO aihub_app;
GRANT EXECUTE ON FUNCTION app_current_org_id(), app_current_user_id() TO aihub_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON users, accounts TO aihub_app;
GRANT SELECT, INSERT, UPDATE ON organizations TO aihub_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON members, member_permission_overrides, teams, team_memberships, invitations TO aihub_app;
GRANT SELECT, INSERT ON audit_events TO aihub_app;
