import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { freePort } from "./free-port.js";

const run = promisify(execFile);

/**
 * A Redis Cluster of a test's own: three masters (`redis-server` 7 in cluster mode) on free
 * loopback ports, slots split by `redis-cli --cluster create`, no persistence. Its URL for the
 * store is `redis+cluster://127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3`.
 */
export interface RedisCluster {
  url: string;
  ports: number[];
  stop(): Promise<void>;
}

export async function startRedisCluster(masters = 3): Promise<RedisCluster> {
  const dir = await mkdtemp(join(tmpdir(), "aihub-redis-cluster-"));
  const ports: number[] = [];
  const children: ChildProcess[] = [];
  for (let i = 0; i < masters; i++) {
    // Cluster nodes also listen on port + 10000 (the bus): both must be free.
    let port = await freePort();
    while (port + 10_000 > 65_535) port = await freePort();
    ports.push(port);
    const child = spawn(
      "redis-server",
      [
        "--port",
        String(port),
        "--bind",
        "127.0.0.1",
        "--cluster-enabled",
        "yes",
        "--cluster-config-file",
        join(dir, `nodes-${port}.conf`),
        "--dir",
        dir,
        "--save",
        "",
        "--appendonly",
        "no",
      ],
      { stdio: "ignore" },
    );
    child.on("error", () => {});
    children.push(child);
  }
  const stop = async () => {
    for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
    await rm(dir, { recursive: true, force: true });
  };
  try {
    for (const port of ports) {
      for (let attempt = 0; ; attempt++) {
        const pong = await run("redis-cli", ["-p", String(port), "ping"]).catch(() => ({ stdout: "" }));
        if (pong.stdout.includes("PONG")) break;
        if (attempt > 50) throw new Error(`redis-server on ${port} did not start`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    await run("redis-cli", ["--cluster", "create", ...ports.map((p) => `127.0.0.1:${p}`), "--cluster-replicas", "0", "--cluster-yes"]);
    for (let attempt = 0; ; attempt++) {
      const info = await run("redis-cli", ["-p", String(ports[0]), "cluster", "info"]);
      if (info.stdout.includes("cluster_state:ok")) break;
      if (attempt > 100) throw new Error("the cluster did not become ready");
      await new Promise((r) => setTimeout(r, 100));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `redis+cluster://${ports.map((p) => `127.0.0.1:${p}`).join(",")}`, ports, stop };
}
