import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { buyFreeTicket, expectAccessible, watchConsole, logInAsOrganiser } from "./support";

/** The rows of a CSV without quoted line breaks, as arrays of cells (our test data has none). */
function csvRows(text: string) {
  return text
    .replace(/^\uFEFF/, "")
    .trim()
    .split("\n")
    .map((line) => [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(?:,|$)/g)].map((m) => m[1]!.replace(/^"|"$/g, "").replace(/""/g, '"')));
}

test("an organiser finds an order, refunds it and exports attendees", async ({ page }) => {
  // A checkout, several admin pages with axe scans and a download: more than the default 30 s.
  test.setTimeout(120_000);
  const name = `Ada ${randomUUID().slice(0, 8)}`;
  await buyFreeTicket(page, { name, email: `${name.split(" ")[1]!.toLowerCase()}@example.com`, company: "=Formula Magnets" });

  const clean = watchConsole(page);
  await logInAsOrganiser(page);
  await expect(page.getByRole("heading", { level: 1, name: "Dashboard" })).toBeVisible();
  await expect(page.getByRole("img", { name: "Tickets sold and revenue per day" })).toBeVisible();
  await expectAccessible(page);

  await page.goto("/admin/orders");
  await page.getByRole("searchbox", { name: "Search" }).fill(name);
  await page.getByRole("button", { name: "Search" }).click();
  const results = page.getByRole("table", { name: "Orders" });
  await expect(results.getByRole("row")).toHaveCount(2);
  await expectAccessible(page);
  await results.getByRole("link", { name: /^RE3M-/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: /^Order RE3M-/ })).toContainText("Paid");
  await expect(page.getByRole("table", { name: "Tickets of this order" })).toContainText(name);
  await expectAccessible(page);

  await page.getByText("Refund whole order").click();
  await page.getByRole("button", { name: "Confirm refund" }).click();
  await expect(page.getByRole("status")).toContainText("The order was refunded and its tickets cancelled.");
  await expect(page.getByRole("heading", { level: 1, name: /^Order RE3M-/ })).toContainText("Refunded");
  await expect(page.getByRole("table", { name: "History, oldest first" })).toContainText("order.refunded");
  await expectAccessible(page);

  await page.goto(`/admin/attendees?q=${encodeURIComponent(name)}`);
  await expect(page.getByRole("table", { name: "Attendees" }).getByRole("link", { name })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole("table", { name: "Attendees" }).getByRole("link", { name }).click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  await expectAccessible(page);

  for (const [path, heading] of [
    ["/admin/ticket-types", "Ticket types"],
    ["/admin/ticket-types/new", "New ticket type"],
    ["/admin/discount-codes", "Discount codes"],
    ["/admin/discount-codes/new", "New discount code"],
    ["/admin/orders/comp", "Issue a comp ticket"],
  ] as const) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
    await expectAccessible(page);
  }

  await page.goto("/admin/exports");
  await expectAccessible(page);
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: /Download attendees CSV/ }).click()]);
  expect(download.suggestedFilename()).toMatch(/^re3m-2025-attendees-\d{4}-\d{2}-\d{2}\.csv$/);
  const rows = csvRows(readFileSync((await download.path())!, "utf8"));
  const header = rows[0]!;
  const mine = rows.find((r) => r[header.indexOf("Name")] === name);
  expect(mine?.[header.indexOf("Status")]).toBe("REFUNDED");
  expect(mine?.[header.indexOf("Company")]).toBe("'=Formula Magnets");
  clean();
});
