import { createTestDatabase, type TestDatabase } from "@aihub/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EmailSender, OutgoingEmail } from "./email.js";
import { deliverOutbox } from "./outbox.js";

let testDb: TestDatabase;
beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(() => testDb.drop());

/** Stands in for an SMTP server (none runs here): records what it was handed. */
function recordingSender(failFor: string[] = []): EmailSender & { sent: OutgoingEmail[] } {
  const sent: OutgoingEmail[] = [];
  return {
    name: "recording (mock SMTP)",
    sent,
    async send(email) {
      if (failFor.includes(email.to)) throw new Error("mailbox unavailable");
      sent.push(email);
    },
  };
}

describe("email outbox delivery (mock SMTP sender)", () => {
  it("sends each queued message once, even with concurrent deliverers, and retries failures later", async () => {
    const { db } = testDb;
    for (const to of ["a@example.test", "b@example.test", "broken@example.test"]) {
      await db.prisma.emailOutbox.create({ data: { toEmail: to, template: "verify_email", subject: "Hi", bodyText: "Body" } });
    }
    const first = recordingSender(["broken@example.test"]);
    const second = recordingSender(["broken@example.test"]);
    await Promise.all([deliverOutbox(db, first), deliverOutbox(db, second)]);
    const delivered = [...first.sent, ...second.sent].map((m) => m.to).sort();
    expect(delivered).toEqual(["a@example.test", "b@example.test"]);

    const broken = await db.prisma.emailOutbox.findFirstOrThrow({ where: { toEmail: "broken@example.test" } });
    expect(broken).toMatchObject({ sentAt: null, attempts: expect.any(Number), lastError: expect.stringContaining("mailbox unavailable") });
    const healed = recordingSender();
    expect(await deliverOutbox(db, healed)).toEqual({ sent: 1, failed: 0 });
    expect(healed.sent.map((m) => m.to)).toEqual(["broken@example.test"]);
  });
});
