import { createTestDatabase, type TestDatabase } from "@aihub/db/testing";
import fc from "fast-check";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createInnerContext } from "../context.js";
import { createMemoryStore } from "../store/index.js";
import { databaseDigester } from "../testing/db-digest.js";
import { createWorld, type World } from "../testing/world.js";
import { getOpenApiDocument } from "./document.js";
import { createRestHandler } from "./rest-handler.js";

/**
 * Property: every REST route of the OpenAPI document, sent hostile path parameters, query
 * strings and bodies — huge and odd Unicode strings, nulls, wrong types, non-finite and negative
 * numbers, SQL-looking text, prototype-pollution keys — as the organization's owner (the most
 * privileged caller): never a 5xx, always the typed error envelope without a stack, and a refused
 * call leaves every table exactly as it was (a digest of every row, read by a superuser).
 */
const document = getOpenApiDocument();
const operations = Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
  (["get", "post", "put", "patch", "delete"] as const).filter((m) => item?.[m]).map((method) => ({ path, method })),
);

let testDb: TestDatabase;
let admin: pg.Client;
let world: World;
let handler: (request: Request) => Promise<Response>;
let digest: () => Promise<string>;

beforeAll(async () => {
  testDb = await createTestDatabase();
  admin = new pg.Client({ connectionString: testDb.adminUrl });
  await admin.connect();
  const store = createMemoryStore();
  world = await createWorld(testDb.db, store);
  // A session of the org's owner (no key: nothing is noted about a key's use in the background).
  handler = createRestHandler({
    createContext: async () => createInnerContext({ db: world.db, store, identity: { kind: "user", userId: world.users.owner.userId } }),
  });
  digest = await databaseDigester(admin);
});
afterAll(async () => {
  await admin?.end();
  await testDb?.drop();
});

const nasty = fc.oneof(
  fc.constantFrom(
    "",
    " ",
    "' OR 1=1 --",
    "'); DROP TABLE members; --",
    "../../etc/passwd",
    "%00",
    "\u0000",
    "\u202e\u2066evil",
    "😀".repeat(500),
    "a".repeat(100_000),
    "00000000-0000-0000-0000-000000000000",
    "NaN",
    "Infinity",
    "-1",
    "1e308",
    "__proto__",
    "constructor",
  ),
  fc.string({ unit: "binary", maxLength: 60 }),
);
const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  nasty,
  fc.constantFrom(null, -1, -1e308, 1e308, 0.5, true, [], {}, [null], { __proto__: { polluted: true } }),
  fc.jsonValue({ maxDepth: 2 }),
);
/** A body: a hostile object (with pollution keys sometimes), or not an object at all. */
const nastyBody = fc.oneof(
  fc.dictionary(fc.oneof(nasty, fc.constantFrom("name", "orgId", "scope", "role", "cost", "model", "email", "teamId")), nastyValue, {
    maxKeys: 5,
  }),
  fc.constantFrom('{"__proto__":{"polluted":true}}', '{"constructor":{"prototype":{"polluted":true}}}', "[]", "null", "not json", "{", ""),
);

async function send(path: string, method: string, params: string[], query: [string, string][], body: unknown) {
  // The organization is the real one (so calls get past it to the checks of their input); every other parameter is hostile.
  let i = 0;
  const filled = path.replace(/\{[^}]+\}/g, (name) =>
    name === "{orgId}" ? world.orgId : encodeURIComponent(params[i++ % params.length] ?? ""),
  );
  const url = new URL(`http://gateway.test/v1${filled}`);
  for (const [k, v] of query) url.searchParams.append(k, v);
  const hasBody = method !== "get" && method !== "delete";
  const text = typeof body === "string" ? body : JSON.stringify(body);
  const response = await handler(
    new Request(url, {
      method: method.toUpperCase(),
      headers: hasBody ? { "content-type": "application/json" } : {},
      body: hasBody ? text : undefined,
    }),
  );
  return { status: response.status, text: await response.text() };
}

describe("hostile input on every REST route", () => {
  it.each(operations)("$method $path", async ({ path, method }) => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(nasty, { minLength: 1, maxLength: 3 }),
        fc.array(fc.tuple(fc.oneof(nasty, fc.constantFrom("from", "to", "by", "limit", "cursor", "scope")), nasty), { maxLength: 4 }),
        nastyBody,
        async (params, query, body) => {
          const before = await digest();
          const { status, text } = await send(path, method, params, query, body);
          expect(status, `${method} ${path} → ${status}: ${text.slice(0, 300)}`).toBeLessThan(500);
          if (status >= 400) {
            const parsed = JSON.parse(text) as { error?: { code?: string; message?: string } };
            expect(typeof parsed.error?.code, text.slice(0, 300)).toBe("string");
            expect(text).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/);
            expect(await digest(), `${method} ${path} refused with ${status} but changed the database`).toBe(before);
          }
        },
      ),
      { numRuns: 30, seed: 20261128 },
    );
    // Nothing reached the object prototype.
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
