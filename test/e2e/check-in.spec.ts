// The door: an organiser checks a ticket in by searching a name, and another by holding its QR code
// to the camera (Chromium's fake camera plays a video of the code).
import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import { badgeFixture, insertTicket } from "./badges";
import { withFakeCamera } from "./browser";
import { expectAccessible, watchConsole, logInAsOrganiser } from "./support";

const scanned = badgeFixture("check-in");

test.use({
  permissions: ["camera"],
  launchOptions: withFakeCamera(scanned.y4mPath),
});

test("an organiser checks a ticket in by name search and another by scanning its QR code", async ({ page }) => {
  const clean = watchConsole(page);
  const tag = randomBytes(3).toString("hex");
  const searched = { ...badgeFixture("search"), name: `Door Search ${tag}` };
  await insertTicket({ qrCode: searched.qrCode, shortCode: searched.shortCode, name: searched.name, company: "Searchable Motors", email: `search-${tag}@example.com`, shareWithSponsors: false });
  await insertTicket({ qrCode: scanned.qrCode, shortCode: scanned.shortCode, name: `Door Scan ${tag}`, company: "Camera Magnetics", email: `scan-${tag}@example.com`, shareWithSponsors: false });

  await logInAsOrganiser(page);

  await page.goto("/admin/check-in");
  await expect(page.getByRole("heading", { level: 1, name: "Check-in" })).toBeVisible();
  await expectAccessible(page);
  const counter = page.getByText(/valid tickets checked in/);
  const countOf = async () => Number((await counter.textContent())!.match(/^(\d+)/)![1]);
  const before = await countOf();

  await page.getByLabel("Name, email, company or badge code").fill(searched.name);
  await page.getByRole("button", { name: "Search" }).click();
  await page.getByRole("button", { name: `Check in ${searched.name}` }).click();
  const result = page.getByRole("alert");
  await expect(result).toContainText("Checked in");
  await expect(result).toContainText(searched.name);
  await expect(result).toContainText("Searchable Motors");
  await expect.poll(countOf).toBeGreaterThanOrEqual(before + 1);

  await page.getByRole("button", { name: "Start camera" }).click();
  await expect(page.getByRole("status").filter({ hasText: /camera/i })).toHaveText(/Camera on/);
  await expect(result).toContainText(`Door Scan ${tag}`);
  await expect(result).toContainText("Welcome! Checked in at");
  await expect.poll(countOf).toBeGreaterThanOrEqual(before + 2);
  // The same badge held up again warns with the time of the first check-in.
  await page.getByRole("button", { name: "Stop camera" }).click();
  await page.getByLabel("Or type the code under the QR").fill(scanned.shortCode);
  await page.getByRole("button", { name: "Check in by code" }).click();
  await expect(result).toContainText(/Already checked in at \d{1,2}:\d{2}/);
  await expectAccessible(page);
  clean();
});
