import type { TenantTransaction } from "@aihub/db";

/** A message the outbox hands to a sender. */
export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
}

export interface EmailSender {
  readonly name: string;
  send(email: OutgoingEmail): Promise<void>;
}

/**
 * Whether mail printed to the log may show its links. Links carry single-use tokens (sign-in
 * resets, invitations), and production logs are read by more people than the mail's
 * recipient, so only the embedded database and development show them.
 */
export function mayPrintLinks(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.AIHUB_DATABASE_BACKEND === "pglite" || env.NODE_ENV !== "production";
}

const LINK = /\bhttps?:\/\/\S+/g;

/**
 * The sender when no SMTP server is configured: prints the mail to the server log — with its
 * links in embedded and development mode, with links hidden otherwise.
 */
export function createConsoleSender(options: { showLinks: boolean } = { showLinks: mayPrintLinks() }): EmailSender {
  return {
    name: options.showLinks ? "console" : "console (links hidden)",
    async send(email) {
      const text = options.showLinks ? email.text : email.text.replace(LINK, "[link hidden: set SMTP_URL to deliver mail]");
      console.log(`[email] to=${email.to} subject=${JSON.stringify(email.subject)}\n${text}`);
    },
  };
}

/** Where links in emails point (the console's public URL). */
export function appUrl(path: string): string {
  const base = process.env.APP_URL ?? process.env.NEXTAUTH_URL ?? "http://127.0.0.1:3000";
  return new URL(path, base).toString();
}

export type EmailTemplate = "verify_email" | "reset_password" | "sign_up_existing_account" | "invitation" | "budget_alert";

/** Queues a message in the same transaction as the change that causes it. */
export async function enqueueEmail(
  tx: Pick<TenantTransaction, "emailOutbox">,
  email: OutgoingEmail & { template: EmailTemplate },
): Promise<void> {
  await tx.emailOutbox.create({ data: { toEmail: email.to, template: email.template, subject: email.subject, bodyText: email.text } });
}

/** An SMTP sender for `SMTP_URL` (e.g. smtp://user:pass@mail.example.com:587), from `EMAIL_FROM`. */
export async function createSmtpSender(url: string, from: string): Promise<EmailSender> {
  const { createTransport } = await import("nodemailer");
  const transport = createTransport(url);
  return {
    name: "smtp",
    async send(email) {
      await transport.sendMail({ from, to: email.to, subject: email.subject, text: email.text });
    },
  };
}

/** The configured sender: SMTP when SMTP_URL is set, else the console (links per `mayPrintLinks`). */
export async function senderFromEnv(env: NodeJS.ProcessEnv = process.env): Promise<EmailSender> {
  return env.SMTP_URL
    ? createSmtpSender(env.SMTP_URL, env.EMAIL_FROM ?? "AI Hub Enterprise <no-reply@localhost>")
    : createConsoleSender({ showLinks: mayPrintLinks(env) });
}
