import { randomUUID } from "node:crypto";
import { type Browser, expect, type Page, test } from "@playwright/test";
import { mailedLink } from "./support/mail";

// Accounts in the console, end to end: sign-up, the emailed verification link (read from the
// mail the console sent over SMTP to the test's capture server), sign-in and sign-out, the one
// wrong-credentials message, and a session ended from another browser.
// Every test makes its own user (unique email), so tests don't depend on each other.

const PASSWORD = "correct-horse-battery-staple";

const uniqueEmail = (label: string) => `e2e-${label}-${randomUUID().slice(0, 12)}@example.com`;

async function signUp(page: Page, email: string) {
  await page.goto("/sign-up");
  await page.getByLabel("Name", { exact: true }).fill("E2E Tester");
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByTestId("sign-up-submit").click();
}

async function signIn(page: Page, email: string, password: string) {
  await page.goto("/sign-in");
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByTestId("sign-in-submit").click();
}

async function newPage(browser: Browser, baseURL: string | undefined) {
  const context = await browser.newContext({ baseURL });
  return { context, page: await context.newPage() };
}

test.describe("accounts", () => {
  test("sign up, verify the email from the mailed link, sign out, sign back in", async ({ page }) => {
    const email = uniqueEmail("signup");
    await signUp(page, email);

    // Signed in straight away, and told to verify the address.
    await expect(page).toHaveURL("/");
    await expect(page.getByTestId("user-email")).toHaveText(email);
    await expect(page.getByTestId("verify-email-notice")).toBeVisible();

    await page.goto(await mailedLink(email, "/verify-email"));
    await expect(page.getByTestId("verify-email-success")).toBeVisible();
    await page.goto("/account");
    await expect(page.getByTestId("account-email")).toHaveText(email);
    await expect(page.getByTestId("email-status")).toHaveText("Verified");

    await page.getByTestId("sign-out").click();
    await expect(page.getByTestId("sign-in-link")).toBeVisible();
    await expect(page.getByTestId("user-email")).toHaveCount(0);
    // Signed out, the account page sends you to sign in, and back afterwards.
    await page.goto("/account");
    await expect(page).toHaveURL("/sign-in?callbackUrl=%2Faccount");

    await page.getByLabel("Email", { exact: true }).fill(email);
    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.getByTestId("sign-in-submit").click();
    await expect(page).toHaveURL("/account");
    await expect(page.getByTestId("user-email")).toHaveText(email);
    await expect(page.getByTestId("email-status")).toHaveText("Verified");

    await page.getByTestId("sign-out").click();
    await expect(page.getByTestId("sign-in-link")).toBeVisible();
    await expect(page.getByTestId("user-email")).toHaveCount(0);
  });

  test("a wrong password and an unknown email get the same clear message", async ({ page }) => {
    await signIn(page, "ada@acme.example", "not-the-demo-password");
    await expect(page.getByTestId("sign-in-error")).toHaveText("Wrong email or password.");
    await expect(page).toHaveURL(/\/sign-in/);

    await signIn(page, uniqueEmail("nobody"), "not-the-demo-password");
    await expect(page.getByTestId("sign-in-error")).toHaveText("Wrong email or password.");
    await expect(page.getByTestId("user-email")).toHaveCount(0);
  });

  test("signing out everywhere ends a session in another browser on its next request", async ({ page, browser, baseURL }) => {
    const email = uniqueEmail("everywhere");
    await signUp(page, email);
    await expect(page.getByTestId("user-email")).toHaveText(email);

    const other = await newPage(browser, baseURL);
    try {
      await signIn(other.page, email, PASSWORD);
      await expect(other.page.getByTestId("user-email")).toHaveText(email);
      expect((await other.page.request.get("/api/trpc/me.get")).status()).toBe(200);

      await page.goto("/account");
      await page.getByTestId("sign-out-everywhere").click();
      await expect(page).toHaveURL("/sign-in");

      // The other browser still holds its cookie, but the session no longer counts.
      expect((await other.page.request.get("/api/trpc/me.get")).status()).toBe(401);
      await other.page.reload();
      await expect(other.page.getByTestId("sign-in-link")).toBeVisible();
      await expect(other.page.getByTestId("user-email")).toHaveCount(0);
    } finally {
      await other.context.close();
    }
  });
});
