import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import * as auditModule from "./audit.js";
import { chainHash } from "./audit.js";

/** Before/after redaction, where the service still redacts by key name (its successor keeps an allow-list instead). */
const redact = (auditModule as unknown as { redact?: (value: unknown) => unknown }).redact;

const FIELDS = {
  organizationId: "00000000-0000-4000-8000-000000000001",
  seq: "1",
  actorType: "user",
  actorId: "00000000-0000-4000-8000-000000000002",
  action: "member.role_updated",
  targetType: "member",
  targetId: "00000000-0000-4000-8000-000000000003",
  before: { role: "member" },
  after: { role: "admin" },
  ip: "203.0.113.7",
  userAgent: "unit",
  requestId: "req-1",
  createdAt: "2026-06-01T12:00:00.000Z",
};

describe("audit hash format", () => {
  // Stored chains must keep verifying after any change to the code: the hash of a known event is pinned.
  // The format: sha256(previous hash, or "" for the first event; "\n"; the fields as JSON with sorted keys).
  const CANONICAL =
    '{"action":"member.role_updated","actorId":"00000000-0000-4000-8000-000000000002","actorType":"user","after":{"role":"admin"},' +
    '"before":{"role":"member"},"createdAt":"2026-06-01T12:00:00.000Z","ip":"203.0.113.7","organizationId":"00000000-0000-4000-8000-000000000001",' +
    '"requestId":"req-1","seq":"1","targetId":"00000000-0000-4000-8000-000000000003","targetType":"member","userAgent":"unit"}';
  const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

  it("hashes an event exactly as stored chains were hashed", () => {
    expect(chainHash(null, FIELDS)).toBe(sha256(`\n${CANONICAL}`));
    expect(chainHash(null, FIELDS)).toBe("0bd9a9b03c18674c047f70df38562cbc150182ac86f0ae477abfa8134898d18b");
    expect(chainHash("abc", FIELDS)).toBe(sha256(`abc\n${CANONICAL}`));
  });

  it("links an event to its predecessor: another previous hash, another hash", () => {
    expect(chainHash("a", FIELDS)).not.toBe(chainHash("b", FIELDS));
    expect(chainHash(null, FIELDS)).not.toBe(chainHash("", { ...FIELDS, seq: "2" }));
  });
});

describe.runIf(redact)("redacting before/after", () => {
  const redacted = (value: unknown) => (redact as (value: unknown) => unknown)(value);

  it("replaces the value of any key that names a secret, at any depth and in arrays", () => {
    const input = {
      name: "Ada",
      password: "p",
      pass: "p",
      passphrase: "p",
      clientSecret: "s",
      resetToken: "t",
      keyHash: "h",
      apiKey: "k",
      api_key: "k",
      APIKEY: "k",
      nested: { deeper: { secret: "s", kept: 1 } },
      list: [{ token: "t", id: 1 }, "plain"],
    };
    expect(redacted(input)).toEqual({
      name: "Ada",
      password: "[redacted]",
      pass: "[redacted]",
      passphrase: "[redacted]",
      clientSecret: "[redacted]",
      resetToken: "[redacted]",
      keyHash: "[redacted]",
      apiKey: "[redacted]",
      api_key: "[redacted]",
      APIKEY: "[redacted]",
      nested: { deeper: { secret: "[redacted]", kept: 1 } },
      list: [{ token: "[redacted]", id: 1 }, "plain"],
    });
  });

  it("keeps ordinary keys whose names merely resemble secrets' neighbours", () => {
    expect(redacted({ key: "k", api: "a", role: "owner", email: "a@b.c" })).toEqual({ key: "k", api: "a", role: "owner", email: "a@b.c" });
  });

  it("turns values into what JSON stores: null for absent, ISO text for dates, text for bigints", () => {
    expect(redacted(null)).toBeNull();
    expect(redacted(undefined)).toBeNull();
    expect(redacted(new Date("2026-06-01T12:00:00Z"))).toBe("2026-06-01T12:00:00.000Z");
    expect(redacted(12345678901234567890n)).toBe("12345678901234567890");
    expect(redacted({ at: new Date("2026-06-01T12:00:00Z"), n: 5n, gone: undefined, none: null })).toEqual({
      at: "2026-06-01T12:00:00.000Z",
      n: "5",
      gone: null,
      none: null,
    });
    expect(redacted([1, "two", null, [3n]])).toEqual([1, "two", null, ["3"]]);
    expect(redacted("text")).toBe("text");
    expect(redacted(0)).toBe(0);
    expect(redacted(false)).toBe(false);
  });
});
