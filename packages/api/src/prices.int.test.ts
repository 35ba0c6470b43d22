import { createTestDatabase, type TestDatabase } from "@aihub/db/testing";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { priceRouter } from "./routers/price/router.js";
import { recordUsage } from "./services/usage/record.js";
import { createMemoryStore } from "./store/index.js";
import { outcomeOf } from "./testing/outcome.js";
import { asUser, createWorld, type World } from "./testing/world.js";
import { createCallerFactory, router } from "./trpc.js";

/**
 * The price list through its router: a price set now prices the next call, a scheduled one
 * takes over at its moment (the one it replaces ends there, history kept), removing the
 * organization's own price falls back to the default catalogue or refuses the model. Costs are
 * computed here by hand: ⌈(in × input price + out × output price) / 1,000,000⌉.
 */
const createCaller = createCallerFactory(router({ price: priceRouter }));
let testDb: TestDatabase;
let admin: pg.Client;
let w: World;
beforeAll(async () => {
  testDb = await createTestDatabase();
  admin = new pg.Client({ connectionString: testDb.adminUrl });
  await admin.connect();
  w = await createWorld(testDb.db, createMemoryStore());
});
afterAll(async () => {
  await admin?.end();
  await testDb?.drop();
});

const charge = (model: string, at: Date) =>
  recordUsage({ db: w.db, orgId: w.orgId, clock: () => at }, { subject: {}, charge: { model, inputTokens: 1_234n, outputTokens: 567n } });

describe("price list", () => {
  it("prices the next call at a price set now, and at a scheduled price from its moment on, keeping the history", async () => {
    const owner = createCaller(asUser(w, "owner"));
    await owner.price.set({ orgId: w.orgId, model: "house-model", inputPrice: "3000000", outputPrice: "15000000" });
    const now = new Date();
    // 1,234 × 3.00 + 567 × 15.00 per million = 3,702,000 + 8,505,000 → 12,207 micro-units.
    expect((await charge("house-model", new Date(now.getTime() + 1_000))).cost).toBe(12_207n);
    const from = new Date(now.getTime() + 3_600_000);
    await owner.price.set({ orgId: w.orgId, model: "house-model", inputPrice: "1000000", outputPrice: "1", effectiveFrom: from });
    const listed = await createCaller(asUser(w, "viewer")).price.list({ orgId: w.orgId });
    expect(listed.items.find((p) => p.model === "house-model")).toMatchObject({ inputPrice: "3000000", source: "organization" });
    expect(listed.scheduled.map((p) => [p.model, p.inputPrice])).toEqual([["house-model", "1000000"]]);
    // Before the moment: the old price; from it: 1,234 × 1.00 + 567 × 0.000001 → ⌈1,234.000567⌉ = 1,235.
    expect((await charge("house-model", new Date(from.getTime() - 1))).cost).toBe(12_207n);
    expect((await charge("house-model", from)).cost).toBe(1_235n);
    const history = await admin.query<{ input_price: string; effective_to: Date | null }>(
      "SELECT input_price::text, effective_to FROM model_prices WHERE organization_id = $1 AND model = 'house-model' ORDER BY effective_from",
      [w.orgId],
    );
    expect(history.rows).toEqual([
      { input_price: "3000000", effective_to: from },
      { input_price: "1000000", effective_to: null },
    ]);
    const audited = await admin.query<{ action: string }>(
      "SELECT action FROM audit_events WHERE organization_id = $1 AND action LIKE 'price.%'",
      [w.orgId],
    );
    expect(audited.rows.map((r) => r.action)).toEqual(["price.set", "price.set"]);
  });

  it("falls back to the default catalogue when the organization's own price is removed, and refuses a model with neither", async () => {
    await admin.query(
      "INSERT INTO model_prices (organization_id, model, input_price, output_price, effective_from) VALUES (NULL, 'shared-model', 2000000, 0, now() - interval '1 day')",
    );
    const owner = createCaller(asUser(w, "owner"));
    await owner.price.set({ orgId: w.orgId, model: "shared-model", inputPrice: "1000000", outputPrice: "0" });
    await owner.price.set({ orgId: w.orgId, model: "own-model", inputPrice: "1000000", outputPrice: "0" });
    const soon = () => new Date(Date.now() + 1_000);
    expect((await charge("shared-model", soon())).cost).toBe(1_234n);
    await owner.price.remove({ orgId: w.orgId, model: "shared-model" });
    await owner.price.remove({ orgId: w.orgId, model: "own-model" });
    expect((await charge("shared-model", soon())).cost).toBe(2_468n);
    await expect(charge("own-model", soon())).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
      details: { reason: "MODEL_NOT_PRICED" },
    });
    expect(await outcomeOf(owner.price.remove({ orgId: w.orgId, model: "own-model" }))).toBe("NOT_FOUND");
  });

  it("refuses a price that starts in the past", async () => {
    const owner = createCaller(asUser(w, "owner"));
    const past = new Date(Date.now() - 3_600_000);
    expect(await outcomeOf(owner.price.set({ orgId: w.orgId, model: "m", inputPrice: "1", outputPrice: "1", effectiveFrom: past }))).toBe(
      "BAD_REQUEST EXPIRY_IN_PAST",
    );
    expect((await admin.query("SELECT 1 FROM model_prices WHERE organization_id = $1 AND model = 'm'", [w.orgId])).rowCount).toBe(0);
  });
});
