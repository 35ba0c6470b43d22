import type { RateLimitRule } from "../accounts/rate-limit.js";

/** A positive whole number from the environment, else the default. */
function limitFromEnv(name: string, fallback: number, env: NodeJS.ProcessEnv): number {
  const value = Number(env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

/**
 * How much invitation mail one person and one organization may cause: every invitation and
 * every resend sends an email to an address someone typed, so these bound what an account
 * (or a stolen session) can send to strangers. Configurable per deployment.
 */
export function invitationLimits(env: NodeJS.ProcessEnv = process.env) {
  return {
    perInviter: {
      name: "invitation:inviter",
      limit: limitFromEnv("INVITATIONS_PER_INVITER_PER_HOUR", 50, env),
      windowSeconds: 3_600,
    },
    perOrg: {
      name: "invitation:org",
      limit: limitFromEnv("INVITATIONS_PER_ORG_PER_DAY", 200, env),
      windowSeconds: 86_400,
    },
    resendPerInvitation: {
      name: "invitation:resend",
      limit: limitFromEnv("INVITATION_RESENDS_PER_MINUTE", 1, env),
      windowSeconds: 60,
    },
  } satisfies Record<string, RateLimitRule>;
}
