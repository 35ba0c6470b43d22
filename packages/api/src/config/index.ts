// Start-up and request-edge settings shared by the launchers (apps/web/launch.mjs, the gateway):
// secrets, the client address behind proxies, and the console's security headers. Light on
// purpose (Node built-ins only): a launcher reads it before it loads the database or Next.js.
export {
  applyTrustedForwarding,
  clientAddress,
  normalizeAddress,
  parseTrustProxy,
  peerIsTrustedProxy,
  TRUST_NONE,
  type TrustProxy,
  TrustProxyError,
} from "./client-ip.js";
export {
  type EnsureSecretsResult,
  ensureSecrets,
  MIN_SECRET_LENGTH,
  MissingSecretError,
  readSecret,
  type SecretName,
  secretsFileFor,
  WeakSecretError,
} from "./secrets.js";
export { contentSecurityPolicy, createNonce, securityHeaders } from "./security-headers.js";
