import { type Database, hashPassword, verifyPassword } from "@aihub/db";
import { DomainError } from "../../errors.js";
import type { Store } from "../../store/index.js";
import type { UserServiceContext } from "../service-context.js";
import { appUrl, enqueueEmail } from "./email.js";
import { type Locale, mailIn } from "./mail-catalogue.js";
import { ACCOUNT_RATE_LIMITS, enforceRateLimits } from "./rate-limit.js";
import { consumeAuthToken, createAuthToken } from "./tokens.js";

export interface AccountDeps {
  db: Database;
  store: Store;
  /** The caller's address, for per-IP limits ("unknown" when the transport cannot tell). */
  ip: string | null;
}

/** Every request that may concern an existing account gets this same answer. */
export const CHECK_EMAIL = { status: "check_email" } as const;
const INVALID_LINK = () =>
  new DomainError("BAD_REQUEST", "This link is invalid or has expired. Request a new one.", { reason: "INVALID_TOKEN" });

// A real hash to verify against when the email is unknown, so both paths take the same time.
let decoyHash: Promise<string> | undefined;
const decoy = () => {
  decoyHash ??= hashPassword("decoy-password-for-timing");
  return decoyHash;
};

/**
 * Creates an account and mails a verification link. If the email already has an account, the
 * owner is told by mail instead, and the caller gets the same answer either way.
 */
export async function signUp(deps: AccountDeps, input: { email: string; password: string; name: string; locale?: Locale }) {
  await enforceRateLimits(deps.store, [
    { rule: ACCOUNT_RATE_LIMITS.signUpPerIp, subject: deps.ip ?? "unknown" },
    { rule: ACCOUNT_RATE_LIMITS.emailPerAddress, subject: input.email },
  ]);
  const passwordHash = await hashPassword(input.password);
  await deps.db.prisma.$transaction(async (tx) => {
    const existing = await tx.user.findUnique({ where: { email: input.email } });
    if (existing) {
      // In the account owner's language, not the visitor's.
      const mail = mailIn(existing.locale).signUpExisting({
        email: input.email,
        signInUrl: appUrl("/sign-in"),
        resetUrl: appUrl("/forgot-password"),
      });
      await enqueueEmail(tx, { template: "sign_up_existing_account", to: input.email, ...mail });
      return;
    }
    const locale = input.locale ?? "en";
    const user = await tx.user.create({ data: { email: input.email, name: input.name, passwordHash, locale } });
    const token = await createAuthToken(tx, user.id, "email_verification");
    const mail = mailIn(locale).welcome({ name: input.name, verifyUrl: appUrl(`/verify-email?token=${token}`) });
    await enqueueEmail(tx, { template: "verify_email", to: input.email, ...mail });
  });
  return CHECK_EMAIL;
}

/**
 * Checks an email and password; null when they do not match an account (without saying
 * which part was wrong). Limited per IP and per email.
 */
export async function verifyCredentials(deps: AccountDeps, input: { email: string; password: string }): Promise<{ userId: string } | null> {
  await enforceRateLimits(deps.store, [
    { rule: ACCOUNT_RATE_LIMITS.signInPerIp, subject: deps.ip ?? "unknown" },
    { rule: ACCOUNT_RATE_LIMITS.signInPerEmail, subject: input.email },
  ]);
  const user = await deps.db.prisma.user.findUnique({ where: { email: input.email }, select: { id: true, passwordHash: true } });
  const matches = await verifyPassword(input.password, user?.passwordHash ?? (await decoy()));
  return user?.passwordHash && matches ? { userId: user.id } : null;
}

export async function requestPasswordReset(deps: AccountDeps, input: { email: string }) {
  await enforceRateLimits(deps.store, [
    { rule: ACCOUNT_RATE_LIMITS.emailPerIp, subject: deps.ip ?? "unknown" },
    { rule: ACCOUNT_RATE_LIMITS.emailPerAddress, subject: input.email },
  ]);
  await deps.db.prisma.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { email: input.email } });
    if (!user) return;
    const token = await createAuthToken(tx, user.id, "password_reset");
    const mail = mailIn(user.locale).resetPassword({ resetUrl: appUrl(`/reset-password?token=${token}`) });
    await enqueueEmail(tx, { template: "reset_password", to: user.email, ...mail });
  });
  return CHECK_EMAIL;
}

/** Sets a new password with a reset link; every existing session of the account ends. */
export async function resetPassword(deps: AccountDeps, input: { token: string; password: string }) {
  await enforceRateLimits(deps.store, [{ rule: ACCOUNT_RATE_LIMITS.tokenPerIp, subject: deps.ip ?? "unknown" }]);
  const passwordHash = await hashPassword(input.password);
  await deps.db.prisma.$transaction(async (tx) => {
    const userId = await consumeAuthToken(tx, input.token, "password_reset");
    if (!userId) throw INVALID_LINK();
    const user = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { emailVerifiedAt: true } });
    const now = new Date();
    // Following the link proved the address, too.
    await tx.user.update({
      where: { id: userId },
      data: { passwordHash, sessionsValidAfter: now, emailVerifiedAt: user.emailVerifiedAt ?? now },
    });
  });
  return { status: "password_changed" as const };
}

export async function verifyEmail(deps: AccountDeps, input: { token: string }) {
  await enforceRateLimits(deps.store, [{ rule: ACCOUNT_RATE_LIMITS.tokenPerIp, subject: deps.ip ?? "unknown" }]);
  await deps.db.prisma.$transaction(async (tx) => {
    const userId = await consumeAuthToken(tx, input.token, "email_verification");
    if (!userId) throw INVALID_LINK();
    await tx.user.update({ where: { id: userId }, data: { emailVerifiedAt: new Date() } });
  });
  return { status: "email_verified" as const };
}

export async function requestEmailVerification(deps: UserServiceContext) {
  const user = await deps.db.prisma.user.findUniqueOrThrow({ where: { id: deps.userId } });
  await enforceRateLimits(deps.store, [{ rule: ACCOUNT_RATE_LIMITS.emailPerAddress, subject: user.email }]);
  if (user.emailVerifiedAt) return { status: "already_verified" as const };
  await deps.db.prisma.$transaction(async (tx) => {
    const token = await createAuthToken(tx, user.id, "email_verification");
    const mail = mailIn(user.locale).verify({ verifyUrl: appUrl(`/verify-email?token=${token}`) });
    await enqueueEmail(tx, { template: "verify_email", to: user.email, ...mail });
  });
  return CHECK_EMAIL;
}

/** Changes the password after checking the current one; every session ends (sign in again). */
export async function changePassword(deps: UserServiceContext, input: { currentPassword: string; newPassword: string }) {
  const { userId } = deps;
  await enforceRateLimits(deps.store, [{ rule: ACCOUNT_RATE_LIMITS.signInPerEmail, subject: `user:${userId}` }]);
  const user = await deps.db.prisma.user.findUniqueOrThrow({ where: { id: userId } });
  if (!user.passwordHash || !(await verifyPassword(input.currentPassword, user.passwordHash))) {
    throw new DomainError("BAD_REQUEST", "The current password is not right", { reason: "WRONG_PASSWORD" });
  }
  await deps.db.prisma.user.update({
    where: { id: userId },
    data: { passwordHash: await hashPassword(input.newPassword), sessionsValidAfter: new Date() },
  });
  return { status: "password_changed" as const };
}

/** Ends every session of the account, this one included. */
export async function signOutEverywhere(deps: UserServiceContext) {
  await deps.db.prisma.user.update({ where: { id: deps.userId }, data: { sessionsValidAfter: new Date() } });
  return { status: "signed_out" as const };
}

/**
 * Whether a session that began at `authTime` (ms) still counts: the user exists and has not
 * signed out everywhere (or changed password) since.
 */
export async function resolveSession(db: Database, session: { userId: string; authTime: number }): Promise<{ userId: string } | null> {
  const user = await db.prisma.user.findUnique({ where: { id: session.userId }, select: { sessionsValidAfter: true } });
  if (!user || session.authTime < user.sessionsValidAfter.getTime()) return null;
  return { userId: session.userId };
}

/** The language of the person's mail (and of the console, which sets it when they switch). */
export async function setLocale(deps: UserServiceContext, input: { locale: Locale }) {
  await deps.db.prisma.user.update({ where: { id: deps.userId }, data: { locale: input.locale } });
  return { locale: input.locale };
}
