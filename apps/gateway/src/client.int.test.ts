import { createMemoryStore, issueApiKey, type Permission } from "@aihub/api";
import { type AiHubClient, createAiHubClient, isTRPCClientError } from "@aihub/client";
import { createOrg, createTeam, createTestDatabase, type TestDatabase } from "@aihub/db/testing";
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import { createGatewayServer, listen } from "./server.js";

/** The typed client (`@aihub/client`) against a real gateway, as an internal service uses it. */
let testDb: TestDatabase;
let url: string;
let server: ReturnType<typeof createGatewayServer>;

beforeAll(async () => {
  testDb = await createTestDatabase();
  server = createGatewayServer({ db: testDb.db, store: createMemoryStore() });
  url = `http://127.0.0.1:${await listen(server, 0)}/trpc`;
});
afterAll(async () => {
  server.close();
  await testDb.drop();
});

async function orgWithKey(scopes: Permission[]) {
  const { org, owner } = await createOrg(testDb.db, { name: "Acme Client Test" });
  const ownerAccess = { kind: "member" as const, memberId: owner.member.id, role: "owner" as const, overrides: [], ledTeamIds: [] };
  const { key } = await issueApiKey(testDb.db, { userId: owner.user.id, access: ownerAccess }, { orgId: org.id, name: "svc", scopes });
  return { org, key };
}

async function refusal(call: Promise<unknown>) {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isTRPCClientError(error)) throw new Error(`expected a TRPCClientError, got ${String(error)}`);
  return error;
}

describe("@aihub/client against the gateway", () => {
  it("reads the organization and its teams with an org key, typed by the router", async () => {
    const { org, key } = await orgWithKey(["org:read", "team:read"]);
    await createTeam(testDb.db, { orgId: org.id, name: "Platform" });
    const client: AiHubClient = createAiHubClient({ url, apiKey: key });

    const got = await client.organization.get.query({ orgId: org.id });
    expectTypeOf(got.name).toEqualTypeOf<string>();
    expect(got).toMatchObject({ id: org.id, name: "Acme Client Test" });

    const teams = await client.team.list.query({ orgId: org.id });
    expectTypeOf(teams).toBeArray();
    expect(teams.map((t) => t.name)).toContain("Platform");
  });

  it("surfaces refusals as TRPCClientError: FORBIDDEN outside the key's scopes, UNAUTHORIZED for a bad key", async () => {
    const { org, key } = await orgWithKey(["org:read"]);
    const client = createAiHubClient({ url, apiKey: key });
    const forbidden = await refusal(client.team.create.mutate({ orgId: org.id, name: "Nope" }));
    expect(forbidden.data?.code).toBe("FORBIDDEN");
    const listForbidden = await refusal(client.team.list.query({ orgId: org.id }));
    expect(listForbidden.data?.code).toBe("FORBIDDEN");

    const stranger = createAiHubClient({ url, apiKey: `${key.slice(0, -6)}AAAAAA` });
    const unauthorized = await refusal(stranger.organization.get.query({ orgId: org.id }));
    expect(unauthorized.data?.code).toBe("UNAUTHORIZED");
  });

  it("a mutation whose answer is lost on the way back is retried and written once", async () => {
    const { org, key } = await orgWithKey(["team:create", "team:read"]);
    let lost = 0;
    // The first POST reaches the gateway and is served; its answer never reaches the client.
    const losingFetch: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if ((init?.method ?? "GET") === "POST" && lost === 0) {
        lost++;
        throw new TypeError("fetch failed: connection reset");
      }
      return response;
    };
    const client = createAiHubClient({ url, apiKey: key, fetch: losingFetch, retryBaseDelayMs: 1 });
    const team = await client.team.create.mutate({ orgId: org.id, name: "Data" });
    expectTypeOf(team.id).toEqualTypeOf<string>();
    expect(lost).toBe(1);
    const teams = await client.team.list.query({ orgId: org.id });
    expect(teams.filter((t) => t.name === "Data").map((t) => t.id)).toEqual([team.id]);
  });
});
