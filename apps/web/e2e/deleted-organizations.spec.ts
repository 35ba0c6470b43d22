import { expect, test } from "@playwright/test";
import { createOrg, expectAccessible, mutate, signIn } from "./support/console";

// A deleted organization is listed with the days left to restore it, and Restore (after a
// confirmation) brings it back into the organization list. The demo owner makes an organization
// of their own for this; the demo organizations are not touched.

test("delete an organization, find it under deleted organizations with 30 days left, restore it", async ({ page }) => {
  test.setTimeout(90_000);
  await signIn(page, "ada@acme.example");
  const org = await createOrg(page, "Restore");
  await mutate(page, "organization.delete", { orgId: org.id, confirmSlug: org.slug });

  await page.goto("/orgs");
  await expect(page.locator(`[data-testid="org-card"][data-slug="${org.slug}"]`)).toHaveCount(0);
  const row = page.locator(`[data-testid="deleted-org"][data-org-slug="${org.slug}"]`);
  await expect(row).toContainText(org.name);
  await expect(row).toContainText("Deleted");
  // Deleted just now: the whole window is left (30 days, or 29 and some hours by the clock).
  await expect(row.getByTestId("deleted-org-days-left")).toHaveText(/^(30|29) days left to restore$/);
  await expectAccessible(page);

  // Cancel first: nothing changes.
  await row.getByTestId("deleted-org-restore").click();
  const dialog = page.getByTestId("deleted-org-restore-dialog");
  await expect(dialog).toContainText(`Restore ${org.name}?`);
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
  await expect(row).toBeVisible();

  // Restore, from the keyboard this time.
  await row.getByTestId("deleted-org-restore").focus();
  await page.keyboard.press("Enter");
  await dialog.getByTestId("deleted-org-restore-confirm").click();
  await expect(page.getByText(`${org.name} was restored.`)).toBeVisible();
  await expect(row).toHaveCount(0);
  await expect(page.locator(`[data-testid="org-card"][data-slug="${org.slug}"]`)).toBeVisible();

  // It is really back: its pages open for the owner.
  await page.goto(`/orgs/${org.slug}`);
  await expect(page.getByTestId("org-name")).toHaveText(org.name);
});
