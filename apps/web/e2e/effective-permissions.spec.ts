import { expect, test } from "@playwright/test";
import { expectAccessible, mutate, orgIdOf, query, signIn } from "./support/console";

// "Why can X do Y": a member's effective permissions with their reasons. The demo owner grants
// Cleo (a member, lead of Platform) budget:write until a date; the admin's view and Cleo's own
// view show it allowed by that override, team leadership shows per team, and Cleo cannot look
// at anyone else's. The override is removed at the end.

const PERMISSIONS_URL = "/orgs/acme-robotics/members/me/permissions";

test("a member's permissions with an expiring override: the admin's view, the member's own view, per team", async ({
  page,
  browser,
  baseURL,
}) => {
  test.setTimeout(120_000);
  await signIn(page, "ada@acme.example");
  const orgId = await orgIdOf(page, "acme-robotics");
  const members = await query<{ items: { id: string; user: { id: string; email: string } }[] }>(page, "member.list", { orgId, limit: 100 });
  const cleo = members.items.find((member) => member.user.email === "cleo@acme.example");
  if (!cleo) throw new Error("demo member Cleo missing");
  const expiresAt = new Date(Date.now() + 7 * 86_400_000).toISOString();
  await mutate(page, "member.setPermissionOverride", { orgId, memberId: cleo.id, permission: "budget:write", effect: "grant", expiresAt });
  try {
    // The owner opens Cleo's permissions from her row.
    await page.goto("/orgs/acme-robotics/members");
    await page
      .getByTestId("member-row")
      .filter({ hasText: "cleo@acme.example" })
      .getByRole("link", { name: "Effective permissions of Cleo Zhang" })
      .click();
    await expect(page).toHaveURL(`/orgs/acme-robotics/members/${cleo.user.id}/permissions`);
    await expect(page.getByTestId("permissions-title")).toHaveText("Permissions of Cleo Zhang");
    const budgetWrite = page.locator('[data-testid="permission-row"][data-permission="budget:write"]');
    await expect(budgetWrite).toHaveAttribute("data-allowed", "true");
    await expect(budgetWrite.locator('[data-reason="grant"]')).toContainText("Granted individually until");
    await expect(budgetWrite).toContainText("Create and change budgets and alerts");
    const auditRead = page.locator('[data-testid="permission-row"][data-permission="audit:read"]');
    await expect(auditRead).toHaveAttribute("data-allowed", "false");
    await expect(auditRead.locator('[data-reason="role"]')).toHaveText("The role Member does not include it");
    await expectAccessible(page);

    // Cleo's own view, in her own browser.
    const context = await browser.newContext({ baseURL });
    try {
      const cleoPage = await context.newPage();
      await signIn(cleoPage, "cleo@acme.example");
      await cleoPage.goto("/orgs/acme-robotics/members");
      await cleoPage.getByTestId("member-row").filter({ hasText: "cleo@acme.example" }).getByTestId("member-effective-permissions").click();
      await expect(cleoPage).toHaveURL(PERMISSIONS_URL);
      await expect(cleoPage.getByTestId("permissions-title")).toHaveText("Your permissions");
      const own = cleoPage.locator('[data-testid="permission-row"][data-permission="budget:write"]');
      await expect(own).toHaveAttribute("data-allowed", "true");
      await expect(own.locator('[data-reason="grant"]')).toContainText("Granted individually until");

      // Team leadership counts per team: team:update is hers in Platform, not org-wide.
      const teamUpdate = cleoPage.locator('[data-testid="permission-row"][data-permission="team:update"]');
      await expect(teamUpdate).toHaveAttribute("data-allowed", "false");
      await cleoPage.getByLabel("In team").click();
      await cleoPage.getByRole("option", { name: "Platform" }).click();
      await expect(cleoPage).toHaveURL(/team=/);
      await expect(teamUpdate).toHaveAttribute("data-allowed", "true");
      await expect(teamUpdate.locator('[data-reason="team_lead"]')).toHaveText("Lead of team Platform");
      // The team stays in the URL.
      await cleoPage.reload();
      await expect(teamUpdate).toHaveAttribute("data-allowed", "true");

      // Someone else's permissions are not hers to see: she is told what is missing.
      const ada = members.items.find((member) => member.user.email === "ada@acme.example");
      await cleoPage.goto(`/orgs/acme-robotics/members/${ada?.user.id}/permissions`);
      await expect(cleoPage.getByTestId("no-access")).toContainText("member:update_permissions");
    } finally {
      await context.close();
    }
  } finally {
    await mutate(page, "member.removePermissionOverride", { orgId, memberId: cleo.id, permission: "budget:write" });
  }
});

test("a member without a tab's permission sees No access naming it; a non-member gets 404", async ({ page, baseURL }) => {
  await signIn(page, "dev@acme.example");
  const response = await page.goto("/orgs/acme-robotics/audit");
  expect(response?.status()).toBe(403);
  await expect(page.getByTestId("no-access")).toContainText("You don't have access");
  await expect(page.getByTestId("no-access-permissions")).toHaveText("audit:read");
  await expect(page.getByTestId("org-tab-audit")).toHaveCount(0);
  await page.goto("/orgs/acme-robotics/api-keys");
  await expect(page.getByTestId("no-access-permissions")).toHaveText("api_key:read");
  await expectAccessible(page);

  // Every member sees their own permissions; in Chinese too (the language cookie).
  await page.context().addCookies([{ name: "NEXT_LOCALE", value: "zh-CN", url: baseURL ?? "" }]);
  await page.goto("/orgs/acme-robotics/members/me/permissions");
  await expect(page.getByTestId("permissions-title")).toHaveText("你的权限");
  const orgRead = page.locator('[data-testid="permission-row"][data-permission="org:read"]');
  await expect(orgRead).toHaveAttribute("data-allowed", "true");
  await expect(orgRead.locator('[data-reason="role"]')).toHaveText("角色 查看者 包含此权限");
  await expect(orgRead).toContainText("查看组织及其设置");
  await page.goto("/orgs/acme-robotics/audit");
  await expect(page.getByTestId("no-access")).toContainText("你没有访问权限");

  // Grace belongs to Globex only: Acme's pages do not exist for her.
  await page.context().clearCookies();
  await signIn(page, "grace@globex.example");
  expect((await page.goto("/orgs/acme-robotics/audit"))?.status()).toBe(404);
  await expect(page.getByTestId("not-found")).toBeVisible();
  await expect(page.getByTestId("no-access")).toHaveCount(0);
});
