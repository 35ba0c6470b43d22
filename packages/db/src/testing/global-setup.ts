import { prepareTestTemplate } from "./test-database.js";

/** Vitest global setup: roles and a migrated template, once per run. */
export default async function setup(): Promise<void> {
  await prepareTestTemplate();
}
