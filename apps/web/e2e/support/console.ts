import { randomUUID } from "node:crypto";
import AxeBuilder from "@axe-core/playwright";
import { type Browser, expect, type Page } from "@playwright/test";

// Helpers of the console journeys: sign-in, the console's own API from the page (the session
// cookie and same-origin headers, as the console calls it), an organization of the test's own
// with a second member, and an accessibility check.

export const DEMO_PASSWORD = "demo-password";
export const PASSWORD = "correct-horse-battery-staple";
export const unique = () => randomUUID().slice(0, 8);
export const uniqueEmail = (label: string) => `e2e-${label}-${randomUUID().slice(0, 12)}@example.com`;

export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto("/sign-in");
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByTestId("sign-in-submit").click();
  await expect(page.getByTestId("user-email")).toHaveText(email);
}

/** A query of the console's tRPC endpoint with the page's session; the answer's JSON. */
export async function query<T>(page: Page, path: string, input?: unknown): Promise<T> {
  return page.evaluate(
    async ({ path, input }) => {
      const search = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
      const response = await fetch(`/api/trpc/${path}${search}`);
      const body = await response.json();
      if (!response.ok) throw new Error(`${path}: ${response.status} ${JSON.stringify(body)}`);
      return body.result.data.json;
    },
    { path, input },
  ) as Promise<T>;
}

/** A mutation of the console's tRPC endpoint with the page's session. */
export async function mutate<T>(page: Page, path: string, input: unknown): Promise<T> {
  return page.evaluate(
    async ({ path, input }) => {
      const response = await fetch(`/api/trpc/${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ json: input }),
      });
      const body = await response.json();
      if (!response.ok) throw new Error(`${path}: ${response.status} ${JSON.stringify(body)}`);
      return body.result.data.json;
    },
    { path, input },
  ) as Promise<T>;
}

export async function orgIdOf(page: Page, slug: string): Promise<string> {
  const orgs = await query<{ id: string; slug: string }[]>(page, "organization.listMine");
  const org = orgs.find((candidate) => candidate.slug === slug);
  if (!org) throw new Error(`not a member of ${slug}`);
  return org.id;
}

/** Creates an organization owned by the signed-in user of `page` (it must be on a console page). */
export async function createOrg(page: Page, label: string) {
  const id = unique();
  const name = `E2E ${label} ${id}`;
  const slug = `e2e-${label.toLowerCase().replace(/[^a-z]+/g, "-")}-${id}`;
  const org = await mutate<{ id: string; slug: string }>(page, "organization.create", { name, slug });
  return { id: org.id, name, slug };
}

/**
 * The owner's organization gets a second member: the demo user Li Wei (of Globex, verified),
 * invited by the owner and accepting in a browser context of their own (closed afterwards).
 * A demo user rather than a new sign-up: sign-ups are rate-limited per address, and the suite
 * keeps its new accounts for the journeys that are about them.
 */
export async function addDemoMember(owner: Page, browser: Browser, baseURL: string | undefined, orgId: string) {
  const email = "li@globex.example";
  const sent = await mutate<{ inviteUrl: string }>(owner, "invitation.create", { orgId, email, role: "member" });
  const context = await browser.newContext({ baseURL });
  try {
    const page = await context.newPage();
    await signIn(page, email);
    const token = new URL(sent.inviteUrl).searchParams.get("token");
    const accepted = await mutate<{ memberId: string }>(page, "invitation.accept", { token });
    return { email, name: "Li Wei", memberId: accepted.memberId };
  } finally {
    await context.close();
  }
}

/** No serious or critical accessibility violation on the page as it is now. */
export async function expectAccessible(page: Page) {
  const axe = await new AxeBuilder({ page }).analyze();
  const serious = axe.violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical");
  expect(serious.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`)).toEqual([]);
}
