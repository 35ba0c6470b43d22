import pg from "pg";

/**
 * Reads the database as a superuser, past row-level security: what a test asserts about
 * effects must not depend on the product's own tenant scoping. One connection per test file.
 */
export interface Inspector {
  rows<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** The first column of the first row (null when there is none). */
  value<T = unknown>(sql: string, params?: unknown[]): Promise<T | null>;
  close(): Promise<void>;
}

export async function createInspector(adminUrl: string): Promise<Inspector> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  const rows = async <T>(sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows as T[];
  return {
    rows,
    async value<T>(sql: string, params: unknown[] = []) {
      const [first] = await rows<Record<string, T>>(sql, params);
      return first ? (Object.values(first)[0] as T) : null;
    },
    close: () => client.end(),
  };
}
