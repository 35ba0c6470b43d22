import { expect, test } from "@playwright/test";
import { createOrg, expectAccessible, mutate, PASSWORD, query, signIn, uniqueEmail } from "./support/console";
import { mailedLink } from "./support/mail";

// A brand-new user's invitation, end to end: signed out, the link shows what it leads to (the
// organization, the role, who invited, the invited address) and offers sign-in or sign-up, both
// coming back to the link; the new account accepts and lands in the organization. A revoked
// link says so; the return path never leaves the site.

test("signed out, the invitation previews, sign up through it, come back, accept and land in the org", async ({
  page,
  browser,
  baseURL,
}) => {
  test.setTimeout(150_000);
  await signIn(page, "ada@acme.example");
  const org = await createOrg(page, "Invite");
  const email = uniqueEmail("invitee");
  const sent = await mutate<{ inviteUrl: string }>(page, "invitation.create", { orgId: org.id, email, role: "admin" });
  const link = `${new URL(sent.inviteUrl).pathname}${new URL(sent.inviteUrl).search}`;

  const context = await browser.newContext({ baseURL });
  try {
    const invitee = await context.newPage();
    // The link from the mail, signed out: a preview, not the sign-in page.
    await invitee.goto(await mailedLink(email, "/invitations/accept"));
    await expect(invitee).toHaveURL(link);
    await expect(invitee.getByRole("heading", { level: 1 })).toHaveText(`Join ${org.name}`);
    await expect(invitee.getByTestId("invitation-org")).toHaveText(org.name);
    await expect(invitee.getByTestId("invitation-role")).toHaveText("Admin");
    await expect(invitee.getByTestId("invitation-inviter")).toHaveText("Ada Lovelace");
    await expect(invitee.getByTestId("invitation-email")).toHaveText(email);
    await expect(invitee.getByTestId("invitation-status")).toHaveAttribute("data-status", "pending");
    await expect(invitee.getByTestId("accept-invitation")).toHaveCount(0);
    await expectAccessible(invitee);

    // Create account: the address is filled in, and the return path is the link.
    await invitee.getByTestId("invitation-sign-up").click();
    await expect(invitee).toHaveURL(/\/sign-up\?callbackUrl=/);
    await expect(invitee.getByLabel("Email", { exact: true })).toHaveValue(email);
    await invitee.getByLabel("Name", { exact: true }).fill("Nora Newcomer");
    await invitee.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await invitee.getByTestId("sign-up-submit").click();
    await expect(invitee).toHaveURL(link);
    await expect(invitee.getByTestId("user-email")).toHaveText(email);

    // Not verified yet, and no need: the link came to this address, so accepting verifies it.
    expect((await query<{ user: { emailVerifiedAt: string | null } }>(invitee, "me.get")).user.emailVerifiedAt).toBeNull();
    await expect(invitee.getByTestId("invitation-status")).toHaveAttribute("data-status", "pending");
    await invitee.getByTestId("accept-invitation").click();
    await expect(invitee).toHaveURL(`/orgs/${org.slug}`);
    await expect(invitee.getByTestId("org-role")).toHaveText("Admin");
    expect((await query<{ user: { emailVerifiedAt: string | null } }>(invitee, "me.get")).user.emailVerifiedAt).not.toBeNull();

    // The link now says it was used.
    await invitee.goto(link);
    await expect(invitee.getByTestId("invitation-status")).toHaveAttribute("data-status", "accepted");
    await expect(invitee.getByTestId("accept-invitation")).toHaveCount(0);

    // The return path stays on this site: another origin keeps only its path, `//host` goes home.
    await invitee.goto("/sign-up?callbackUrl=https%3A%2F%2Fevil.example%2Forgs");
    await expect(invitee).toHaveURL(`${baseURL}/orgs`);
    await invitee.goto("/sign-up?callbackUrl=%2F%2Fevil.example%2Fphish");
    await expect(invitee).toHaveURL(`${baseURL}/`);
    await invitee.goto("/sign-in?callbackUrl=%2F%5Cevil.example");
    await expect(invitee).toHaveURL(`${baseURL}/`);
  } finally {
    await context.close();
  }
});

test("a revoked invitation says so, signed out, and offers nothing to accept", async ({ browser, baseURL, page }) => {
  await signIn(page, "ada@acme.example");
  const org = await createOrg(page, "Revoked");
  const email = uniqueEmail("revoked");
  const sent = await mutate<{ inviteUrl: string }>(page, "invitation.create", { orgId: org.id, email, role: "member" });
  // Revoked from the invitations tab, after a confirmation.
  await page.goto(`/orgs/${org.slug}/invitations`);
  const row = page.locator(`[data-testid="invitation-row"][data-email="${email}"]`);
  await row.getByRole("button", { name: `Revoke the invitation for ${email}` }).click();
  await page.getByTestId("invitation-revoke-confirm").click();
  await expect(page.locator("[data-sonner-toast]").filter({ hasText: `The invitation for ${email} was revoked.` })).toBeVisible();
  await expect(row).toHaveCount(0);
  const context = await browser.newContext({ baseURL });
  try {
    const visitor = await context.newPage();
    const url = new URL(sent.inviteUrl);
    await visitor.goto(`${url.pathname}${url.search}`);
    await expect(visitor.getByTestId("invitation-status")).toHaveAttribute("data-status", "revoked");
    await expect(visitor.getByTestId("invitation-status-message")).toHaveText(
      "This invitation was revoked. Ask whoever invited you for a new one.",
    );
    await expect(visitor.getByTestId("invitation-sign-in")).toHaveCount(0);
    // A made-up token is refused without revealing anything.
    await visitor.goto(`/invitations/accept?token=${"x".repeat(43)}`);
    await expect(visitor.getByTestId("accept-error")).toHaveText("This invitation link is not valid. Open the link from the email again.");
  } finally {
    await context.close();
  }
});
