import { randomUUID } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { expectAccessible, watchConsole, logInAsOrganiser } from "./support";

async function openSettings(page: Page) {
  await logInAsOrganiser(page);
  await page.getByRole("link", { name: "Settings", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Event settings" })).toBeVisible();
}

test("a wrong registration number is refused on its field and nothing is saved", async ({ page }) => {
  const clean = watchConsole(page);
  await openSettings(page);
  await expectAccessible(page);
  const number = page.getByLabel("GST/HST registration number");
  await number.fill("12345 RT 1");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByText("Enter the GST/HST registration number as 9 digits, RT and 4 digits")).toBeVisible();
  await expect(number).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByRole("status")).toHaveCount(0);
  clean();
});

test("an admin saves the registration number and the refund policy, and buyers see the policy", async ({ page }, testInfo) => {
  // Both viewports share one event; the phone run checks the form above without writing to it.
  test.skip(testInfo.project.name === "phone", "writes the event every other test reads; the desktop run covers it");
  const clean = watchConsole(page);
  await openSettings(page);
  const policy = `Refunds until August 1, less a fee. (${randomUUID().slice(0, 8)})`;
  const number = page.getByLabel("GST/HST registration number");
  await number.fill("123 456 789 RT0001");
  await page.getByLabel("Refund policy").fill(policy);
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByRole("status")).toContainText(/Saved \d+ changes?|Nothing had changed/);
  await expect(number).toHaveValue("123456789RT0001");

  await page.goto("/admin");
  await expect(page.getByText("Receipts show no HST registration number yet")).toHaveCount(0);
  await page.goto("/admin/audit");
  await expect(page.locator("main")).toContainText("event.settings.changed");

  await page.goto("/tickets");
  await expect(page.getByRole("region", { name: "Refunds" })).toContainText(policy);
  clean();
});
