import { afterAll, beforeAll } from "vitest";
import { describeTenantIsolation } from "./tenant-isolation.suite.js";
import { createTestDatabase, type TestDatabase } from "./testing/test-database.js";

let testDb: TestDatabase;
beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(() => testDb.drop());

describeTenantIsolation("PostgreSQL", () => testDb.db, { concurrent: true, adminUrl: () => testDb.adminUrl, ownerRoleOwnsTables: true });
