import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { promisify } from "node:util";
import { APP_ROLE, OWNER_ROLE } from "../config.js";
import { freePort } from "./free-port.js";

const exec = promisify(execFile);
/** Cluster management needs root: as another user it goes through sudo (non-interactive). */
const run = (command: string, args: string[]) =>
  process.getuid?.() === 0 || command === "ls" ? exec(command, args) : exec("sudo", ["-n", command, ...args]);

/**
 * A PostgreSQL cluster of a test's own (Debian's pg_createcluster, on a free loopback port,
 * trusting loopback connections), for faults that must never touch the machine's shared
 * cluster: a test may restart or stop it at will. Needs root (pg_createcluster writes under
 * /etc/postgresql and /var/lib/postgresql); the cluster itself runs as the postgres user.
 */
export interface PrivateCluster {
  port: number;
  /** A superuser's URL into `database`. */
  adminUrl(database?: string): string;
  /** The app role's and the owner role's URL into `database`. */
  appUrl(database: string): string;
  ownerUrl(database: string): string;
  restart(): Promise<void>;
  stop(): Promise<void>;
  start(): Promise<void>;
  drop(): Promise<void>;
}

async function installedVersion(): Promise<string> {
  const { stdout } = await run("ls", ["/usr/lib/postgresql"]);
  const versions = stdout
    .split(/\s+/)
    .filter(Boolean)
    .sort((a, b) => Number(b) - Number(a));
  if (!versions[0]) throw new Error("no PostgreSQL server installed under /usr/lib/postgresql");
  return versions[0];
}

/** Clusters an earlier run left behind (killed before it dropped them). */
async function dropLeftovers(version: string): Promise<void> {
  const { stdout } = await run("pg_lsclusters", ["--no-header"]);
  for (const line of stdout.split("\n")) {
    const [ver, name] = line.trim().split(/\s+/);
    if (ver === version && name?.startsWith("aihub_chaos_") && /\bdown\b/.test(line))
      await run("pg_dropcluster", ["--stop", version, name]).catch(() => {});
  }
}

export async function createPrivateCluster(): Promise<PrivateCluster> {
  const version = await installedVersion();
  await dropLeftovers(version);
  const name = `aihub_chaos_${randomUUID().slice(0, 8)}`;
  const port = await freePort();
  await run("pg_createcluster", [version, name, "--port", String(port), "--", "--auth=trust", "--no-sync"]);
  const ctl = (action: string, ...more: string[]) => run("pg_ctlcluster", ["--skip-systemctl-redirect", version, name, action, ...more]);
  await ctl("start");
  const url = (user: string, database = "postgres") => `postgresql://${user}:${user}@127.0.0.1:${port}/${database}`;
  return {
    port,
    adminUrl: (database = "postgres") => url("postgres", database),
    appUrl: (database) => url(APP_ROLE, database),
    ownerUrl: (database) => url(OWNER_ROLE, database),
    restart: async () => {
      await ctl("restart", "-m", "fast");
    },
    stop: async () => {
      await ctl("stop", "-m", "fast");
    },
    start: async () => {
      await ctl("start");
    },
    drop: async () => {
      await run("pg_dropcluster", ["--stop", version, name]).catch(() => {});
    },
  };
}
