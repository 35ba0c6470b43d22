import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { chainHash } from "./audit.js";

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
