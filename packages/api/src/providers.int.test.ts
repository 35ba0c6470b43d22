import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createTestDatabase, type TestDatabase } from "@aihub/db/testing";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { providerRouter } from "./routers/provider/router.js";
import { isPrivateAddress } from "./services/providers/address-guard.js";
import { decryptCredential } from "./services/providers/credential-crypto.js";
import { createMemoryStore } from "./store/index.js";
import { outcomeOf } from "./testing/outcome.js";
import { asUser, createWorld, type World } from "./testing/world.js";
import { createCallerFactory, router } from "./trpc.js";

/**
 * Provider connections through their router: the credential is stored encrypted (never in
 * clear, never returned, never in the audit trail — only its last four characters), a rotated
 * secret key still reads old rows, private base URLs are refused unless allowed, and "test
 * connection" reports what a local fake upstream answered.
 */
const createCaller = createCallerFactory(router({ provider: providerRouter }));
const SECRET = "sk-live-very-secret-credential-9f3a";
let testDb: TestDatabase;
let admin: pg.Client;
let w: World;
let upstream: Server;
let upstreamUrl: string;
let seenAuthorization: string | undefined;

beforeAll(async () => {
  testDb = await createTestDatabase();
  admin = new pg.Client({ connectionString: testDb.adminUrl });
  await admin.connect();
  w = await createWorld(testDb.db, createMemoryStore());
  upstream = createServer((req, res) => {
    seenAuthorization = req.headers.authorization;
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ object: "list", data: [{ id: "gpt-4o-mini" }, { id: "text-embedding-3-small" }] }));
  });
  await new Promise<void>((done) => upstream.listen(0, "127.0.0.1", done));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/v1`;
});
afterAll(async () => {
  upstream?.close();
  await admin?.end();
  await testDb?.drop();
});
afterEach(() => vi.unstubAllEnvs());

describe("provider connections", () => {
  it("stores the credential encrypted, shows only its last four characters and keeps it out of the audit trail", async () => {
    const owner = createCaller(asUser(w, "owner"));
    const created = await owner.provider.create({
      orgId: w.orgId,
      name: "Main",
      baseUrl: `${upstreamUrl}/`,
      apiKey: SECRET,
      models: ["gpt-4o-mini"],
      modelAliases: [{ alias: "fast", model: "gpt-4o-mini" }],
    });
    expect(created).toMatchObject({ baseUrl: upstreamUrl, keyLast4: "9f3a", timeoutMs: 60_000, status: "active" });
    expect(JSON.stringify(created)).not.toContain(SECRET);
    const { rows } = await admin.query("SELECT api_key_encrypted FROM provider_connections WHERE id = $1", [created.id]);
    expect(rows[0].api_key_encrypted).toMatch(/^v1\./);
    expect(rows[0].api_key_encrypted).not.toContain(SECRET);
    expect(decryptCredential(rows[0].api_key_encrypted, created.id)).toBe(SECRET);
    // Bound to its row: the same ciphertext does not open as another connection's.
    expect(() => decryptCredential(rows[0].api_key_encrypted, w.orgId)).toThrow(/cannot be decrypted/);
    const trail = await admin.query("SELECT action, before, after FROM audit_events WHERE target_id = $1", [created.id]);
    expect(trail.rows.map((r) => r.action)).toEqual(["provider.created"]);
    expect(JSON.stringify(trail.rows)).not.toContain(SECRET);
    expect(trail.rows[0].after).toMatchObject({ keyLast4: "9f3a", baseUrl: upstreamUrl });

    // Everyone who reads the organization sees the connection, never the credential.
    const listed = await createCaller(asUser(w, "viewer")).provider.list({ orgId: w.orgId });
    expect(listed.items.map((c) => c.name)).toContain("Main");
    expect(JSON.stringify(listed)).not.toContain(SECRET);

    const tested = await owner.provider.testConnection({ orgId: w.orgId, connectionId: created.id });
    expect(tested).toMatchObject({ ok: true, status: 200, models: ["gpt-4o-mini", "text-embedding-3-small"] });
    expect(seenAuthorization).toBe(`Bearer ${SECRET}`);

    const dup = await outcomeOf(owner.provider.create({ orgId: w.orgId, name: "Main", baseUrl: upstreamUrl, apiKey: "sk-other" }));
    expect(dup).toBe("CONFLICT PROVIDER_NAME_TAKEN");
  });

  it("reads credentials saved under the previous secret key after a rotation, and saves new ones under the new key", async () => {
    const owner = createCaller(asUser(w, "owner"));
    const created = await owner.provider.create({ orgId: w.orgId, name: "Rotating", baseUrl: upstreamUrl, apiKey: SECRET });
    const old = process.env.PROVIDER_SECRET_KEY as string;
    const fresh = Buffer.alloc(32, 7).toString("base64");
    vi.stubEnv("PROVIDER_SECRET_KEY", fresh);
    const stored = async () =>
      (await admin.query("SELECT api_key_encrypted FROM provider_connections WHERE id = $1", [created.id])).rows[0].api_key_encrypted;
    const sealed = await stored();
    expect(() => decryptCredential(sealed, created.id)).toThrow();
    vi.stubEnv("PROVIDER_SECRET_KEY_PREVIOUS", old);
    expect(decryptCredential(await stored(), created.id)).toBe(SECRET);
    await owner.provider.update({ orgId: w.orgId, connectionId: created.id, apiKey: "sk-new-credential-0001" });
    vi.stubEnv("PROVIDER_SECRET_KEY_PREVIOUS", "");
    expect(decryptCredential(await stored(), created.id)).toBe("sk-new-credential-0001");
  });

  it("refuses private, loopback and link-local base URLs unless PROVIDER_ALLOW_PRIVATE=1", async () => {
    vi.stubEnv("PROVIDER_ALLOW_PRIVATE", "");
    const owner = createCaller(asUser(w, "owner"));
    for (const baseUrl of [
      "http://127.0.0.1:8080/v1",
      "http://169.254.169.254/latest",
      "http://10.1.2.3/v1",
      "http://[::1]:80/v1",
      "http://localhost/v1",
    ]) {
      const refused = await outcomeOf(owner.provider.create({ orgId: w.orgId, name: `p ${baseUrl}`, baseUrl, apiKey: SECRET }));
      expect(refused, baseUrl).toBe("BAD_REQUEST PRIVATE_ADDRESS");
    }
    const { rows } = await admin.query("SELECT count(*)::int AS n FROM provider_connections WHERE name LIKE 'p %'");
    expect(rows[0].n).toBe(0);
    expect(["8.8.8.8", "2606:4700::1111"].map(isPrivateAddress)).toEqual([false, false]);
    expect(["192.168.1.1", "172.20.0.1", "100.64.0.1", "::ffff:127.0.0.1", "fd00::1", "fe80::1", "0.0.0.0"].map(isPrivateAddress)).toEqual(
      Array(7).fill(true),
    );
  });

  it("lets admins change connections and refuses members and keys", async () => {
    const member = createCaller(asUser(w, "member"));
    expect(await outcomeOf(member.provider.create({ orgId: w.orgId, name: "x", baseUrl: upstreamUrl, apiKey: SECRET }))).toBe("FORBIDDEN");
    const adminCaller = createCaller(asUser(w, "admin"));
    const created = await adminCaller.provider.create({ orgId: w.orgId, name: "By admin", baseUrl: upstreamUrl, apiKey: SECRET });
    const updated = await adminCaller.provider.update({ orgId: w.orgId, connectionId: created.id, status: "disabled" });
    expect(updated.status).toBe("disabled");
    await adminCaller.provider.delete({ orgId: w.orgId, connectionId: created.id });
    const trail = await admin.query("SELECT action FROM audit_events WHERE target_id = $1 ORDER BY seq", [created.id]);
    expect(trail.rows.map((r) => r.action)).toEqual(["provider.created", "provider.updated", "provider.deleted"]);
  });
});
