import { expect, test } from "@playwright/test";

// The README's promise: the start command brings up the console with the demo company in it,
// on the embedded database as on PostgreSQL. Runs in both projects.
test("the demo owner signs in and finds both organizations and Acme's nested teams", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByLabel("Email", { exact: true }).fill("ada@acme.example");
  await page.getByLabel("Password", { exact: true }).fill("demo-password");
  await page.getByTestId("sign-in-submit").click();
  await expect(page.getByTestId("user-email")).toHaveText("ada@acme.example");

  await page.goto("/orgs");
  await expect(page.locator('[data-testid="org-card"][data-slug="acme-robotics"]')).toBeVisible();
  await expect(page.locator('[data-testid="org-card"][data-slug="globex-research"]')).toBeVisible();

  await page.goto("/orgs/acme-robotics/teams");
  await expect(page.locator('[data-testid="team-node"][data-team-name="Inference"]')).toHaveAttribute("data-depth", "2");
  await expect(page.locator('[data-testid="team-node"][data-team-name="Sales"]')).toHaveAttribute("data-depth", "0");
});
