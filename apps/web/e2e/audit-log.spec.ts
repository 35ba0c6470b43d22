import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { addDemoMember, createOrg, expectAccessible, mutate, signIn } from "./support/console";

// The audit log of an organization of the demo owner's own: a member's role changes, the log
// filtered to role changes (the filter kept in the URL) shows just that, with the before/after
// diff; the hash chain checks out; the filtered export downloads a file holding exactly it.

test("filter the audit log to a role change, see its diff and the chain, export it", async ({ page, browser, baseURL }) => {
  test.setTimeout(150_000);
  await signIn(page, "ada@acme.example");
  const org = await createOrg(page, "Audit");
  const member = await addDemoMember(page, browser, baseURL, org.id);
  await mutate(page, "member.updateRole", { orgId: org.id, memberId: member.memberId, role: "admin" });

  await page.goto(`/orgs/${org.slug}`);
  await page.getByTestId("org-tab-audit").click();
  await expect(page).toHaveURL(`/orgs/${org.slug}/audit`);
  await expect(page).toHaveTitle(new RegExp(`Audit log · ${org.name}`));
  await expect(page.getByTestId("audit-chain")).toHaveAttribute("data-status", "valid");
  // Creating the org, inviting, joining and the role change are all there.
  await expect(page.locator('[data-testid="audit-row"][data-action="organization.created"]')).toHaveCount(1);
  await expect(page.locator('[data-testid="audit-row"][data-action="member.joined"]')).toHaveCount(1);

  // Filter to role changes: the URL keeps it, and only that event is left.
  await page.getByLabel("Action", { exact: true }).click();
  await page.getByRole("option", { name: "member.role_updated" }).click();
  await expect(page).toHaveURL(/action=member\.role_updated/);
  const rows = page.getByTestId("audit-row");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute("data-action", "member.role_updated");
  await expect(rows.first()).toContainText("Ada Lovelace");
  await page.reload();
  await expect(rows).toHaveCount(1);
  await expectAccessible(page);
  // And in the dark theme (it follows the system).
  await page.emulateMedia({ colorScheme: "dark" });
  await expect(page.locator("html")).toHaveClass(/dark/);
  await expectAccessible(page);
  await page.emulateMedia({ colorScheme: "light" });

  // The event's diff: the role before and after.
  await rows.first().getByTestId("audit-view").click();
  const event = page.getByTestId("audit-event");
  const role = event.locator('[data-testid="audit-diff-row"][data-field="role"]');
  await expect(role.getByTestId("audit-before")).toHaveText('"member"');
  await expect(role.getByTestId("audit-after")).toHaveText('"admin"');
  await page.keyboard.press("Escape");
  await expect(event).toBeHidden();

  // Export the filtered log as CSV: the file holds the role change and nothing else.
  const downloading = page.waitForEvent("download");
  await page.getByTestId("audit-export").click();
  const download = await downloading;
  await expect(page.getByText(/^Downloaded /)).toBeVisible();
  const path = await download.path();
  const csv = await readFile(path, "utf8");
  const lines = csv.trim().split(/\r?\n/);
  expect(lines.length).toBe(2);
  expect(lines[1]).toContain("member.role_updated");
  expect(lines[1]).toContain(member.memberId);
  expect(csv).not.toContain("organization.created");
  expect(csv).not.toContain("member.joined");
});
