export { type CreatedMember, type CreatedOrg, createOrg, createTeam, createUser, type MemberSpec, uniqueSuffix } from "./factories.js";
export { startRedisProxy } from "./redis-proxy.js";
export { createTestDatabase, prepareTestTemplate, type TestDatabase, testAdminUrl } from "./test-database.js";
