-- Invariants at every isolation level, notifications only to people of the organization, and
-- databases migrated with an earlier text of 20261127020000_org_management brought up to date.

-- ---------------------------------------------------------------------------------------------
-- 1. 20261127020000_org_management was edited after it landed. A database migrated with an
--    earlier text has its older objects; this repeats everything that changed, idempotently, so
--    old and new databases end in the same state (a test builds one from each past text).

-- invitation_lookup gained organization_slug: its result type changed, so it is recreated.
DROP FUNCTION IF EXISTS invitation_lookup(text);
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

-- A key of a deleted organization stops working with it (the first text lacked this).
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

-- The last-owner check reads members as the owner role, whatever the tenant context.
DROP POLICY IF EXISTS members_owner_read ON members;
CREATE POLICY members_owner_read ON members FOR SELECT TO aihub_owner USING (true);

-- ---------------------------------------------------------------------------------------------
-- 2. An organization always has an owner, at READ COMMITTED, REPEATABLE READ and SERIALIZABLE.
--
-- A check that only counts owners is not enough: at REPEATABLE READ it counts in the
-- transaction's snapshot, so two transactions demoting the last two owners each still see the
-- other owner and both commit. So whoever demotes or removes an owner first locks every owner
-- row of the organization (members_lock_owners, at the change). A second demotion then waits
-- for the first; once the first commits, at READ COMMITTED the second re-reads and the
-- deferred check refuses it, and at REPEATABLE READ / SERIALIZABLE locking an owner row that
-- the first changed after the second's snapshot is a serialization failure (40001).
--
-- Locking needs the rows to pass the UPDATE policies too. This one lets the owner role lock
-- member rows whatever the tenant context (a cascade from users runs with none), only inside
-- the function below (which sets app.locking_owners for its own duration), and never write
-- one: its WITH CHECK refuses every row an update would produce.
CREATE POLICY members_owner_lock ON members FOR UPDATE TO aihub_owner
  USING (current_setting('app.locking_owners', true) = 'on') WITH CHECK (false);

CREATE FUNCTION members_lock_owners() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  PERFORM set_config('app.locking_owners', 'on', true);
  -- In id order, so two lockers of one organization queue instead of deadlocking.
  PERFORM 1 FROM members WHERE organization_id = OLD.organization_id AND role = 'owner' ORDER BY id FOR NO KEY UPDATE;
  PERFORM set_config('app.locking_owners', '', true);
  RETURN NULL;
END $$;
CREATE TRIGGER members_lock_owners
  AFTER UPDATE OF role OR DELETE ON members
  FOR EACH ROW WHEN (OLD.role = 'owner')
  EXECUTE FUNCTION members_lock_owners();

-- The check itself, at commit (the same as before, now SECURITY DEFINER on old databases too).
-- Every owner it can count is locked by this transaction (or was promoted later and only
-- adds to the count), so the answer still holds when the transaction commits.
CREATE OR REPLACE FUNCTION members_keep_an_owner() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('org_owners:' || OLD.organization_id::text, 0));
  IF EXISTS (SELECT 1 FROM organizations WHERE id = OLD.organization_id)
     AND NOT EXISTS (SELECT 1 FROM members WHERE organization_id = OLD.organization_id AND role = 'owner') THEN
    RAISE EXCEPTION 'organization % would have no owner', OLD.organization_id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'members_last_owner';
  END IF;
  RETURN NULL;
END $$;

-- ---------------------------------------------------------------------------------------------
-- 3. Teams stay a tree of at most five levels, at every isolation level.
--
-- The tree check reads the new parent's ancestors and the moved team's descendants. Row locks
-- on what it reads cannot cover a sub-team inserted concurrently (a new row is nobody's lock),
-- so a change that adds depth writes the organization's row instead (a no-op update): two such
-- changes of one organization conflict. At READ COMMITTED the second waits and then reads the
-- first's result; at REPEATABLE READ / SERIALIZABLE updating a row that a transaction committed
-- after the snapshot is a serialization failure (40001). A new top-level team, or a move to the
-- top, cannot deepen anything or close a cycle, so it does not write the row.
CREATE OR REPLACE FUNCTION teams_enforce_tree() RETURNS trigger
  LANGUAGE plpgsql AS $$
DECLARE
  ancestor_depth int := 0;
  creates_cycle boolean := false;
  subtree_height int;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('teams_tree:' || NEW.organization_id::text, 0));

  IF NEW.parent_team_id IS NOT NULL THEN
    UPDATE organizations SET updated_at = updated_at WHERE id = NEW.organization_id;

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

-- ---------------------------------------------------------------------------------------------
-- 4. A notification goes to someone of the organization: one of its members, or a user whose
--    email has a pending invitation there (the invitation service tells an existing user).
DROP POLICY notifications_insert ON notifications;
CREATE POLICY notifications_insert ON notifications FOR INSERT
  WITH CHECK (
    organization_id = app_current_org_id()
    AND (
      EXISTS (SELECT 1 FROM members m
               WHERE m.organization_id = notifications.organization_id AND m.user_id = notifications.user_id)
      OR EXISTS (SELECT 1 FROM invitations i JOIN users u ON u.email = i.email
                  WHERE i.organization_id = notifications.organization_id AND u.id = notifications.user_id
                    AND i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > now())
    )
  );
