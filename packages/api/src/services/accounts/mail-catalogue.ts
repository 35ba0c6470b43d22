import { quoted } from "./mail-text.js";

/** The languages mail is written in: the console's. */
export const LOCALES = ["en", "zh-CN"] as const;
export type Locale = (typeof LOCALES)[number];

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

type Mail = { subject: string; text: string };

interface Messages {
  signUpExisting(input: { email: string; signInUrl: string; resetUrl: string }): Mail;
  welcome(input: { name: string; verifyUrl: string }): Mail;
  verify(input: { verifyUrl: string }): Mail;
  resetPassword(input: { resetUrl: string }): Mail;
  /** `orgName` is someone's text: quoted and kept to one line, it cannot add lines or headers. */
  invitation(input: { orgName: string; role: string; acceptUrl: string }): Mail;
  /** A budget alert: `threshold` percent reached, or (forecast) the month-end projection above the limit. */
  budgetAlert(input: {
    orgName: string;
    budget: string;
    kind: "threshold" | "forecast";
    threshold: number;
    spent: string;
    limit: string;
    projected: string | null;
    /** A forecast's local day the limit is reached at the current rate. */
    exceedsOn?: string | null;
    url: string;
  }): Mail;
}

const ROLE_NAMES: Record<Locale, Record<string, string>> = {
  en: { owner: "owner", admin: "admin", member: "member", viewer: "viewer" },
  "zh-CN": { owner: "所有者", admin: "管理员", member: "成员", viewer: "查看者" },
};

/**
 * Every account and invitation email, in each language. A recipient gets their own language
 * (`users.locale`); someone without an account yet gets the inviter's.
 */
export const MAIL: Record<Locale, Messages> = {
  en: {
    signUpExisting: ({ email, signInUrl, resetUrl }) => ({
      subject: "Someone tried to sign up with your email",
      text: `An account for ${email} already exists. Sign in at ${signInUrl}, or reset your password at ${resetUrl}.\nIf this was not you, you can ignore this message.`,
    }),
    welcome: ({ name, verifyUrl }) => ({
      subject: "Verify your email for AI Hub Enterprise",
      text: `Welcome, ${name}!\nConfirm your email address: ${verifyUrl}\nThe link works once and expires in 24 hours.`,
    }),
    verify: ({ verifyUrl }) => ({
      subject: "Verify your email for AI Hub Enterprise",
      text: `Confirm your email address: ${verifyUrl}\nThe link works once and expires in 24 hours.`,
    }),
    resetPassword: ({ resetUrl }) => ({
      subject: "Reset your AI Hub Enterprise password",
      text: `Choose a new password: ${resetUrl}\nThe link works once and expires in 1 hour. If you did not ask for this, ignore this message.`,
    }),
    invitation: ({ orgName, role, acceptUrl }) => ({
      subject: `You are invited to ${quoted(orgName)} on AI Hub Enterprise`,
      text: `You have been invited to join ${quoted(orgName)} as ${ROLE_NAMES.en[role] ?? role}.\nAccept: ${acceptUrl}\nThe link works once and expires in 7 days.`,
    }),
    budgetAlert: ({ orgName, budget, kind, threshold, spent, limit, projected, exceedsOn, url }) =>
      kind === "forecast"
        ? {
            subject: `Budget forecast: ${budget} of ${quoted(orgName)} is on course to exceed its limit`,
            text: `At the current rate, ${budget} of ${quoted(orgName)} will exceed its limit of ${limit} on ${exceedsOn ?? "?"} and spend ${projected} this month (spent so far: ${spent}).\nBudgets: ${url}`,
          }
        : {
            subject: `Budget alert: ${budget} of ${quoted(orgName)} reached ${threshold}%`,
            text: `${budget} of ${quoted(orgName)} has spent ${spent} of its ${limit} limit this month (${threshold}% reached).\nBudgets: ${url}`,
          },
  },
  "zh-CN": {
    signUpExisting: ({ email, signInUrl, resetUrl }) => ({
      subject: "有人尝试用您的邮箱注册",
      text: `${email} 已有账户。请在 ${signInUrl} 登录,或在 ${resetUrl} 重置密码。\n如果这不是您本人的操作,可以忽略此邮件。`,
    }),
    welcome: ({ name, verifyUrl }) => ({
      subject: "验证您在 AI Hub Enterprise 的邮箱",
      text: `欢迎,${name}!\n请确认您的邮箱地址:${verifyUrl}\n链接只能使用一次,24 小时后失效。`,
    }),
    verify: ({ verifyUrl }) => ({
      subject: "验证您在 AI Hub Enterprise 的邮箱",
      text: `请确认您的邮箱地址:${verifyUrl}\n链接只能使用一次,24 小时后失效。`,
    }),
    resetPassword: ({ resetUrl }) => ({
      subject: "重置您的 AI Hub Enterprise 密码",
      text: `设置新密码:${resetUrl}\n链接只能使用一次,1 小时后失效。如果您没有申请重置,请忽略此邮件。`,
    }),
    invitation: ({ orgName, role, acceptUrl }) => ({
      subject: `您受邀加入 AI Hub Enterprise 上的 ${quoted(orgName)}`,
      text: `您受邀以${ROLE_NAMES["zh-CN"][role] ?? role}身份加入 ${quoted(orgName)}。\n接受邀请:${acceptUrl}\n链接只能使用一次,7 天后失效。`,
    }),
    budgetAlert: ({ orgName, budget, kind, threshold, spent, limit, projected, exceedsOn, url }) =>
      kind === "forecast"
        ? {
            subject: `预算预测:${quoted(orgName)} 的 ${budget} 预计将超出限额`,
            text: `按当前速度,${quoted(orgName)} 的 ${budget} 将于 ${exceedsOn ?? "?"} 超出限额 ${limit},本月预计支出 ${projected}(目前已支出 ${spent})。\n预算:${url}`,
          }
        : {
            subject: `预算提醒:${quoted(orgName)} 的 ${budget} 已达到 ${threshold}%`,
            text: `${quoted(orgName)} 的 ${budget} 本月已支出 ${spent},限额为 ${limit}(已达到 ${threshold}%)。\n预算:${url}`,
          },
  },
};

/** The messages in `locale`, English for anything unknown (a row written before a language was added). */
export function mailIn(locale: string | null | undefined): Messages {
  return MAIL[isLocale(locale) ? locale : "en"];
}
