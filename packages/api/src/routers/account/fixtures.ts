import { hashPassword } from "@aihub/db";
import { createUser } from "@aihub/db/testing";
import { createAuthToken } from "../../services/accounts/tokens.js";
import type { ProcedureFixture } from "../../testing/fixtures.js";
import type { accountRouter } from "./router.js";

const tokenFor = async (world: Parameters<ProcedureFixture>[0], purpose: "password_reset" | "email_verification") => {
  const user = await createUser(world.db, { emailVerifiedAt: null });
  return world.db.prisma.$transaction((tx) => createAuthToken(tx, user.id, purpose));
};

export const accountFixtures = {
  signUp: async () => ({ email: `new-${crypto.randomUUID()}@example.test`, password: "a-long-password", name: "New Person" }),
  // A fresh address each call: the per-address limit is not what this test is about.
  requestPasswordReset: async (world) => ({ email: (await createUser(world.db)).email }),
  resetPassword: async (world) => ({ token: await tokenFor(world, "password_reset"), password: "another-long-password" }),
  verifyEmail: async (world) => ({ token: await tokenFor(world, "email_verification") }),
  requestEmailVerification: async () => undefined,
  changePassword: async (world, caller) => {
    if (caller.kind === "user") {
      await world.db.prisma.user.update({ where: { id: caller.userId }, data: { passwordHash: await hashPassword("matrix-password-1") } });
    }
    return { currentPassword: "matrix-password-1", newPassword: "matrix-password-2" };
  },
  signOutEverywhere: async () => undefined,
  // The other language than the caller's current one, so every allowed call changes something.
  setLocale: async (world, caller) => {
    if (caller.kind !== "user") return { locale: "zh-CN" };
    const { locale } = await world.db.prisma.user.findUniqueOrThrow({ where: { id: caller.userId }, select: { locale: true } });
    return { locale: locale === "zh-CN" ? "en" : "zh-CN" };
  },
} satisfies Record<keyof typeof accountRouter._def.record, ProcedureFixture>;
