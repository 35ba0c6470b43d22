import type { Database } from "@aihub/db";
import type { EmailSender, OutgoingEmail } from "../services/accounts/email.js";
import { deliverOutbox } from "../services/accounts/outbox.js";

/**
 * Where tests read mail: an in-process sender standing in for SMTP (no mail server runs here).
 * Mail reaches it the way it reaches a real one — through the outbox delivery — so tests see
 * what a recipient would, and never read tokens out of the database.
 */
export interface Mailbox {
  sender: EmailSender;
  messages: OutgoingEmail[];
  /** Delivers everything queued in `db` into this mailbox. */
  collect(db: Database): Promise<void>;
  /** The newest message to `to` (optionally whose text matches), after collecting. */
  latest(db: Database, to: string, match?: RegExp): Promise<OutgoingEmail>;
}

export function createMailbox(): Mailbox {
  const messages: OutgoingEmail[] = [];
  const sender: EmailSender = {
    name: "test mailbox (stands in for SMTP)",
    async send(email) {
      messages.push(email);
    },
  };
  const collect = async (db: Database) => {
    while ((await deliverOutbox(db, sender, 100)).sent > 0) {}
  };
  return {
    sender,
    messages,
    collect,
    async latest(db, to, match) {
      await collect(db);
      const found = messages.findLast((m) => m.to === to && (!match || match.test(m.text)));
      if (!found) throw new Error(`no mail to ${to}${match ? ` matching ${match}` : ""}`);
      return found;
    },
  };
}
