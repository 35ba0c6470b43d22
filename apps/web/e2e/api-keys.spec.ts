import { randomUUID } from "node:crypto";
import AxeBuilder from "@axe-core/playwright";
import { expect, type Page, test } from "@playwright/test";

// Organization API keys in the console, end to end, as the demo owner: create a key, see it
// once, call the gateway with it, watch "last used" fill in, revoke it and see the gateway refuse
// it. The page passes an axe check. Keys get unique names; nothing else in the demo org changes.

async function signInAsDemoOwner(page: Page) {
  await page.goto("/sign-in");
  await page.getByLabel("Email", { exact: true }).fill("ada@acme.example");
  await page.getByLabel("Password", { exact: true }).fill("demo-password");
  await page.getByTestId("sign-in-submit").click();
  await expect(page.getByTestId("user-email")).toHaveText("ada@acme.example");
}

/** The id of an organization of the signed-in user, from the console's own API. */
async function orgIdOf(page: Page, slug: string): Promise<string> {
  const response = await page.request.get("/api/trpc/organization.listMine");
  expect(response.ok()).toBe(true);
  const body = (await response.json()) as { result: { data: { json: { id: string; slug: string }[] } } };
  const org = body.result.data.json.find((candidate) => candidate.slug === slug);
  if (!org) throw new Error(`not a member of ${slug}`);
  return org.id;
}

/** `organization.get` through the gateway with an API key (tRPC over GET, superjson input). */
function callGateway(gateway: string, key: string, orgId: string) {
  const input = encodeURIComponent(JSON.stringify({ json: { orgId } }));
  return fetch(`${gateway}/trpc/organization.get?input=${input}`, { headers: { authorization: `Bearer ${key}` } });
}

test("create a key, see it once, use it at the gateway, see it used, revoke it and the gateway refuses it", async ({ page }, testInfo) => {
  test.setTimeout(150_000);
  const gateway = testInfo.project.metadata.gateway as string;
  const name = `E2E key ${randomUUID().slice(0, 8)}`;
  await signInAsDemoOwner(page);
  const orgId = await orgIdOf(page, "acme-robotics");

  // The tab leads to the page; its title names the organization.
  await page.goto("/orgs/acme-robotics");
  await page.getByTestId("org-tab-api-keys").click();
  await expect(page).toHaveURL("/orgs/acme-robotics/api-keys");
  await expect(page).toHaveTitle(/API keys · Acme Robotics/);

  // Create: name, one scope from the picker, a rate limit.
  await page.getByTestId("api-key-create").click();
  const dialog = page.getByTestId("api-key-create-dialog");
  await dialog.getByTestId("api-key-name").fill(name);
  // Submitting without a scope is refused in the form, as the server would.
  await dialog.getByTestId("api-key-create-submit").click();
  await expect(dialog.getByText("Choose at least one scope.")).toBeVisible();
  await dialog.getByTestId("api-key-scopes").click();
  await page.getByPlaceholder("Search permissions").fill("org:read");
  await page.getByRole("option", { name: /^org:read/ }).click();
  await page.keyboard.press("Escape");
  await expect(dialog.getByTestId("api-key-scopes")).toHaveText("org:read");
  await dialog.getByTestId("api-key-rate-limit").fill("600");
  await dialog.getByTestId("api-key-create-submit").click();

  // Shown once, with a copy button and the warning.
  const secretDialog = page.getByTestId("api-key-secret-dialog");
  await expect(secretDialog).toBeVisible();
  await expect(secretDialog).toContainText("You won't see this key again");
  const key = (await secretDialog.getByTestId("api-key-secret").textContent())?.trim() ?? "";
  expect(key.length).toBeGreaterThan(20);
  await expect(secretDialog.getByTestId("api-key-copy")).toBeVisible();
  await secretDialog.getByTestId("api-key-secret-done").click();
  await expect(secretDialog).toBeHidden();

  // Gone from the page, and not there after a reload either; the row shows only the prefix.
  const row = page.locator(`[data-testid="api-key-row"][data-key-name="${name}"]`);
  await expect(row).toBeVisible();
  await expect(page.locator("body")).not.toContainText(key);
  const prefix = (await row.getByTestId("api-key-prefix").textContent())?.replace("…", "") ?? "";
  expect(key.startsWith(prefix)).toBe(true);
  expect(prefix.length).toBeLessThan(key.length);
  await expect(row.getByTestId("api-key-last-used")).toHaveText("Never");
  await expect(row.getByTestId("api-key-status")).toHaveAttribute("data-status", "active");

  // The key works at the gateway.
  const ok = await callGateway(gateway, key, orgId);
  expect(ok.status).toBe(200);
  const org = (await ok.json()) as { result: { data: { json: { slug: string } } } };
  expect(org.result.data.json.slug).toBe("acme-robotics");

  // "Last used" fills in (written after the call, so reload until it shows).
  await expect(async () => {
    await page.reload();
    await expect(row.getByTestId("api-key-last-used")).not.toHaveText("Never", { timeout: 15_000 });
  }).toPass({ timeout: 60_000 });
  await expect(page.locator("body")).not.toContainText(key);

  // No serious or critical accessibility violation on the page.
  const axe = await new AxeBuilder({ page }).analyze();
  const serious = axe.violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical");
  expect(serious.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`)).toEqual([]);

  // Revoke, after confirming.
  await row.getByTestId("api-key-actions").click();
  await page.getByTestId("api-key-revoke").click();
  await page.getByTestId("api-key-revoke-confirm").click();
  await expect(row.getByTestId("api-key-status")).toHaveAttribute("data-status", "revoked");
  await expect(row.getByTestId("api-key-actions")).toHaveCount(0);

  // The gateway refuses it (the verification cache lets a revocation through within a second).
  await expect.poll(async () => (await callGateway(gateway, key, orgId)).status, { timeout: 5_000 }).toBe(401);
});

test("edit the limits, then rotate: the new key is shown once with the grace period, and both keys work during it", async ({
  page,
}, testInfo) => {
  test.setTimeout(90_000);
  const gateway = testInfo.project.metadata.gateway as string;
  const name = `E2E rotate ${randomUUID().slice(0, 8)}`;
  await signInAsDemoOwner(page);
  const orgId = await orgIdOf(page, "acme-robotics");
  await page.goto("/orgs/acme-robotics/api-keys");

  await page.getByTestId("api-key-create").click();
  const dialog = page.getByTestId("api-key-create-dialog");
  await dialog.getByTestId("api-key-name").fill(name);
  await dialog.getByTestId("api-key-scopes").click();
  await page.getByPlaceholder("Search permissions").fill("org:read");
  await page.getByRole("option", { name: /^org:read/ }).click();
  await page.keyboard.press("Escape");
  await dialog.getByTestId("api-key-create-submit").click();
  const oldKey = (await page.getByTestId("api-key-secret").textContent())?.trim() ?? "";
  await page.getByTestId("api-key-secret-done").click();

  const row = page.locator(`[data-testid="api-key-row"][data-key-name="${name}"]`);
  // Edit its limits first: the table shows the new rate.
  await row.getByTestId("api-key-actions").click();
  await page.getByTestId("api-key-edit").click();
  await page.getByTestId("api-key-edit-rate-limit").fill("250");
  await page.getByTestId("api-key-edit-submit").click();
  await expect(page.getByTestId("api-key-edit-dialog")).toBeHidden();
  await expect(row).toContainText("250");

  await row.getByTestId("api-key-actions").click();
  await page.getByTestId("api-key-rotate").click();
  await page.getByTestId("api-key-rotate-confirm").click();
  const secretDialog = page.getByTestId("api-key-secret-dialog");
  await expect(secretDialog.getByTestId("api-key-grace")).toContainText("keeps working until");
  const newKey = (await secretDialog.getByTestId("api-key-secret").textContent())?.trim() ?? "";
  expect(newKey).not.toBe(oldKey);
  await secretDialog.getByTestId("api-key-secret-done").click();

  expect((await callGateway(gateway, newKey, orgId)).status).toBe(200);
  expect((await callGateway(gateway, oldKey, orgId)).status).toBe(200);
  await expect(page.locator("body")).not.toContainText(newKey);
});
