-- Provider connections: where an organization's model calls go (an OpenAI-compatible base URL),
-- with the provider's credential encrypted at rest (AES-256-GCM under PROVIDER_SECRET_KEY; the
-- database never sees the key or the plain credential, only its last four characters), the
-- models the connection serves, aliases (a name callers use → the provider's model) and the
-- upstream timeout. The gateway picks, per request, the first active connection serving the model.
CREATE TABLE provider_connections (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id  uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  name             text NOT NULL,
  base_url         text NOT NULL,
  -- "v1.<iv>.<tag>.<ciphertext>", base64url parts (services/providers/credential-crypto.ts).
  api_key_encrypted text NOT NULL,
  key_last4        text NOT NULL,
  models           text[] NOT NULL DEFAULT '{}',
  model_aliases    jsonb NOT NULL DEFAULT '{}',
  timeout_ms       integer NOT NULL DEFAULT 60000 CHECK (timeout_ms BETWEEN 1 AND 600000),
  status           text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  created_by       uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at       timestamptz(6) NOT NULL DEFAULT now(),
  updated_at       timestamptz(6) NOT NULL DEFAULT now(),
  CONSTRAINT provider_connections_organization_id_id_key UNIQUE (organization_id, id),
  CONSTRAINT provider_connections_organization_id_name_key UNIQUE (organization_id, name)
);

ALTER TABLE provider_connections ENABLE ROW LEVEL SECURITY;
ALTER TABLE provider_connections FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON provider_connections
  USING (organization_id = app_current_org_id()) WITH CHECK (organization_id = app_current_org_id());

GRANT SELECT, INSERT, UPDATE, DELETE ON provider_connections TO aihub_app;
