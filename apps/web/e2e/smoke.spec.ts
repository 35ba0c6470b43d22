import { expect, test } from "@playwright/test";

test.describe("smoke: the production build serves the console from its database", () => {
  test("home page renders and its health check reached the database", async ({ page }, testInfo) => {
    const backend = testInfo.project.metadata.backend as string;
    const response = await page.goto("/");
    expect(response?.status()).toBe(200);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expect(page.getByTestId("health-status")).toHaveText("ok");
    await expect(page.getByTestId("health-backend")).toHaveText(backend);
    await expect(page.getByTestId("org-switcher")).toBeVisible();
  });

  test("speaks Simplified Chinese to a zh-CN browser", async ({ browser }, testInfo) => {
    const context = await browser.newContext({ locale: "zh-CN", baseURL: testInfo.project.use.baseURL });
    const page = await context.newPage();
    await page.goto("/");
    await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
    await expect(page.getByTestId("health-status")).toHaveText("ok");
    await expect(page.locator("body")).toContainText(/[\u4e00-\u9fff]/);
    await context.close();
  });

  test("the gateway in the same process is ready", async ({ request }, testInfo) => {
    const gateway = testInfo.project.metadata.gateway as string;
    const ready = await request.get(`${gateway}/readyz`);
    expect(ready.status()).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: "ready",
      database: { reachable: true, backend: testInfo.project.metadata.backend },
    });
  });
});
