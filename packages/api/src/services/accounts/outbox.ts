import type { Database } from "@aihub/db";
import type { EmailSender } from "./email.js";

const MAX_ATTEMPTS = 5;

/**
 * Hands queued mail to the sender. Rows are claimed with SKIP LOCKED, so several processes can
 * deliver at once without sending a message twice; a failure is recorded and retried later.
 */
export async function deliverOutbox(db: Database, sender: EmailSender, limit = 20): Promise<{ sent: number; failed: number }> {
  let sent = 0;
  let failed = 0;
  await db.prisma.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ id: string; to_email: string; subject: string; body_text: string }[]>`
      SELECT id, to_email, subject, body_text FROM email_outbox
       WHERE sent_at IS NULL AND attempts < ${MAX_ATTEMPTS}
       ORDER BY created_at LIMIT ${limit} FOR UPDATE SKIP LOCKED`;
    for (const row of rows) {
      try {
        await sender.send({ to: row.to_email, subject: row.subject, text: row.body_text });
        await tx.emailOutbox.update({ where: { id: row.id }, data: { sentAt: new Date(), attempts: { increment: 1 } } });
        sent += 1;
      } catch (error) {
        await tx.emailOutbox.update({
          where: { id: row.id },
          data: { attempts: { increment: 1 }, lastError: String(error).slice(0, 500) },
        });
        failed += 1;
      }
    }
  });
  return { sent, failed };
}

/**
 * Delivers the outbox every `intervalMs` until stopped. Errors are logged and retried on the
 * next round; a round never overlaps the previous one.
 */
export function startOutboxDelivery(db: Database, sender: EmailSender, intervalMs = 2_000): { stop: () => void } {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const round = async () => {
    try {
      await deliverOutbox(db, sender);
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
