/**
 * A second process for the budget race test: runs its share of concurrent reserve/settle and
 * record calls against the same database and prints one JSON line per call's outcome.
 * Input (env): SPEND_DB_URL, SPEND_JOBS (JSON array of SpendJob).
 */
import { createDatabase } from "@aihub/db";
import { runSpendJobs, type SpendJob } from "./spend-jobs.js";

const db = createDatabase({ url: process.env.SPEND_DB_URL as string, poolMax: 8 });
const jobs = JSON.parse(process.env.SPEND_JOBS as string) as SpendJob[];
const outcomes = await runSpendJobs(db, jobs, 8);
process.stdout.write(`${JSON.stringify(outcomes)}\n`);
await db.close();
