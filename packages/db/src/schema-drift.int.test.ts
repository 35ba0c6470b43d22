import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import internals from "@prisma/internals";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "./testing/test-database.js";

/**
 * The migrations are hand-written SQL, so this compares what they build with what
 * schema.prisma says (tables, columns with types and nullability, keys, indexes, foreign keys,
 * enums). Index names are not compared (DMMF leaves them null unless mapped), column sets are.
 */
const SCHEMA = fileURLToPath(new URL("../../../prisma/schema.prisma", import.meta.url));

type Dmmf = Awaited<ReturnType<typeof internals.getDMMF>>;
type Model = Dmmf["datamodel"]["models"][number];
type Field = Model["fields"][number];

let testDb: TestDatabase;
let admin: pg.Client;
let dmmf: Dmmf;

beforeAll(async () => {
  testDb = await createTestDatabase();
  admin = new pg.Client({ connectionString: testDb.adminUrl });
  await admin.connect();
  dmmf = await internals.getDMMF({ datamodel: await readFile(SCHEMA, "utf8") });
});
afterAll(async () => {
  await admin.end();
  await testDb.drop();
});

const tableOf = (model: Model) => model.dbName ?? model.name;
const columnOf = (field: Field) => field.dbName ?? field.name;
const scalarFields = (model: Model) => model.fields.filter((f) => f.kind !== "object");

function expectedType(field: Field, enums: Dmmf["datamodel"]["enums"]): string {
  const [native, args = []] = (field.nativeType as [string, string[]] | null) ?? [];
  let type: string;
  if (field.kind === "enum") {
    const e = enums.find((x) => x.name === field.type);
    type = e?.dbName ?? field.type;
  } else if (native === "Uuid") type = "uuid";
  else if (native === "Timestamptz") type = `timestamp(${args[0] ?? 6}) with time zone`;
  else if (native === "Date") type = "date";
  else if (native === "Char") type = `character(${args[0]})`;
  else if (native === "VarChar") type = `character varying(${args[0]})`;
  else if (native) throw new Error(`Add a mapping for native type ${native} (${field.name})`);
  else {
    const defaults: Record<string, string> = {
      String: "text",
      Int: "integer",
      BigInt: "bigint",
      Boolean: "boolean",
      Json: "jsonb",
      DateTime: "timestamp(3) without time zone",
      Decimal: "numeric(65,30)",
      Float: "double precision",
      Bytes: "bytea",
    };
    type = defaults[field.type] ?? `unmapped ${field.type}`;
  }
  return field.isList ? `${type}[]` : type;
}

async function databaseTables(): Promise<string[]> {
  const { rows } = await admin.query<{ table_name: string }>(
    // A partitioned table counts once: its partitions (created by a function, month by month) are not schema tables.
    `SELECT c.relname AS table_name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND c.relname <> '_prisma_migrations' ORDER BY 1`,
  );
  return rows.map((r) => r.table_name);
}

describe("schema drift: migrations vs schema.prisma", () => {
  it("has exactly the tables of the schema", async () => {
    expect(await databaseTables()).toEqual(dmmf.datamodel.models.map(tableOf).sort());
  });

  it("has every column with the schema's type and nullability, and no other", async () => {
    const { rows } = await admin.query<{ table: string; column: string; type: string; not_null: boolean }>(
      `SELECT c.relname AS table, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null
         FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND a.attnum > 0 AND NOT a.attisdropped AND c.relname <> '_prisma_migrations'`,
    );
    const actual = rows.map((r) => `${r.table}.${r.column}: ${r.type}${r.not_null ? " not null" : ""}`).sort();
    const expected = dmmf.datamodel.models
      .flatMap((m) =>
        scalarFields(m).map(
          (f) => `${tableOf(m)}.${columnOf(f)}: ${expectedType(f, dmmf.datamodel.enums)}${f.isRequired ? " not null" : ""}`,
        ),
      )
      .sort();
    expect(actual).toEqual(expected);
  });

  it("has the schema's primary keys, unique keys and indexes (by column lists)", async () => {
    const { rows } = await admin.query<{ table: string; kind: string; columns: string[] }>(
      `SELECT c.relname AS table,
              CASE WHEN i.indisprimary THEN 'id' WHEN i.indisunique THEN 'unique' ELSE 'normal' END AS kind,
              array(SELECT a.attname FROM unnest(i.indkey) WITH ORDINALITY k(attnum, ord)
                      JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum ORDER BY k.ord)::text[] AS columns
         FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND NOT c.relispartition AND c.relname <> '_prisma_migrations'`,
    );
    const actual = rows.map((r) => `${r.table} ${r.kind} (${r.columns.join(", ")})`).sort();
    const expected = dmmf.datamodel.indexes
      .map((index) => {
        const model = dmmf.datamodel.models.find((m) => m.name === index.model) as Model;
        const columns = index.fields.map((f) => columnOf(model.fields.find((x) => x.name === f.name) as Field));
        return `${tableOf(model)} ${index.type} (${columns.join(", ")})`;
      })
      .sort();
    expect(actual).toEqual(expected);
  });

  it("has the schema's foreign keys with their delete rules", async () => {
    const { rows } = await admin.query<{ fk: string }>(
      `SELECT format('%s (%s) -> %s (%s) on delete %s', c.conrelid::regclass,
                     (SELECT string_agg(a.attname, ', ' ORDER BY k.ord) FROM unnest(c.conkey) WITH ORDINALITY k(n, ord)
                        JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n),
                     c.confrelid::regclass,
                     (SELECT string_agg(a.attname, ', ' ORDER BY k.ord) FROM unnest(c.confkey) WITH ORDINALITY k(n, ord)
                        JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n),
                     CASE c.confdeltype WHEN 'c' THEN 'Cascade' WHEN 'r' THEN 'Restrict' WHEN 'n' THEN 'SetNull'
                                        WHEN 'd' THEN 'SetDefault' ELSE 'NoAction' END) AS fk
         FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
        WHERE c.contype = 'f' AND n.nspname = 'public' AND c.conparentid = 0`,
    );
    const expected = dmmf.datamodel.models.flatMap((model) =>
      model.fields
        .filter((f) => f.kind === "object" && (f.relationFromFields?.length ?? 0) > 0)
        .map((f) => {
          const target = dmmf.datamodel.models.find((m) => m.name === f.type) as Model;
          const from = (f.relationFromFields ?? []).map((n) => columnOf(model.fields.find((x) => x.name === n) as Field));
          const to = (f.relationToFields ?? []).map((n) => columnOf(target.fields.find((x) => x.name === n) as Field));
          const onDelete = f.relationOnDelete ?? (f.isRequired ? "Restrict" : "SetNull");
          return `${tableOf(model)} (${from.join(", ")}) -> ${tableOf(target)} (${to.join(", ")}) on delete ${onDelete}`;
        }),
    );
    expect(rows.map((r) => r.fk).sort()).toEqual(expected.sort());
  });

  it("has the schema's enums with their labels in order", async () => {
    const { rows } = await admin.query<{ name: string; labels: string[] }>(
      `SELECT t.typname AS name, array_agg(e.enumlabel ORDER BY e.enumsortorder)::text[] AS labels
         FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
        WHERE n.nspname = 'public' GROUP BY t.typname`,
    );
    const expected = dmmf.datamodel.enums.map((e) => ({ name: e.dbName ?? e.name, labels: e.values.map((v) => v.dbName ?? v.name) }));
    expect(rows.sort((a, b) => a.name.localeCompare(b.name))).toEqual(expected.sort((a, b) => a.name.localeCompare(b.name)));
  });
});
