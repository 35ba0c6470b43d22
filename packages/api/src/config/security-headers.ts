import { randomBytes } from "node:crypto";

/** A fresh CSP nonce (base64, as Next.js expects it in `'nonce-…'`). */
export function createNonce(): string {
  return randomBytes(16).toString("base64");
}

/**
 * The console's Content-Security-Policy. Scripts: our own files plus the inline ones Next.js
 * renders, which carry the per-response nonce (Next reads it from the request's
 * Content-Security-Policy header, so the launcher sets the same policy on the request it hands
 * to Next). Styles allow inline `style` attributes (indentation in trees and charts); nothing
 * may frame the console, and it talks only to itself.
 */
export function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/**
 * Headers on every console response: the policy above, no Referer (URLs carry one-time tokens:
 * verification, reset, invitation links), no MIME sniffing, and HSTS when the request came over
 * HTTPS (directly, or via a trusted proxy's X-Forwarded-Proto).
 */
export function securityHeaders(options: { nonce: string; https: boolean }): Record<string, string> {
  const headers: Record<string, string> = {
    "content-security-policy": contentSecurityPolicy(options.nonce),
    "referrer-policy": "no-referrer",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
  };
  if (options.https) headers["strict-transport-security"] = "max-age=31536000; includeSubDomains";
  return headers;
}
