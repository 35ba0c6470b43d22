import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, type Page, test } from "@playwright/test";
import pg from "pg";

// The walls at the console's edge, against the production build: security headers on every
// response (and pages that still hydrate under the policy), a client's forwarding headers not
// believed, and mutations refused when posted by a page of another origin.

const DATABASE_URL = process.env.E2E_DATABASE_URL ?? "postgresql://aihub_app:aihub_app@127.0.0.1:5432/aihub_e2e";
const PASSWORD = "correct-horse-battery-staple";
const uniqueEmail = (label: string) => `e2e-${label}-${randomUUID().slice(0, 12)}@example.com`;

async function signUp(page: Page, label: string): Promise<string> {
  const email = uniqueEmail(label);
  await page.goto("/sign-up");
  await page.getByLabel("Name", { exact: true }).fill("E2E Security");
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByTestId("sign-up-submit").click();
  // Hashing the password and signing in take a while on a busy machine.
  await expect(page.getByTestId("user-email")).toHaveText(email, { timeout: 15_000 });
  return email;
}

/** Serves one HTML page on another loopback port: same site as the console, another origin. */
async function servePage(html: string): Promise<{ url: string; close: () => void }> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, close: () => server.close() };
}

test.describe("security headers", () => {
  test("every kind of response carries them; no HSTS over plain HTTP, even when the client claims HTTPS", async ({ request }) => {
    for (const path of ["/", "/sign-in", "/no-such-page", "/api/trpc/health"]) {
      const response = await request.get(path, { headers: { "x-forwarded-proto": "https", forwarded: "proto=https" } });
      const headers = response.headers();
      expect(headers["content-security-policy"], path).toContain("frame-ancestors 'none'");
      expect(headers["content-security-policy"], path).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/]+=*';/);
      expect(headers["content-security-policy"], path).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
      expect(headers["referrer-policy"], path).toBe("no-referrer");
      expect(headers["x-content-type-options"], path).toBe("nosniff");
      expect(headers["strict-transport-security"], path).toBeUndefined();
    }
  });

  test("pages render and hydrate under the policy: Next's inline scripts carry the response's nonce", async ({ page }) => {
    const violations: string[] = [];
    page.on("console", (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    const response = await page.goto("/sign-in");
    const csp = response?.headers()["content-security-policy"] ?? "";
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(await response?.text()).toContain(`nonce="${nonce}"`);

    // Hydrated: React has attached itself to the server-rendered form.
    await page.waitForFunction(() => {
      const form = document.querySelector("form");
      return form !== null && Object.keys(form).some((key) => key.startsWith("__react"));
    });
    await expect(page.getByTestId("sign-in-submit")).toBeEnabled();
    // Another page, whose client components fetch their data through tRPC.
    await page.goto("/");
    await expect(page.getByTestId("health-status")).toHaveText("ok");
    expect(violations).toEqual([]);

    // A fresh nonce for every response.
    const again = await page.request.get("/sign-in");
    expect(/'nonce-([^']+)'/.exec(again.headers()["content-security-policy"] ?? "")?.[1]).not.toBe(nonce);
  });
});

test.describe("client address", () => {
  test("a client's own X-Forwarded-For is not believed: the audit records the socket's address", async ({ page }) => {
    await signUp(page, "xff");
    const slug = `e2e-xff-${randomUUID().slice(0, 8)}`;
    const response = await page.request.post("/api/trpc/organization.create", {
      headers: { "x-forwarded-for": "203.0.113.66", "x-real-ip": "203.0.113.67", forwarded: "for=203.0.113.68" },
      data: { json: { name: `XFF ${slug}`, slug } },
    });
    expect(response.status()).toBe(200);
    const orgId: string = (await response.json()).result.data.json.id;

    const client = new pg.Client({ connectionString: DATABASE_URL });
    await client.connect();
    try {
      await client.query("BEGIN");
      await client.query("SELECT set_config('app.current_org_id', $1, true)", [orgId]);
      const { rows } = await client.query<{ ip: string | null }>("SELECT ip FROM audit_events WHERE organization_id = $1", [orgId]);
      await client.query("COMMIT");
      expect(rows.length).toBeGreaterThan(0);
      for (const { ip } of rows) expect(ip).toBe("127.0.0.1");
    } finally {
      await client.end();
    }
  });
});

test.describe("cross-origin mutations", () => {
  test("a page on another port cannot post a mutation with the signed-in user's cookie", async ({ page, baseURL }) => {
    await signUp(page, "csrf");
    expect((await page.request.get("/api/trpc/me.get")).status()).toBe(200);

    // Same site (127.0.0.1), another origin (port): the Lax session cookie goes along. A
    // multipart body keeps it a "simple" request, so no preflight stops it in the browser.
    const target = `${baseURL}/api/trpc/account.signOutEverywhere`;
    const attacker = await servePage(`<!doctype html><title>waiting</title><script>
      fetch(${JSON.stringify(target)}, { method: "POST", mode: "no-cors", credentials: "include", body: new FormData() })
        .then(() => { document.title = "sent"; }, () => { document.title = "failed"; });
    </script>`);
    try {
      const [refused] = await Promise.all([page.waitForResponse((response) => response.url().startsWith(target)), page.goto(attacker.url)]);
      await expect(page).toHaveTitle("sent");
      expect(refused.status()).toBe(403);
    } finally {
      attacker.close();
    }
    // The same request by hand, to read the answer the page could not: a typed 403.
    const byHand = await page.request.post(target, {
      headers: { origin: new URL(attacker.url).origin },
      multipart: { unused: "x" },
    });
    expect(byHand.status()).toBe(403);
    expect(await byHand.json()).toMatchObject({
      error: { json: { code: -32003, data: { code: "FORBIDDEN", httpStatus: 403, details: { reason: "CROSS_ORIGIN" } } } },
    });

    // No effect: the session still counts, and the console's own pages still work.
    expect((await page.request.get("/api/trpc/me.get")).status()).toBe(200);
    await page.goto("/account");
    await expect(page.getByTestId("account-email")).toBeVisible();
  });
});
