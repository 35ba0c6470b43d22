export { type CreatedMember, type CreatedOrg, createOrg, createTeam, createUser, type MemberSpec, uniqueSuffix } from "./factories.js";
export { type PgBouncer, startPgBouncer } from "./pgbouncer.js";
export { createPrivateCluster, type PrivateCluster } from "./private-cluster.js";
export { type RedisCluster, startRedisCluster } from "./redis-cluster.js";
export { startRedisProxy } from "./redis-proxy.js";
export { createTestDatabase, prepareTestTemplate, type TestDatabase, testAdminUrl } from "./test-database.js";
