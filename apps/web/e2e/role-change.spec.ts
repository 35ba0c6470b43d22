import { expect, type Locator, type Page, test } from "@playwright/test";
import { addDemoMember, createOrg, expectAccessible, mutate, query, signIn } from "./support/console";

// Role changes ask first, making someone owner needs the organization's name typed, and the
// success toast offers Undo, which runs the reverse change: the server's state is checked after
// each step. A team move offers Undo the same way. All in an organization of the test's own.

const toast = (page: Page, text: string | RegExp): Locator => page.locator("[data-sonner-toast]").filter({ hasText: text });

type MemberPage = { items: { id: string; role: string }[] };
type TeamNode = { id: string; name: string; parentTeamId: string | null; children: TeamNode[] };

test("change a role with confirmation, undo it; make an owner by typing the org's name, undo; undo a team move", async ({
  page,
  browser,
  baseURL,
}) => {
  test.setTimeout(150_000);
  await signIn(page, "ada@acme.example");
  const org = await createOrg(page, "Roles");
  const member = await addDemoMember(page, browser, baseURL, org.id);
  const roleOnServer = async () =>
    (await query<MemberPage>(page, "member.list", { orgId: org.id, limit: 100 })).items.find((m) => m.id === member.memberId)?.role;

  await page.goto(`/orgs/${org.slug}/members`);
  const select = page.getByRole("combobox", { name: "Role for Li Wei" });
  const dialog = page.getByTestId("role-change-dialog");

  // Cancel: nothing changes.
  await select.selectOption("admin");
  await expect(dialog).toContainText("Change the role of Li Wei?");
  await expect(dialog).toContainText("From Member to Admin.");
  await expectAccessible(page);
  await dialog.getByTestId("role-change-cancel").click();
  await expect(dialog).toBeHidden();
  await expect(select).toHaveValue("member");
  expect(await roleOnServer()).toBe("member");

  // Confirm, then Undo from the toast.
  await select.selectOption("admin");
  await dialog.getByTestId("role-change-confirm").click();
  const changed = toast(page, "Li Wei is now Admin.");
  await expect(changed).toBeVisible();
  await expect(select).toHaveValue("admin");
  expect(await roleOnServer()).toBe("admin");
  await changed.getByRole("button", { name: "Undo" }).click();
  const undone = toast(page, "Undone: Li Wei is Member again.");
  await expect(undone).toBeVisible();
  await expect(select).toHaveValue("member");
  expect(await roleOnServer()).toBe("member");
  // Dismissed, so the next Undo's toast is told apart from this one.
  await undone.getByRole("button", { name: "Close toast" }).click();
  await expect(undone).toHaveCount(0);

  // Owner: the organization's name must be typed first.
  await select.selectOption("owner");
  const confirm = dialog.getByTestId("role-change-confirm");
  await expect(confirm).toBeDisabled();
  await dialog.getByTestId("role-change-type").fill("not the name");
  await expect(confirm).toBeDisabled();
  await dialog.getByTestId("role-change-type").fill(org.name);
  await expect(confirm).toBeEnabled();
  await confirm.click();
  const owner = toast(page, "Li Wei is now Owner.");
  await expect(owner).toBeVisible();
  await expect(select).toHaveValue("owner");
  expect(await roleOnServer()).toBe("owner");
  await owner.getByRole("button", { name: "Undo" }).click();
  await expect(toast(page, "Undone: Li Wei is Member again.")).toBeVisible();
  expect(await roleOnServer()).toBe("member");
  await page.reload();
  await expect(page.getByRole("combobox", { name: "Role for Li Wei" })).toHaveValue("member");

  // A team move offers Undo too: Child goes to the top level, then back under Parent.
  const parent = await mutate<{ id: string }>(page, "team.create", { orgId: org.id, name: "Parent" });
  await mutate(page, "team.create", { orgId: org.id, name: "Child", parentTeamId: parent.id });
  const parentOf = async (name: string) => {
    const flat: TeamNode[] = [];
    const walk = (nodes: TeamNode[]) => {
      for (const node of nodes) {
        flat.push(node);
        walk(node.children);
      }
    };
    walk(await query<TeamNode[]>(page, "team.list", { orgId: org.id }));
    return flat.find((node) => node.name === name)?.parentTeamId;
  };
  await page.goto(`/orgs/${org.slug}/teams`);
  const child = page.locator('[data-testid="team-node"][data-team-name="Child"]');
  await child.getByTestId("team-move").click();
  await child.getByLabel("New parent for Child").selectOption({ label: "Top level" });
  await child.getByTestId("team-move-submit").click();
  const moved = toast(page, "Team Child moved.");
  await expect(moved).toBeVisible();
  expect(await parentOf("Child")).toBeNull();
  await moved.getByRole("button", { name: "Undo" }).click();
  await expect(toast(page, "Undone: team Child is back where it was.")).toBeVisible();
  expect(await parentOf("Child")).toBe(parent.id);
  await expect(
    page.locator('[data-testid="team-node"][data-team-name="Parent"] [data-testid="team-node"][data-team-name="Child"]'),
  ).toBeVisible();

  // An unknown team is refused at once, asked for a single time, with a way back.
  const asked: string[] = [];
  page.on("request", (request) => {
    if (request.url().includes("team.get")) asked.push(request.url());
  });
  await page.goto(`/orgs/${org.slug}/teams/00000000-0000-4000-8000-000000000000`);
  await expect(page.getByTestId("team-load-error")).toBeVisible();
  expect(asked).toHaveLength(1);
  await page.getByTestId("team-back").click();
  await expect(page).toHaveURL(`/orgs/${org.slug}/teams`);
});
