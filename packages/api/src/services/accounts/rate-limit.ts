import { DomainError } from "../../errors.js";
import { createMemoryStore, type Store } from "../../store/index.js";

// When the shared store is unreachable, limits still apply, per process: a degraded limit
// beats none on sign-in (documented choice; see docs/authorization.md).
const fallback = createMemoryStore();

export interface RateLimitRule {
  /** Names the limit in keys and messages, e.g. "sign-in:ip". */
  name: string;
  limit: number;
  windowSeconds: number;
}

/** Counts one attempt against each rule; TOO_MANY_REQUESTS (with retry-after) when any is over. */
export async function enforceRateLimits(store: Store, checks: { rule: RateLimitRule; subject: string }[]): Promise<void> {
  for (const { rule, subject } of checks) {
    const key = `ratelimit:${rule.name}:${subject}`;
    let count: number;
    try {
      count = await store.hit(key, rule.windowSeconds);
    } catch {
      count = await fallback.hit(key, rule.windowSeconds);
    }
    if (count > rule.limit) {
      throw new DomainError("TOO_MANY_REQUESTS", "Too many attempts. Please wait a moment and try again.", {
        reason: "RATE_LIMITED",
        retryAfterSeconds: rule.windowSeconds,
      });
    }
  }
}

/** A positive whole number from the environment, else the default. */
function limitFromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

export const ACCOUNT_RATE_LIMITS = {
  // Configurable per deployment (e.g. many people behind one office address), read on each use.
  get signInPerIp(): RateLimitRule {
    return { name: "sign-in:ip", limit: limitFromEnv("SIGN_IN_ATTEMPTS_PER_IP", 30), windowSeconds: 300 };
  },
  get signInPerEmail(): RateLimitRule {
    return { name: "sign-in:email", limit: limitFromEnv("SIGN_IN_ATTEMPTS_PER_EMAIL", 10), windowSeconds: 300 };
  },
  signUpPerIp: { name: "sign-up:ip", limit: 10, windowSeconds: 600 },
  emailPerAddress: { name: "account-email:email", limit: 5, windowSeconds: 600 },
  emailPerIp: { name: "account-email:ip", limit: 20, windowSeconds: 600 },
  tokenPerIp: { name: "account-token:ip", limit: 30, windowSeconds: 600 },
} as const satisfies Record<string, RateLimitRule>;
