export { createOrg, createTeam, createUser, uniqueSuffix, type CreatedMember, type CreatedOrg, type MemberSpec } from "./factories.js";
export { createTestDatabase, prepareTestTemplate, testAdminUrl, type TestDatabase } from "./test-database.js";
