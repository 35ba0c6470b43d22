import { createHash } from "node:crypto";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateApiKey, hashApiKey } from "@aihub/api";
import { prepareTestTemplate, testAdminUrl } from "@aihub/db/testing";
import pg from "pg";

/**
 * The benchmark's data set, in a database of its own (`aihub_bench_<size>`), built set-based
 * from generate_series (ids are md5-derived uuids, so SQL and this file agree on them without a
 * round trip per row). Keys are generated and hashed here: only hashes go to the database; the
 * keys themselves are kept beside the data set (mode 0600) for the load generator.
 */
export interface DatasetSize {
  name: "full" | "tiny";
  orgs: number;
  membersPerOrg: number;
  keysPerOrg: number;
}

export const SIZES: Record<DatasetSize["name"], DatasetSize> = {
  full: { name: "full", orgs: 1_000, membersPerOrg: 20, keysPerOrg: 5 },
  tiny: { name: "tiny", orgs: 12, membersPerOrg: 6, keysPerOrg: 2 },
};
/** Bumped when what the seed builds changes, so `--quick` does not reuse an older data set. */
const DATASET_VERSION = 4;
/** Teams per org: 3 top-level, 2 children each, 1 grandchild each (three levels). */
export const TEAMS_PER_ORG = 3 + 6 + 6;
/** What the load's keys may do: every path the benchmark drives. */
export const BENCH_KEY_SCOPES = [
  "org:read",
  "member:read",
  "team:read",
  "member:update_permissions",
  "budget:read",
  "usage:read",
  "usage:write",
];
/** The priced model the spend paths charge (a global catalogue price: 1 micro-unit per input token, 2 per output token). */
export const BENCH_MODEL = "bench-model";

export interface BenchOrg {
  id: string;
  /** Members' ids and their users' ids, owner first. */
  memberIds: string[];
  userIds: string[];
  keys: string[];
}

export interface Dataset {
  size: DatasetSize;
  appUrl: string;
  orgs: BenchOrg[];
  counts: Record<"orgs" | "users" | "members" | "teams" | "teamMemberships" | "keys" | "budgets", number>;
  reused: boolean;
  seedSeconds: number;
}

/**
 * A uuid derived from `text`: its md5 with the version (4) and variant bits set, so it is a
 * valid RFC 4122 uuid (the API's id schema checks); `pg_temp.bench_uuid` computes the same.
 */
export function md5Uuid(text: string): string {
  const hex = createHash("md5").update(text).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
const BENCH_UUID_FUNCTION = `CREATE FUNCTION pg_temp.bench_uuid(text) RETURNS uuid LANGUAGE sql IMMUTABLE
  AS $$ SELECT overlay(overlay(md5($1) placing '4' from 13) placing '8' from 17)::uuid $$`;

const dataDir = fileURLToPath(new URL("../../../.data/bench/", import.meta.url));

function urlFor(database: string, role?: string): string {
  const url = new URL(testAdminUrl());
  url.pathname = `/${database}`;
  if (role) {
    url.username = role;
    url.password = role;
  }
  return url.toString();
}

/** Statements that build one data set; `$1` orgs, `$2` members per org. */
const SEED_SQL = [
  `INSERT INTO organizations (id, name, slug)
     SELECT pg_temp.bench_uuid('org' || o), 'Bench Org ' || o, 'bench-org-' || o FROM generate_series(0, $1 - 1) o`,
  `INSERT INTO users (id, email, name)
     SELECT pg_temp.bench_uuid('user' || o || '-' || m), 'u' || o || '-' || m || '@bench.example', 'User ' || o || '-' || m
     FROM generate_series(0, $1 - 1) o, generate_series(0, $2 - 1) m`,
  `INSERT INTO members (id, organization_id, user_id, role)
     SELECT pg_temp.bench_uuid('member' || o || '-' || m), pg_temp.bench_uuid('org' || o), pg_temp.bench_uuid('user' || o || '-' || m),
            (CASE WHEN m = 0 THEN 'owner' WHEN m < 3 THEN 'admin' WHEN m < 5 THEN 'viewer' ELSE 'member' END)::member_role
     FROM generate_series(0, $1 - 1) o, generate_series(0, $2 - 1) m`,
  `INSERT INTO teams (id, organization_id, parent_team_id, name)
     SELECT pg_temp.bench_uuid('team' || o || '-' || t), pg_temp.bench_uuid('org' || o), NULL, 'Team ' || t
     FROM generate_series(0, $1 - 1) o, generate_series(0, 2) t`,
  `INSERT INTO teams (id, organization_id, parent_team_id, name)
     SELECT pg_temp.bench_uuid('team' || o || '-' || t || '-' || c), pg_temp.bench_uuid('org' || o), pg_temp.bench_uuid('team' || o || '-' || t), 'Squad ' || t || '.' || c
     FROM generate_series(0, $1 - 1) o, generate_series(0, 2) t, generate_series(0, 1) c`,
  `INSERT INTO teams (id, organization_id, parent_team_id, name)
     SELECT pg_temp.bench_uuid('team' || o || '-' || t || '-' || c || '-0'), pg_temp.bench_uuid('org' || o), pg_temp.bench_uuid('team' || o || '-' || t || '-' || c),
            'Pod ' || t || '.' || c || '.0'
     FROM generate_series(0, $1 - 1) o, generate_series(0, 2) t, generate_series(0, 1) c`,
  // An organization budget far above what the load spends (the spend paths measure charging, not
  // refusals), and the model's global price.
  `INSERT INTO budgets (organization_id, scope, scope_id, period_limit, hard_limit)
     SELECT pg_temp.bench_uuid('org' || o), 'organization', pg_temp.bench_uuid('org' || o), 1000000000000000, true
     FROM generate_series(0, $1 - 1) o`,
  `INSERT INTO model_prices (organization_id, model, input_price, output_price, effective_from)
     SELECT NULL, 'bench-model', 1, 2, '2020-01-01' WHERE $1 > 0`,
  // A month of usage: 1,000 records per organization (1,000,000 in the full set) over the last
  // 30 days, a tenth without a team and a seventh without a member (the explorer's none buckets).
  `INSERT INTO usage_records (organization_id, occurred_at, period_start, team_id, member_id, model, input_tokens, output_tokens, cost, currency)
     SELECT pg_temp.bench_uuid('org' || o), t.at, date_trunc('month', t.at AT TIME ZONE 'UTC')::date,
            CASE WHEN i % 10 = 0 THEN NULL ELSE pg_temp.bench_uuid('team' || o || '-' || (i % 3)) END,
            CASE WHEN i % 7 = 0 THEN NULL ELSE pg_temp.bench_uuid('member' || o || '-' || (i % $2)) END,
            'bench-model', 1000, 500, 2000 + i % 1000, 'USD'
     FROM generate_series(0, $1 - 1) o, generate_series(0, 999) i,
          LATERAL (SELECT now() - ((i * 2591) % 2592000) * interval '1 second' AS at) t`,
  // Closed days rolled up, as the jobs' closeUsageDays leaves them (the organizations are in UTC).
  `INSERT INTO usage_daily (organization_id, day, team_id, member_id, api_key_id, model, requests, input_tokens, output_tokens, cost)
     SELECT organization_id, (occurred_at AT TIME ZONE 'UTC')::date, team_id, member_id, api_key_id, model,
            count(*), sum(input_tokens), sum(output_tokens), sum(cost)
     FROM usage_records
     WHERE occurred_at < (date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC') AND $1 > 0
     GROUP BY 1, 2, 3, 4, 5, 6`,
  `UPDATE organizations SET usage_rolled_until = (now() AT TIME ZONE 'UTC')::date WHERE $1 > 0`,
  // Each member in one top-level team (the first three members lead one each) and one squad.
  `INSERT INTO team_memberships (organization_id, team_id, member_id, role)
     SELECT pg_temp.bench_uuid('org' || o), pg_temp.bench_uuid('team' || o || '-' || (m % 3)), pg_temp.bench_uuid('member' || o || '-' || m),
            (CASE WHEN m < 3 THEN 'lead' ELSE 'member' END)::team_role
     FROM generate_series(0, $1 - 1) o, generate_series(0, $2 - 1) m`,
  `INSERT INTO team_memberships (organization_id, team_id, member_id, role)
     SELECT pg_temp.bench_uuid('org' || o), pg_temp.bench_uuid('team' || o || '-' || (m % 3) || '-' || (m % 2)), pg_temp.bench_uuid('member' || o || '-' || m), 'member'
     FROM generate_series(0, $1 - 1) o, generate_series(3, $2 - 1) m`,
];

async function count(client: pg.Client, table: string): Promise<number> {
  return Number((await client.query(`SELECT count(*) FROM ${table}`)).rows[0].count);
}

/**
 * The data set of `size`: reused when `reuse` and the database holds one built from the same
 * migrations, else built afresh (dropping an older one).
 */
export async function prepareDataset(size: DatasetSize, options: { reuse: boolean; log: (line: string) => void }): Promise<Dataset> {
  const template = await prepareTestTemplate();
  const database = `aihub_bench_${size.name}`;
  // Keys are stored as HMACs under API_KEY_SECRET: another secret needs other hashes.
  const secretId = createHash("sha256")
    .update(process.env.API_KEY_SECRET ?? "")
    .digest("hex")
    .slice(0, 12);
  const fingerprint = `${DATASET_VERSION}:${template}:${secretId}:${size.orgs}:${size.membersPerOrg}:${size.keysPerOrg}`;
  const keysFile = join(dataDir, `${database}-keys.json`);
  const admin = new pg.Client({ connectionString: testAdminUrl() });
  await admin.connect();
  const started = performance.now();
  try {
    if (options.reuse) {
      const cached = await readFile(keysFile, "utf8")
        .then((text) => JSON.parse(text) as { fingerprint: string; orgs: BenchOrg[] })
        .catch(() => null);
      const exists = (await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [database])).rowCount;
      if (cached?.fingerprint === fingerprint && exists) {
        const counts = await countRows(database);
        options.log(`data set ${database} reused (${counts.orgs} orgs, ${counts.members} members, ${counts.keys} keys)`);
        return { size, appUrl: urlFor(database, "aihub_app"), orgs: cached.orgs, counts, reused: true, seedSeconds: 0 };
      }
    }
    options.log(
      `building data set ${database}: ${size.orgs} orgs × ${size.membersPerOrg} members, ${TEAMS_PER_ORG} teams and ${size.keysPerOrg} keys each`,
    );
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${database} TEMPLATE ${template}`);
  } finally {
    await admin.end();
  }

  const seed = new pg.Client({ connectionString: urlFor(database) });
  await seed.connect();
  const orgs: BenchOrg[] = [];
  try {
    await seed.query("BEGIN");
    await seed.query(BENCH_UUID_FUNCTION);
    for (const statement of SEED_SQL) await seed.query(statement, statement.includes("$2") ? [size.orgs, size.membersPerOrg] : [size.orgs]);
    const keyRows: { org: string; hash: string; prefix: string; creator: string }[] = [];
    for (let o = 0; o < size.orgs; o++) {
      const org: BenchOrg = { id: md5Uuid(`org${o}`), memberIds: [], userIds: [], keys: [] };
      for (let m = 0; m < size.membersPerOrg; m++) {
        org.memberIds.push(md5Uuid(`member${o}-${m}`));
        org.userIds.push(md5Uuid(`user${o}-${m}`));
      }
      for (let k = 0; k < size.keysPerOrg; k++) {
        const { key, prefix } = generateApiKey("test");
        org.keys.push(key);
        keyRows.push({ org: org.id, hash: hashApiKey(key), prefix, creator: org.userIds[0] as string });
      }
      orgs.push(org);
    }
    await seed.query(
      // Limits far above what the load sends: the benchmark measures the path, not the refusal.
      `INSERT INTO org_api_keys (id, organization_id, name, key_hash, key_prefix, scopes, rate_limit_per_minute, monthly_quota, counter_id, created_by)
       SELECT k.id, k.org, 'bench key', k.hash, k.prefix, $5::text[], 1000000000, 2000000000, k.id, k.creator
       FROM (SELECT gen_random_uuid() AS id, org, hash, prefix, creator
             FROM unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[]) AS t(org, hash, prefix, creator)) k`,
      [
        keyRows.map((r) => r.org),
        keyRows.map((r) => r.hash),
        keyRows.map((r) => r.prefix),
        keyRows.map((r) => r.creator),
        BENCH_KEY_SCOPES,
      ],
    );
    await seed.query("COMMIT");
    await seed.query("ANALYZE");
  } finally {
    await seed.end();
  }
  await mkdir(dataDir, { recursive: true });
  await writeFile(keysFile, JSON.stringify({ fingerprint, orgs }));
  await chmod(keysFile, 0o600);
  const counts = await countRows(database);
  const seedSeconds = (performance.now() - started) / 1000;
  options.log(`data set built in ${seedSeconds.toFixed(1)} s`);
  return { size, appUrl: urlFor(database, "aihub_app"), orgs, counts, reused: false, seedSeconds };
}

async function countRows(database: string): Promise<Dataset["counts"]> {
  const client = new pg.Client({ connectionString: urlFor(database) });
  await client.connect();
  try {
    return {
      orgs: await count(client, "organizations"),
      users: await count(client, "users"),
      members: await count(client, "members"),
      teams: await count(client, "teams"),
      teamMemberships: await count(client, "team_memberships"),
      keys: await count(client, "org_api_keys"),
      budgets: await count(client, "budgets"),
    };
  } finally {
    await client.end();
  }
}
