import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";

// Personal access tokens on the account page: created with a name, scopes and an expiry, the
// token shown once (never again, not even after a reload), listed without its secret, and
// revoked behind a confirmation. Every test signs up its own user.

const PASSWORD = "correct-horse-battery-staple";

test("create a personal access token, see it once, revoke it", async ({ page }) => {
  const email = `e2e-pat-${randomUUID().slice(0, 12)}@example.com`;
  await page.goto("/sign-up");
  await page.getByLabel("Name", { exact: true }).fill("Token Tester");
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByTestId("sign-up-submit").click();
  await expect(page).toHaveURL("/");

  await page.goto("/account");
  const section = page.getByTestId("personal-tokens");
  await expect(section.getByTestId("personal-tokens-empty")).toBeVisible();

  // Owner-only permissions are not offered at all.
  const scopes = section.getByTestId("personal-token-scopes");
  await expect(scopes.getByRole("checkbox", { name: "org:read" })).toBeChecked();
  await expect(scopes.getByRole("checkbox", { name: "org:delete" })).toHaveCount(0);
  await expect(scopes.getByRole("checkbox", { name: "org:transfer" })).toHaveCount(0);

  const name = `laptop ${randomUUID().slice(0, 6)}`;
  await section.getByLabel("Name", { exact: true }).fill(name);
  await scopes.getByRole("checkbox", { name: "usage:read" }).check();
  await section.getByTestId("personal-token-expiry").selectOption("90");
  await section.getByTestId("personal-token-submit").click();

  const value = section.getByTestId("personal-token-value");
  await expect(value).toHaveText(/^aihp_live_[0-9A-Za-z]{49}$/);
  const token = (await value.textContent()) as string;
  await expect(section.getByTestId("personal-token-copy")).toBeVisible();

  const row = section.getByTestId("personal-token-row").filter({ hasText: name });
  await expect(row).toHaveAttribute("data-status", "active");
  await expect(row).toContainText(token.slice(0, 17));
  await expect(row).toContainText("org:read, usage:read");
  await expect(row).toContainText("Never");

  // Shown once: gone when dismissed, and not on the page after a reload.
  await section.getByTestId("personal-token-dismiss").click();
  await expect(section.getByTestId("personal-token-value")).toHaveCount(0);
  await page.reload();
  await expect(section.getByTestId("personal-token-row").filter({ hasText: name })).toBeVisible();
  expect(await page.content()).not.toContain(token);

  // Revoking asks first; cancelling keeps the token.
  await row.getByTestId("personal-token-revoke").click();
  await row.getByTestId("personal-token-revoke-cancel").click();
  await expect(row).toHaveAttribute("data-status", "active");
  await row.getByTestId("personal-token-revoke").click();
  await expect(row.getByTestId("personal-token-revoke-dialog")).toContainText(name);
  await row.getByTestId("personal-token-revoke-confirm").click();
  await expect(section.getByTestId("personal-tokens-notice")).toContainText(name);
  await expect(row).toHaveAttribute("data-status", "revoked");
  await expect(row.getByTestId("personal-token-status")).toHaveText("Revoked");
  await expect(row.getByTestId("personal-token-revoke")).toHaveCount(0);
});
