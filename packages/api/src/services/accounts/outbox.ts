import type { Database } from "@aihub/db";
import type { EmailSender } from "./email.js";

const MAX_ATTEMPTS = 5;
/** How long delivered (or abandoned) mail is kept, bodies already cleared, for support questions. */
export const OUTBOX_RETENTION_DAYS = 30;

/**
 * Hands queued mail to the sender. Rows are claimed with SKIP LOCKED, so several processes can
 * deliver at once without sending a message twice; a failure is recorded and retried later.
 * A body holds live links (password reset, verification, invitation): once the message is
 * sent, or abandoned after its last attempt, the body is cleared and only metadata stays.
 */
export async function deliverOutbox(db: Database, sender: EmailSender, limit = 20): Promise<{ sent: number; failed: number }> {
  let sent = 0;
  let failed = 0;
  await db.prisma.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ id: string; to_email: string; subject: string; body_text: string; attempts: number }[]>`
      SELECT id, to_email, subject, body_text, attempts FROM email_outbox
       WHERE sent_at IS NULL AND attempts < ${MAX_ATTEMPTS}
       ORDER BY created_at LIMIT ${limit} FOR UPDATE SKIP LOCKED`;
    for (const row of rows) {
      try {
        await sender.send({ to: row.to_email, subject: row.subject, text: row.body_text });
        await tx.emailOutbox.update({ where: { id: row.id }, data: { sentAt: new Date(), attempts: { increment: 1 }, bodyText: "" } });
        sent += 1;
      } catch (error) {
        await tx.emailOutbox.update({
          where: { id: row.id },
          data: {
            attempts: { increment: 1 },
            lastError: String(error).slice(0, 500),
            // The last attempt failed: nobody will send these links, so nobody keeps them.
            ...(row.attempts + 1 >= MAX_ATTEMPTS ? { bodyText: "" } : {}),
          },
        });
        failed += 1;
      }
    }
  });
  return { sent, failed };
}

/** Deletes outbox rows older than the retention period; returns how many went. */
export async function purgeOutbox(db: Database, now = new Date()): Promise<number> {
  const before = new Date(now.getTime() - OUTBOX_RETENTION_DAYS * 24 * 60 * 60 * 1000);
  const { count } = await db.prisma.emailOutbox.deleteMany({ where: { createdAt: { lt: before } } });
  return count;
}

const PURGE_EVERY_MS = 60 * 60 * 1000;

/**
 * Delivers the outbox every `intervalMs` until stopped, and purges old rows once an hour. Errors are logged and retried on the
 * next round; a round never overlaps the previous one.
 */
export function startOutboxDelivery(db: Database, sender: EmailSender, intervalMs = 2_000): { stop: () => void } {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let lastPurge = 0;
  const round = async () => {
    try {
      await deliverOutbox(db, sender);
      if (Date.now() - lastPurge >= PURGE_EVERY_MS) {
        lastPurge = Date.now();
        await purgeOutbox(db);
      }
    } catch (error) {
      console.error(`[email] outbox delivery failed: ${(error as Error).message}`);
    }
    if (!stopped) timer = setTimeout(round, intervalMs).unref();
  };
  timer = setTimeout(round, 0).unref();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
