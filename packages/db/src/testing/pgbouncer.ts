import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./free-port.js";

/**
 * A private PgBouncer (Debian's `pgbouncer` 1.18) in front of the machine's PostgreSQL, started
 * by a test in transaction pooling mode — what the app meets in production behind a pooler: a
 * server connection is lent for one transaction at a time, so any session state (SET, prepared
 * statements by name, advisory session locks) would leak between clients. It refuses to run as
 * root, so as root it runs as `postgres` (`-u postgres`).
 */
export interface PgBouncer {
  /** `url` with its host and port replaced by the bouncer's. */
  through(url: string): string;
  port: number;
  /** Server connections it holds per database and user (small, so sharing is certain). */
  poolSize: number;
  log(): Promise<string>;
  stop(): Promise<void>;
}

async function waitForPort(port: number, child: ChildProcess, logFile: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    if (child.exitCode !== null)
      throw new Error(`pgbouncer exited (${child.exitCode}): ${await readFile(logFile, "utf8").catch(() => "")}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1", () => {
        socket.end();
        resolve(true);
      });
      socket.on("error", () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`pgbouncer did not listen on ${port}`);
}

export async function startPgBouncer(options: { target?: { host: string; port: number }; poolSize?: number } = {}): Promise<PgBouncer> {
  const target = options.target ?? { host: "127.0.0.1", port: 5432 };
  const poolSize = options.poolSize ?? 3;
  const dir = await mkdtemp(join(tmpdir(), "aihub-pgbouncer-"));
  // Readable by the postgres user it runs as.
  await chmod(dir, 0o777);
  const port = await freePort();
  const logFile = join(dir, "pgbouncer.log");
  const iniFile = join(dir, "pgbouncer.ini");
  // The cluster trusts loopback connections; the bouncer passes each client's user through.
  await writeFile(join(dir, "users.txt"), ['"aihub_app" ""', '"aihub_owner" ""', '"postgres" ""'].join("\n"));
  await writeFile(
    iniFile,
    [
      "[databases]",
      `* = host=${target.host} port=${target.port}`,
      "[pgbouncer]",
      "listen_addr = 127.0.0.1",
      `listen_port = ${port}`,
      "unix_socket_dir =",
      "auth_type = trust",
      `auth_file = ${join(dir, "users.txt")}`,
      "pool_mode = transaction",
      `default_pool_size = ${poolSize}`,
      "max_client_conn = 500",
      "ignore_startup_parameters = extra_float_digits,options",
      `logfile = ${logFile}`,
      `pidfile = ${join(dir, "pgbouncer.pid")}`,
    ].join("\n"),
  );
  for (const file of ["users.txt", "pgbouncer.ini"]) await chmod(join(dir, file), 0o644);
  const asRoot = process.getuid?.() === 0;
  // Debian installs it in /usr/sbin, which a non-root PATH may lack.
  const binary = existsSync("/usr/sbin/pgbouncer") ? "/usr/sbin/pgbouncer" : "pgbouncer";
  const child = spawn(binary, asRoot ? ["-u", "postgres", iniFile] : [iniFile], { stdio: "ignore" });
  child.on("error", () => {});
  try {
    await waitForPort(port, child, logFile);
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
  return {
    port,
    poolSize,
    through(url: string) {
      const u = new URL(url);
      u.hostname = "127.0.0.1";
      u.port = String(port);
      return u.toString();
    },
    log: () => readFile(logFile, "utf8").catch(() => ""),
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGINT");
        await Promise.race([exited, new Promise((r) => setTimeout(r, 3_000))]);
        if (child.exitCode === null) child.kill("SIGKILL");
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
