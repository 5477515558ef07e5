import { randomUUID } from "node:crypto";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { DEV_ADMIN_EMAIL, DEV_ADMIN_PASSWORD } from "../../app/services/env.server";
import { buyFreeTicket, expectAccessible } from "./support";

const WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

async function violations(builder: AxeBuilder) {
  const results = await builder.analyze();
  return results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
}

/**
 * Browser errors, except the one Playwright itself causes by probing a sandboxed frame
 * (microsoft/playwright#33343): the page runs no script there.
 */
function watchConsole(page: Page) {
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" && !message.text().startsWith("Blocked script execution in 'about:srcdoc'")) problems.push(message.text());
  });
  page.on("pageerror", (error) => problems.push(error.message));
  return () => expect(problems).toEqual([]);
}

test("an organiser reads the emails of an order in the outbox, views one rendered and resends it", async ({ page }) => {
  const clean = watchConsole(page);
  // A free order (speaker code) is confirmed at once, so its emails are queued without a payment.
  const attendee = `Rosalind ${randomUUID().slice(0, 6)}`;
  await buyFreeTicket(page, { name: attendee, email: "rosalind@example.com" });

  // The organiser seeded by the server under test (no ADMIN_EMAIL set: the development one).
  await page.goto("/admin/emails");
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Fadmin%2Femails/);
  await page.getByLabel("Email").fill(DEV_ADMIN_EMAIL);
  await page.getByLabel("Password").fill(DEV_ADMIN_PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Emails" })).toBeVisible();
  const subject = `Your ticket for RE3M 2025, ${attendee}`;
  const row = page.getByRole("row", { name: new RegExp(subject) });
  await expect(row).toContainText("rosalind@example.com");
  await expect(row).toContainText("ticket");
  await expectAccessible(page);

  await row.getByRole("link", { name: subject }).click();
  await expect(page.getByRole("heading", { level: 1, name: subject })).toBeVisible();
  const message = page.frameLocator("iframe[title^='The email']");
  await expect(message.getByRole("heading", { name: `Your ticket, ${attendee}` })).toBeVisible();
  await expect(message.getByRole("img", { name: `QR code of the ticket of ${attendee}` })).toBeVisible();
  await expect(page.locator("pre")).toContainText("Manage your ticket http");
  const attachments = page.getByRole("region", { name: "Attachments" });
  await expect(attachments).toContainText("ticket-qr.png");
  await expect(attachments).toContainText(".ics");
  // axe cannot run inside a frame that forbids scripts: the page is checked around it, and the
  // email on its own page below.
  expect(await violations(new AxeBuilder({ page }).withTags([...WCAG, "best-practice"]).exclude(".email-frame"))).toEqual([]);
  const email = await page.context().newPage();
  await email.setContent((await page.locator(".email-frame").getAttribute("srcdoc"))!);
  expect(await violations(new AxeBuilder({ page: email }).withTags(WCAG))).toEqual([]);
  await email.close();

  const original = page.url();
  await page.getByRole("button", { name: "Resend" }).click();
  await expect(page).not.toHaveURL(original);
  await expect(page.getByRole("heading", { level: 1, name: subject })).toBeVisible();
  await page.getByRole("link", { name: "All emails" }).click();
  await expect(page.getByRole("row", { name: new RegExp(subject) })).toHaveCount(2);
  clean();
});
