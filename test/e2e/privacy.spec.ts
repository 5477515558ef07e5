import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { strFromU8, unzipSync } from "fflate";
import { buyFreeTicket, expectAccessible, manageLinkFromOutbox, watchConsole } from "./support";

test("an attendee asks to be erased; an admin finds them, downloads their data and erases them", async ({ page }) => {
  test.slow();
  const clean = watchConsole(page);
  const run = randomUUID().slice(0, 6);
  const name = `Marie Sklodowska ${run}`;
  const email = `marie.${run}@example.com`;
  await buyFreeTicket(page, { name, email, company: "Polonium Magnets", shareWithSponsors: true }, `pierre.${run}@example.com`);

  // From her ticket page, she asks for her data to be erased; asking needs a tick first.
  const link = await manageLinkFromOutbox(page, name);
  await page.goto(link);
  const yourData = page.getByRole("region", { name: "Your data" });
  await expect(yourData.getByRole("button", { name: "Ask for a copy of my data" })).toBeVisible();
  await yourData.getByRole("checkbox", { name: /I understand that my name and details are then erased/ }).check();
  await yourData.getByRole("button", { name: "Ask to erase my data" }).click();
  await expect(yourData.getByRole("status")).toHaveText("Your request to erase your data is with the organisers. They answer within 30 days.");
  await expect(yourData.getByText(/You asked for your data to be erased on/)).toBeVisible();
  await expectAccessible(page);

  // The admin (logged in by reading the outbox) finds the request first on the privacy page.
  await page.goto("/admin");
  await page.getByRole("link", { name: "Privacy", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Privacy requests" })).toBeVisible();
  await expect(page.getByRole("heading", { level: 2, name: /Requests waiting \(\d+\)/ })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole("link", { name: `Review and erase ${email}` }).click();
  await expect(page.getByRole("heading", { level: 3, name: `Held about ${email}` })).toBeVisible();
  const held = page.getByRole("list", { name: "What is held" });
  await expect(held.getByRole("listitem").filter({ hasText: "Tickets they hold" })).toContainText("1");
  await expect(held.getByRole("listitem").filter({ hasText: "Privacy requests" })).toContainText("1");
  await expect(page.getByRole("table", { name: "Tickets they hold" })).toContainText(name);
  await expectAccessible(page);

  // Everything held, as a ZIP of JSON and CSV files.
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download everything (ZIP)" }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^re3m-2025-personal-data-\d{4}-\d{2}-\d{2}\.zip$/);
  const files = unzipSync(readFileSync((await file.path())!));
  expect(JSON.parse(strFromU8(files["tickets.json"]!))[0]).toMatchObject({ name, email, company: "Polonium Magnets", sharesWithSponsors: "yes" });
  expect(strFromU8(files["tickets.csv"]!)).toContain(name);

  // Erasing needs the tick too; then the request is done and nothing is held under her address.
  await page.getByRole("button", { name: "Erase their data" }).click();
  await expect(page.getByRole("heading", { level: 3, name: `Held about ${email}` })).toBeVisible();
  await page.getByRole("checkbox", { name: `I understand that this erases ${email}’s data for good.` }).check();
  await page.getByRole("button", { name: "Erase their data" }).click();
  await expect(page.getByRole("status").filter({ hasText: `${email}’s data is erased: 1 ticket, 1 checkout entry` })).toBeVisible();
  await expect(page.getByText(`Nothing is held under ${email}.`)).toBeVisible();
  await expect(page.getByRole("link", { name: `Review and erase ${email}` })).toHaveCount(0);
  await expectAccessible(page);

  // Her ticket page no longer names her, nor offers anything more to ask.
  await page.goto(link);
  await expect(page.getByRole("heading", { level: 1, name: "Erased attendee" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Your data" })).toContainText("The details on this ticket were erased");
  clean();
});
