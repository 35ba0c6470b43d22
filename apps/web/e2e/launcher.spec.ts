import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import { expect, test } from "@playwright/test";

// What the launchers refuse before serving anything, and what they say at start-up. Each test
// starts its own short-lived process from the production build; none of them opens a port
// unless told to.

const DATABASE_URL = process.env.E2E_DATABASE_URL ?? "postgresql://aihub_app:aihub_app@127.0.0.1:5432/aihub_e2e";
const SECRET = "launcher-test-secret-long-enough-to-be-accepted";
/** The provider-credential key: 32 bytes in base64. */
const PROVIDER_KEY = Buffer.from("launcher-test-provider-key-32-b!").toString("base64");

/** This process's environment without anything the test means to control. */
function baseEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of [
    "NEXTAUTH_SECRET",
    "API_KEY_SECRET",
    "PROVIDER_SECRET_KEY",
    "SMTP_URL",
    "TRUST_PROXY",
    "NODE_ENV",
    "REDIS_URL",
    "AIHUB_DATA_DIR",
  ])
    delete env[name];
  return { ...env, NODE_ENV: "production", DATABASE_URL, HOST: "127.0.0.1", PORT: "0", GATEWAY_PORT: "0", ...extra };
}

interface Run {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function start(script: string, env: NodeJS.ProcessEnv): Run {
  const child = spawn(process.execPath, [script], { env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function refusal(script: string, env: NodeJS.ProcessEnv): Promise<string> {
  const run = start(script, env);
  const code = await Promise.race([run.exited, new Promise<"running">((resolve) => setTimeout(() => resolve("running"), 20_000))]);
  if (code === "running") run.child.kill("SIGKILL");
  expect(code, run.output()).toBe(1);
  return run.output();
}

/** Waits for a line of output, then stops the process. */
async function saysThenStop(run: Run, pattern: RegExp): Promise<void> {
  try {
    await expect.poll(run.output, { timeout: 30_000, message: "start-up output" }).toMatch(pattern);
  } finally {
    run.child.kill("SIGTERM");
    await Promise.race([run.exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
    run.child.kill("SIGKILL");
  }
}

test.describe("launchers", () => {
  test("the console launcher refuses to start in production without its secrets, naming them", async () => {
    const output = await refusal("apps/web/launch.mjs", baseEnv({}));
    expect(output).toContain("NEXTAUTH_SECRET, API_KEY_SECRET and PROVIDER_SECRET_KEY are not set");
    expect(output).not.toContain("Console ready");

    const onlyOne = await refusal("apps/web/launch.mjs", baseEnv({ NEXTAUTH_SECRET: SECRET }));
    expect(onlyOne).toMatch(/API_KEY_SECRET and PROVIDER_SECRET_KEY are not set/);
    expect(onlyOne).not.toMatch(/NEXTAUTH_SECRET(,| is| and)/);

    const weak = await refusal(
      "apps/web/launch.mjs",
      baseEnv({ NEXTAUTH_SECRET: "secret", API_KEY_SECRET: SECRET, PROVIDER_SECRET_KEY: PROVIDER_KEY }),
    );
    expect(weak).toContain("NEXTAUTH_SECRET is shorter than 32 characters");
  });

  test("the standalone gateway needs API_KEY_SECRET and PROVIDER_SECRET_KEY only", async () => {
    const output = await refusal("apps/gateway/dist/main.js", baseEnv({ NEXTAUTH_SECRET: SECRET }));
    expect(output).toMatch(/API_KEY_SECRET and PROVIDER_SECRET_KEY are not set/);
    expect(output).not.toMatch(/NEXTAUTH_SECRET(,| is| and)/);

    const gateway = start("apps/gateway/dist/main.js", baseEnv({ API_KEY_SECRET: SECRET, PROVIDER_SECRET_KEY: PROVIDER_KEY }));
    await saysThenStop(gateway, /Gateway listening on http:\/\/127\.0\.0\.1:\d+/);
  });

  test("an unclear TRUST_PROXY stops both launchers, naming the variable", async () => {
    const env = baseEnv({ NEXTAUTH_SECRET: SECRET, API_KEY_SECRET: SECRET, PROVIDER_SECRET_KEY: PROVIDER_KEY, TRUST_PROXY: "true" });
    expect(await refusal("apps/web/launch.mjs", env)).toContain("TRUST_PROXY");
    expect(await refusal("apps/gateway/dist/main.js", env)).toContain("TRUST_PROXY");
  });

  test("production without SMTP_URL says where mail goes, links hidden", async () => {
    const run = start(
      "apps/web/launch.mjs",
      baseEnv({ NEXTAUTH_SECRET: SECRET, API_KEY_SECRET: SECRET, PROVIDER_SECRET_KEY: PROVIDER_KEY, GATEWAY_ENABLED: "false" }),
    );
    await saysThenStop(run, /Email: no SMTP_URL set — mail is printed to this log with links hidden/);
  });

  test("the embedded start generated its secrets once and keeps them next to its data, readable by the owner only", () => {
    // The embedded copy under test (playwright.config.ts) started with no secrets configured.
    const dataDir = process.env.E2E_EMBEDDED_DATA_DIR;
    expect(dataDir).toBeTruthy();
    const file = `${dataDir}-secrets.json`;
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const secrets = JSON.parse(readFileSync(file, "utf8"));
    expect(Object.keys(secrets).sort()).toEqual(["API_KEY_SECRET", "NEXTAUTH_SECRET", "PROVIDER_SECRET_KEY"]);
    for (const value of Object.values(secrets)) expect(String(value).length).toBeGreaterThanOrEqual(32);
  });
});
