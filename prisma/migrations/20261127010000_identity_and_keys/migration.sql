-- Identity and organization API keys: single-use account tokens, the email outbox, and the
-- keys that internal services call the gateway with.

CREATE TYPE auth_token_purpose AS ENUM ('email_verification', 'password_reset');
CREATE TYPE api_key_status AS ENUM ('active', 'revoked', 'expired');

-- Email verification and password reset. Only a hash of the token is kept; used once; expires.
CREATE TABLE auth_tokens (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  purpose    auth_token_purpose NOT NULL,
  token_hash text NOT NULL,
  expires_at timestamptz(6) NOT NULL,
  used_at    timestamptz(6),
  created_at timestamptz(6) NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX auth_tokens_token_hash_key ON auth_tokens (token_hash);
CREATE INDEX auth_tokens_user_id_purpose_idx ON auth_tokens (user_id, purpose);

-- Mail waiting for (or handed to) the configured sender. A row is written in the same
-- transaction as the change that causes it, so no mail is lost or sent for a rolled-back change.
CREATE TABLE email_outbox (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  to_email   text NOT NULL,
  template   text NOT NULL,
  subject    text NOT NULL,
  body_text  text NOT NULL,
  attempts   integer NOT NULL DEFAULT 0,
  last_error text,
  sent_at    timestamptz(6),
  created_at timestamptz(6) NOT NULL DEFAULT now()
);
CREATE INDEX email_outbox_sent_at_created_at_idx ON email_outbox (sent_at, created_at);
CREATE INDEX email_outbox_to_email_idx ON email_outbox (to_email);

CREATE TABLE org_api_keys (
  id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id       uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  team_id               uuid,
  name                  text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 120),
  -- Globally unique on purpose: a key is looked up by its hash before its org is known.
  key_hash              text NOT NULL,
  key_prefix            text NOT NULL,
  scopes                text[] NOT NULL DEFAULT '{}',
  rate_limit_per_minute integer NOT NULL DEFAULT 100 CHECK (rate_limit_per_minute > 0),
  monthly_quota         integer NOT NULL DEFAULT 1000000 CHECK (monthly_quota > 0),
  status                api_key_status NOT NULL DEFAULT 'active',
  last_used_at          timestamptz(6),
  created_by            uuid,
  created_at            timestamptz(6) NOT NULL DEFAULT now(),
  expires_at            timestamptz(6),
  revoked_at            timestamptz(6),
  rotated_from_id       uuid,
  FOREIGN KEY (organization_id, team_id) REFERENCES teams (organization_id, id) ON DELETE SET NULL (team_id)
);
CREATE UNIQUE INDEX org_api_keys_key_hash_key ON org_api_keys (key_hash);
CREATE UNIQUE INDEX org_api_keys_organization_id_id_key ON org_api_keys (organization_id, id);
CREATE INDEX org_api_keys_organization_id_status_idx ON org_api_keys (organization_id, status);

ALTER TABLE org_api_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE org_api_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON org_api_keys
  USING (organization_id = app_current_org_id()) WITH CHECK (organization_id = app_current_org_id());
-- The owner role reads any key, but only inside the lookup function below, which is the one
-- way the app role can find a key before it knows the key's organization.
CREATE POLICY org_api_keys_lookup ON org_api_keys FOR SELECT TO aihub_owner USING (true);

CREATE FUNCTION api_key_lookup(p_key_hash text)
  RETURNS TABLE (id uuid, organization_id uuid, team_id uuid, scopes text[], status api_key_status,
                 expires_at timestamptz, rate_limit_per_minute integer, monthly_quota integer)
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$
    SELECT k.id, k.organization_id, k.team_id, k.scopes, k.status, k.expires_at, k.rate_limit_per_minute, k.monthly_quota
      FROM org_api_keys k
     WHERE k.key_hash = p_key_hash
  $$;
REVOKE ALL ON FUNCTION api_key_lookup(text) FROM PUBLIC;

GRANT EXECUTE ON FUNCTION api_key_lookup(text) TO aihub_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON auth_tokens TO aihub_app;
GRANT SELECT, INSERT, UPDATE ON email_outbox TO aihub_app;
GRANT SELECT, INSERT, UPDATE ON org_api_keys TO aihub_app;
