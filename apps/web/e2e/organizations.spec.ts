import { randomUUID } from "node:crypto";
import { type Browser, expect, type Locator, type Page, test } from "@playwright/test";
import { mailedLink } from "./support/mail";

// Organizations in the console, end to end: an owner creates an organization, invites a
// second user who accepts in another browser, changes their role, builds and rearranges nested
// teams and removes the member; a viewer sees no management controls and a forged call is
// refused by the server. Every test makes its own users and organization (unique names).

const PASSWORD = "correct-horse-battery-staple";

const unique = () => randomUUID().slice(0, 8);
const uniqueEmail = (label: string) => `e2e-${label}-${randomUUID().slice(0, 12)}@example.com`;

/** Signs up a fresh user in `page` and verifies the address from the mailed link. */
async function signUpVerified(page: Page, email: string, name: string) {
  await page.goto("/sign-up");
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByTestId("sign-up-submit").click();
  await expect(page.getByTestId("user-email")).toHaveText(email);
  await page.goto(await mailedLink(email, "/verify-email"));
  await expect(page.getByTestId("verify-email-success")).toBeVisible();
}

async function signIn(page: Page, email: string, password: string) {
  await page.goto("/sign-in");
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByTestId("sign-in-submit").click();
  await expect(page.getByTestId("user-email")).toHaveText(email);
}

async function newPage(browser: Browser, baseURL: string | undefined) {
  const context = await browser.newContext({ baseURL });
  return { context, page: await context.newPage() };
}

/** The toast (sonner) saying `text`: every change in the console ends in one. */
const toast = (page: Page, text: string): Locator => page.locator("[data-sonner-toast]").filter({ hasText: text });

const teamNode = (page: Page, name: string): Locator => page.locator(`[data-testid="team-node"][data-team-name="${name}"]`);

test.describe("organizations", () => {
  test("create an org, invite and accept in a second browser, change the role, nest and move teams, remove the member", async ({
    page,
    browser,
    baseURL,
  }) => {
    test.setTimeout(120_000);
    const id = unique();
    const ownerEmail = uniqueEmail("owner");
    const memberEmail = uniqueEmail("member");
    const orgName = `E2E Org ${id}`;
    const slug = `e2e-org-${id}`;

    await signUpVerified(page, ownerEmail, "Olga Owner");

    // No organizations yet: the empty state offers to create one.
    await page.getByTestId("nav-orgs").click();
    await expect(page).toHaveURL("/orgs");
    await expect(page.getByTestId("orgs-empty")).toBeVisible();
    await page.getByTestId("create-org-link").click();
    await page.getByLabel("Organization name").fill(orgName);
    await page.getByLabel("URL slug (optional)").fill(slug);
    await page.getByTestId("create-org-submit").click();
    await expect(page).toHaveURL(`/orgs/${slug}`);
    await expect(page.getByTestId("org-name")).toHaveText(orgName);
    await expect(page.getByTestId("org-role")).toHaveText("Owner");
    await expect(page.getByTestId("count-members")).toContainText("1");
    // The switcher now lists it and shows it as the current one.
    await expect(page.getByTestId("org-switcher")).toHaveValue(slug);

    // The invitee has an account of their own, in another browser.
    const invitee = await newPage(browser, baseURL);
    try {
      await signUpVerified(invitee.page, memberEmail, "Milo Member");

      await page.getByTestId("org-tab-invitations").click();
      await page.getByLabel("Email").fill(memberEmail);
      await page.getByLabel("Role").selectOption("member");
      await page.getByTestId("invite-submit").click();
      await expect(page.getByTestId("invitations-notice")).toContainText(memberEmail);
      await expect(page.getByTestId("invite-link")).toContainText("/invitations/accept?token=");
      await expect(page.getByTestId("invitation-row").filter({ hasText: memberEmail })).toBeVisible();

      await invitee.page.goto(await mailedLink(memberEmail, "/invitations/accept"));
      await invitee.page.getByTestId("accept-invitation").click();
      await expect(invitee.page).toHaveURL(`/orgs/${slug}`);
      await expect(invitee.page.getByTestId("org-role")).toHaveText("Member");

      // Back as the owner: member → admin → viewer.
      await page.getByTestId("org-tab-members").click();
      const row = page.getByTestId("member-row").filter({ hasText: memberEmail });
      const roleSelect = row.getByRole("combobox", { name: "Role for Milo Member" });
      await roleSelect.selectOption("admin");
      await page.getByTestId("role-change-confirm").click();
      await expect(toast(page, "Milo Member is now Admin.")).toBeVisible();
      await roleSelect.selectOption("viewer");
      await page.getByTestId("role-change-confirm").click();
      await expect(toast(page, "Milo Member is now Viewer.")).toBeVisible();
      await page.reload();
      await expect(row.getByRole("combobox", { name: "Role for Milo Member" })).toHaveValue("viewer");
      // The member's own view follows: a viewer now.
      await invitee.page.reload();
      await expect(invitee.page.getByTestId("org-role")).toHaveText("Viewer");

      // Nested teams: Platform, then Inference under it; then Inference moves to the top level.
      await page.getByTestId("org-tab-teams").click();
      await expect(page.getByTestId("teams-empty")).toBeVisible();
      await page.getByLabel("Team name").fill("Platform");
      await page.getByTestId("team-create-submit").click();
      await expect(teamNode(page, "Platform")).toHaveAttribute("data-depth", "0");
      await page.getByLabel("Team name").fill("Inference");
      await page.getByLabel("Parent team").selectOption({ label: "Platform" });
      await page.getByTestId("team-create-submit").click();
      await expect(teamNode(page, "Platform").locator('[data-testid="team-node"][data-team-name="Inference"]')).toHaveAttribute(
        "data-depth",
        "1",
      );

      const child = teamNode(page, "Inference");
      await child.getByTestId("team-move").click();
      await child.getByLabel("New parent for Inference").selectOption({ label: "Top level" });
      await child.getByTestId("team-move-submit").click();
      await expect(toast(page, "Team Inference moved.")).toBeVisible();
      await expect(teamNode(page, "Inference")).toHaveAttribute("data-depth", "0");
      await expect(teamNode(page, "Platform").locator('[data-testid="team-node"]')).toHaveCount(0);

      // Remove the member, after confirming.
      await page.getByTestId("org-tab-members").click();
      await row.getByTestId("member-remove").click();
      await row.getByTestId("member-remove-confirm").click();
      await expect(toast(page, "Milo Member was removed.")).toBeVisible();
      await expect(page.getByTestId("member-row").filter({ hasText: memberEmail })).toHaveCount(0);

      // They are out: the organization is no longer theirs to see.
      await invitee.page.reload();
      await expect(invitee.page.getByTestId("not-found")).toBeVisible();
    } finally {
      await invitee.context.close();
    }
  });

  test("a viewer sees no management controls, and a forged role change is refused", async ({ page }) => {
    // The demo viewer of Acme Robotics (prisma seed).
    await signIn(page, "dev@acme.example", "demo-password");
    await page.goto("/orgs/acme-robotics/members");
    await expect(page.getByTestId("org-role")).toHaveText("Viewer");
    await expect(page.getByTestId("member-row").first()).toBeVisible();
    await expect(page.getByTestId("member-row").filter({ hasText: "ada@acme.example" })).toBeVisible();

    await expect(page.getByTestId("member-role-select")).toHaveCount(0);
    await expect(page.getByTestId("member-remove")).toHaveCount(0);
    await expect(page.getByTestId("member-overrides-toggle")).toHaveCount(0);
    await expect(page.getByTestId("org-tab-invitations")).toHaveCount(0);
    await expect(page.getByTestId("org-tab-settings")).toHaveCount(0);
    // Leaving is theirs to do.
    await expect(page.getByTestId("member-leave")).toHaveCount(1);

    await page.getByTestId("org-tab-teams").click();
    await expect(teamNode(page, "Inference")).toBeVisible();
    await expect(page.getByTestId("team-create-form")).toHaveCount(0);
    await expect(page.getByTestId("team-move")).toHaveCount(0);
    await expect(page.getByTestId("team-delete")).toHaveCount(0);

    // Opened anyway, the hidden pages say what is missing, and show nothing of their own.
    await page.goto("/orgs/acme-robotics/invitations");
    await expect(page.getByTestId("no-access-permissions")).toHaveText("member:invite");
    await expect(page.getByTestId("invite-form")).toHaveCount(0);
    await page.goto("/orgs/acme-robotics/settings");
    await expect(page.getByTestId("no-access")).toBeVisible();
    await expect(page.getByTestId("delete-org")).toHaveCount(0);

    // A request made by hand, with the viewer's own session: refused by the server.
    await page.goto("/orgs/acme-robotics");
    const result = await page.evaluate(async () => {
      const get = async (path: string, input?: unknown) => {
        const query = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
        const response = await fetch(`/api/trpc/${path}${query}`);
        return (await response.json()).result.data.json;
      };
      const orgs: { id: string; slug: string }[] = await get("organization.listMine");
      const orgId = orgs.find((org) => org.slug === "acme-robotics")?.id;
      const members: { items: { id: string; role: string; user: { email: string } }[] } = await get("member.list", { orgId, limit: 100 });
      const target = members.items.find((m) => m.user.email === "ben@acme.example");
      const response = await fetch("/api/trpc/member.updateRole", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ json: { orgId, memberId: target?.id, role: "owner" } }),
      });
      const after: typeof members = await get("member.list", { orgId, limit: 100 });
      return {
        status: response.status,
        code: (await response.json()).error?.json?.data?.code,
        roleBefore: target?.role,
        roleAfter: after.items.find((m) => m.id === target?.id)?.role,
      };
    });
    expect(result.status).toBe(403);
    expect(result.code).toBe("FORBIDDEN");
    expect(result.roleBefore).toBe("admin");
    expect(result.roleAfter).toBe("admin");
  });
});
