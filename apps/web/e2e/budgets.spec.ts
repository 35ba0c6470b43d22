import { expect, type Page, test } from "@playwright/test";
import { addDemoMember, createOrg, expectAccessible, mutate, query, signIn, unique } from "./support/console";

// Budgets end to end in an organization of the test's own (the demo owner creates it): an org and
// a team budget set in the console, an API key bound to the team charging usage through the
// gateway until the team's hard budget refuses (402), then the in-app alert, the chart and the
// breakdown with the exact amounts. Charges are whole costs (no price catalogue involved).

const ORG_LIMIT = "100"; // 100.00
const TEAM_LIMIT = "10.50"; // 10.50
const CHARGE = 4_000_000n; // 4.00 a call: 4 + 4 fit in 10.50, a third does not.

/** `usage.record` through the gateway with an API key (tRPC POST, superjson body). */
function record(gateway: string, key: string, orgId: string, idempotencyKey: string) {
  return fetch(`${gateway}/trpc/usage.record`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ json: { orgId, cost: CHARGE.toString(), idempotencyKey } }),
  });
}

async function setBudget(page: Page, scope: "Organization" | "Team", limit: string, team?: string) {
  await page.getByTestId("set-budget").click();
  const dialog = page.getByTestId("budget-dialog");
  await dialog.getByLabel("Scope").selectOption({ label: scope });
  if (team) await dialog.getByLabel("For").selectOption({ label: team });
  await dialog.getByLabel("Monthly limit").fill(limit);
  await dialog.getByRole("button", { name: "Save budget" }).click();
  await expect(dialog).toBeHidden();
}

/** Today's UTC day (the new organization's zone) and the month's length, for the forecast. */
function today() {
  const now = new Date();
  const day = now.getUTCDate();
  const daysInMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 0)).getUTCDate();
  return { day, daysInMonth, monthEnd: `${now.toISOString().slice(0, 8)}${String(daysInMonth).padStart(2, "0")}` };
}

test("an org and a team budget, usage through the gateway until the team's refuses, then the alert, chart and breakdown", async ({
  page,
}, testInfo) => {
  test.setTimeout(150_000);
  const gateway = testInfo.project.metadata.gateway as string;
  await signIn(page, "ada@acme.example");
  const org = await createOrg(page, "budgets");
  const teamName = `Research ${unique()}`;
  const team = await mutate<{ id: string }>(page, "team.create", { orgId: org.id, name: teamName });

  // The sidebar leads to the page; both budgets are set in the dialog, limits typed as amounts.
  await page.goto(`/orgs/${org.slug}`);
  await page.getByTestId("org-tab-budgets").click();
  await expect(page).toHaveURL(`/orgs/${org.slug}/budgets`);
  await expect(page).toHaveTitle(new RegExp(`Budgets · ${org.name}`));
  await setBudget(page, "Organization", ORG_LIMIT);
  await setBudget(page, "Team", TEAM_LIMIT, teamName);
  const budgets = await query<{ items: { scope: string; scopeId: string; periodLimit: string; hardLimit: boolean }[] }>(
    page,
    "budget.list",
    { orgId: org.id },
  );
  expect(budgets.items.map((b) => [b.scope, b.periodLimit, b.hardLimit]).sort()).toEqual([
    ["organization", "100000000", true],
    ["team", "10500000", true],
  ]);

  // A key bound to the team charges through the gateway until the team's budget refuses.
  const { key } = await mutate<{ key: string }>(page, "apiKey.create", {
    orgId: org.id,
    name: `E2E usage ${unique()}`,
    scopes: ["usage:write"],
    teamId: team.id,
  });
  const statuses: number[] = [];
  for (let i = 0; i < 5; i++) {
    const response = await record(gateway, key, org.id, `e2e-${i}-${unique()}`);
    statuses.push(response.status);
    if (response.status === 402) {
      const body = (await response.json()) as { error: { json: { data?: { reason?: string } } } };
      expect(JSON.stringify(body)).toContain("BUDGET_EXCEEDED");
      break;
    }
  }
  expect(statuses).toEqual([200, 200, 402]);
  const spent = CHARGE * 2n; // 8.00: the refused call charged nothing.

  // The team's budget on the page: 8.00 of 10.50 (76%); the organization's 8.00 of 100.00.
  await page.reload();
  await expect(page.getByTestId("budget-row-team")).toContainText("$8.00 of $10.50 · 76% used");
  await expect(page.getByTestId("budget-row-organization")).toContainText("$8.00 of $100.00 · 8% used");
  // The chart's summary: spend, limit and the forecast at the run rate (spent ÷ days so far × the rest).
  const { day, daysInMonth, monthEnd } = today();
  const forecast = spent + (spent * BigInt(daysInMonth - day)) / BigInt(day);
  const cents = (v: bigint) =>
    `$${v / 1_000_000n}.${String((v % 1_000_000n) / 10_000n + ((v % 10_000n) * 2n >= 10_000n ? 1n : 0n)).padStart(2, "0")}`;
  await expect(page.getByTestId("budget-chart-summary")).toHaveText(
    `Spent $8.00 of $100.00 this month; at the current rate ${cents(forecast)} by ${monthEnd}.`,
  );
  await expectAccessible(page);

  // The 50% threshold of the team's budget was crossed: the alert job notifies the owner in-app.
  await expect
    .poll(
      async () => {
        const list = await query<{ organizationId: string; kind: string; title: string; body: string }[]>(page, "notification.list", {
          limit: 50,
        });
        return list.filter((n) => n.organizationId === org.id && n.kind === "budget.alert").map((n) => `${n.title} | ${n.body}`);
      },
      { timeout: 75_000, intervals: [2_000] },
    )
    .toContain("Budget alert: A team budget reached 50% | Spent 8.00 USD of 10.50 USD this month.");

  // The usage explorer, grouped by team: the team's row and the total carry the exact amount.
  await page.getByTestId("org-tab-usage").click();
  await expect(page).toHaveURL(`/orgs/${org.slug}/usage`);
  await page.getByLabel("Group by").selectOption("team");
  await expect(page).toHaveURL(/by=team/);
  const row = page.getByTestId("cost-breakdown-row");
  await expect(row).toHaveCount(1);
  await expect(row.getByRole("rowheader")).toHaveText(teamName);
  await expect(row.getByRole("cell")).toHaveText(["2", "0", "0", "$8.00", "100.00%"]);
  await expect(page.getByTestId("cost-breakdown-total")).toContainText("$8.00");
  await expect(page.getByTestId("usage-totals")).toHaveText("2 requests · 0 tokens · $8.00");
  await expect(page.getByTestId("usage-export")).toHaveAttribute("href", new RegExp(`/api/orgs/${org.id}/usage/export\\?from=.*&by=team`));
  await expectAccessible(page);

  // The team's page shows its budget.
  await page.goto(`/orgs/${org.slug}/teams/${team.id}`);
  await expect(page.getByTestId("team-budget")).toContainText("$8.00 of $10.50 · 76% used");
});

test("a member asks for an increase in Chinese without budget settings; the owner approves it with a note and the limit grows; a channel test", async ({
  page,
  browser,
  baseURL,
}) => {
  test.setTimeout(150_000);
  // Grace (Globex's owner) rather than Ada: sign-ins are rate-limited per address and the suite signs Ada in often.
  await signIn(page, "grace@globex.example");
  const org = await createOrg(page, "budget-increase");
  await mutate(page, "budget.set", { orgId: org.id, scope: "organization", periodLimit: "50000000" });
  await addDemoMember(page, browser, baseURL, org.id);

  // The member (budget:read, no budget:write), in Chinese: no settings, but the request form.
  const context = await browser.newContext({ baseURL });
  try {
    const member = await context.newPage();
    await signIn(member, "li@globex.example");
    await context.addCookies([{ name: "NEXT_LOCALE", value: "zh-CN", url: baseURL ?? "" }]);
    await member.goto(`/orgs/${org.slug}/budgets`);
    await expect(member.getByRole("heading", { name: "预算", exact: true, level: 2 })).toBeVisible();
    await expect(member.getByTestId("budget-row-organization")).toContainText("US$0.00 / US$50.00");
    await expect(member.getByTestId("set-budget")).toHaveCount(0);
    await expect(member.getByRole("button", { name: "保存阈值" })).toHaveCount(0);
    const until = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
    await member.getByLabel("增加金额").fill("25.5");
    await member.getByLabel("截止日期").fill(until);
    await member.getByRole("button", { name: "提交申请" }).click();
    await expect(member.getByText("请说明原因。")).toBeVisible();
    await member.getByLabel("原因").fill("Launch week traffic");
    await member.getByRole("button", { name: "提交申请" }).click();
    await expect(member.locator("[data-sonner-toast]").filter({ hasText: "申请已提交。" })).toBeVisible();
    // After a reload (the toast gone): the request is there, pending.
    await member.reload();
    const asked = member.getByTestId("increase-request");
    await expect(asked).toContainText("增加 US$25.50");
    await expect(asked).toContainText("待处理");
    // The requester may withdraw but never decide.
    await expect(asked.getByRole("button", { name: "批准" })).toHaveCount(0);
    await expect(asked.getByRole("button", { name: "取消申请" })).toBeVisible();
    await expectAccessible(member);
  } finally {
    await context.close();
  }
  const requests = await query<{ items: { amount: string; status: string }[] }>(page, "budget.listIncreaseRequests", { orgId: org.id });
  expect(requests.items.map((r) => [r.amount, r.status])).toEqual([["25500000", "pending"]]);

  // The owner approves with a note: the limit the budget holds charges to is 50.00 + 25.50.
  await page.goto(`/orgs/${org.slug}/budgets`);
  const request = page.getByTestId("increase-request");
  await request.getByLabel("Note").fill("OK for the launch");
  await request.getByRole("button", { name: "Approve" }).click();
  await expect(request).toContainText("Approved");
  await expect(request).toContainText("OK for the launch");
  await expect(page.getByTestId("budget-row-organization")).toContainText("$0.00 of $75.50 · 0% used");
  const budgets = await query<{ items: { effectiveLimit: string }[] }>(page, "budget.list", { orgId: org.id });
  expect(budgets.items.map((b) => b.effectiveLimit)).toEqual(["75500000"]);

  // An in-app channel, added and tested from the alert settings.
  await page.getByLabel("Kind").selectOption("in_app");
  await page.getByLabel("Name", { exact: true }).fill("Console");
  await page.getByRole("button", { name: "Add channel" }).click();
  await expect(page.getByTestId("alert-channel")).toHaveCount(1);
  await page.getByRole("button", { name: "Send a test to Console" }).click();
  await expect(page.getByTestId("alert-channel").getByRole("status")).toHaveText("Test sent: A test notification was sent to you.");
});
