// A sponsor at its booth: logs in on a phone, scans a badge with the camera (Chromium's fake camera
// plays a video of the QR code), scans another from a photo, adds a note, and downloads the CSV.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { csvRecords } from "../support/csv";
import { badgeFixture, insertSponsorUser, insertTicket } from "./badges";
import { withFakeCamera } from "./browser";
import { expectAccessible, watchConsole } from "./support";

const camera = badgeFixture("booth");

test.use({
  permissions: ["camera"],
  launchOptions: withFakeCamera(camera.y4mPath),
});

test("a sponsor scans badges, adds a note and downloads a CSV of its leads", async ({ page }) => {
  const clean = watchConsole(page);
  const tag = randomBytes(3).toString("hex");
  const password = "booth-password-2025";
  const { email } = await insertSponsorUser(password);
  const consenting = { name: `Camera Lead ${tag}`, email: `camera-${tag}@example.com` };
  await insertTicket({ qrCode: camera.qrCode, shortCode: camera.shortCode, name: consenting.name, company: "Terbium Works", email: consenting.email, shareWithSponsors: true });
  const photo = badgeFixture("photo");
  await photo.writePng();
  const privateName = `Photo Lead ${tag}`;
  await insertTicket({ qrCode: photo.qrCode, shortCode: photo.shortCode, name: privateName, company: "Quiet Rotors", email: `photo-${tag}@example.com`, shareWithSponsors: false });

  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page).toHaveURL(/\/sponsor$/);
  await expectAccessible(page);

  await page.getByRole("link", { name: "Scan a badge" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Scan badges" })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole("button", { name: "Start camera" }).click();
  await expect(page.getByRole("heading", { level: 2, name: consenting.name })).toBeVisible();
  await expect(page.getByText(consenting.email)).toBeVisible();
  await page.getByRole("button", { name: "Stop camera" }).click();
  await page.getByRole("radio", { name: "hot" }).check();
  await page.getByLabel("Notes").fill("=Wants NdFeB samples, call Tuesday");
  await page.getByRole("button", { name: "Save notes" }).click();
  await expect(page.getByText("Notes saved.")).toBeVisible();
  await expectAccessible(page);

  // A second badge from a photo: no consent, so no contact details.
  await page.getByLabel("Scan from a photo").setInputFiles(photo.pngPath);
  await expect(page.getByRole("heading", { level: 2, name: privateName })).toBeVisible();
  await expect(page.getByText("has not agreed to share contact details")).toBeVisible();

  await page.getByRole("link", { name: "Leads", exact: true }).click();
  await expect(page.getByRole("link", { name: consenting.name, exact: true })).toBeVisible();
  await expectAccessible(page);
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download CSV" }).click()]);
  const bytes = readFileSync((await download.path())!);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const records = csvRecords(bytes.toString("utf8"));
  expect(Object.keys(records[0]!)).toEqual(["Name", "Company", "Job title", "Email", "Country", "Source", "Rating", "Notes", "Scanned at (UTC)", "Scanned by"]);
  const row = (name: string) => records.find((r) => r.Name === name);
  expect(row(consenting.name)).toMatchObject({
    Company: "Terbium Works",
    "Job title": "Procurement lead",
    Email: consenting.email,
    Country: "Canada",
    Source: "BADGE_SCAN",
    Rating: "HOT",
    Notes: "'=Wants NdFeB samples, call Tuesday",
    "Scanned by": "Booth Person",
  });
  expect(row(consenting.name)!["Scanned at (UTC)"]).toMatch(/^\d{4}-\d\d-\d\dT/);
  expect(row(privateName)).toMatchObject({ Company: "Quiet Rotors", "Job title": "Procurement lead", Email: "", Country: "", Source: "BADGE_SCAN", Rating: "", Notes: "" });
  clean();

  // The organisers' area is not for a sponsor's account: a 403 page that says so, not "something went wrong".
  const refused = await page.goto("/admin/orders");
  expect(refused?.status()).toBe(403);
  await expect(page.getByRole("heading", { level: 1, name: "You don't have access to this" })).toBeVisible();
  await expect(page.getByText("Your account does not have access to this page.")).toBeVisible();
  await expect(page).toHaveTitle("Not allowed · RE3M admin");
  await expectAccessible(page);
});
