-- Personal access tokens: a person's own credential for the API (scripts, CLIs), created and
-- revoked on the account page. Per user, not per organization: in each organization a token
-- holds at most what its person holds there, intersected with its scopes (decided in the API).
-- Only an HMAC of the token is kept; it always expires (at most a year after creation).
CREATE TABLE personal_access_tokens (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name         text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 120),
  -- Globally unique on purpose: a token is looked up by its hash before its user is known.
  token_hash   text NOT NULL,
  token_prefix text NOT NULL,
  -- Never empty, never the owner-only permissions (a token never deletes or transfers an org).
  scopes       text[] NOT NULL CHECK (cardinality(scopes) > 0 AND NOT (scopes && ARRAY['org:delete', 'org:transfer'])),
  -- A day of slack over the year the API allows: the app's clock and the database's may differ.
  expires_at   timestamptz(6) NOT NULL,
  last_used_at timestamptz(6),
  revoked_at   timestamptz(6),
  created_at   timestamptz(6) NOT NULL DEFAULT now(),
  CONSTRAINT personal_access_tokens_expiry_max CHECK (expires_at <= created_at + interval '1 year 1 day')
);
CREATE UNIQUE INDEX personal_access_tokens_token_hash_key ON personal_access_tokens (token_hash);
CREATE INDEX personal_access_tokens_user_id_created_at_idx ON personal_access_tokens (user_id, created_at);

-- A person sees and changes only their own tokens (app.current_user_id); nobody deletes a row
-- (revoking sets revoked_at; the rows go with their user).
ALTER TABLE personal_access_tokens ENABLE ROW LEVEL SECURITY;
ALTER TABLE personal_access_tokens FORCE ROW LEVEL SECURITY;
CREATE POLICY personal_access_tokens_own ON personal_access_tokens
  USING (user_id = app_current_user_id()) WITH CHECK (user_id = app_current_user_id());
-- The owner role reads any token, but only inside the lookup function below: the one way to
-- find a token before its user is known.
CREATE POLICY personal_access_tokens_lookup ON personal_access_tokens FOR SELECT TO aihub_owner USING (true);

CREATE FUNCTION personal_access_token_lookup(p_token_hash text)
  RETURNS TABLE (id uuid, user_id uuid, scopes text[], expires_at timestamptz, revoked_at timestamptz)
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$
    SELECT t.id, t.user_id, t.scopes, t.expires_at, t.revoked_at
      FROM personal_access_tokens t
     WHERE t.token_hash = p_token_hash
  $$;
REVOKE ALL ON FUNCTION personal_access_token_lookup(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION personal_access_token_lookup(text) TO aihub_app;

GRANT SELECT, INSERT, UPDATE ON personal_access_tokens TO aihub_app;
