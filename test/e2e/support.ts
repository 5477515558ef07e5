import { randomInt } from "node:crypto";
import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";
import { DEV_ADMIN_EMAIL, DEV_ADMIN_PASSWORD } from "../../app/services/env.server";

/** Fails with the list of violations when axe-core finds any accessibility problem. */
export async function expectAccessible(page: Page, { exclude }: { exclude?: string } = {}) {
  // axe cannot run inside a frame that forbids scripts (an email's preview): such a frame is excluded, and checked on its own.
  const builder = new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]);
  const results = await (exclude ? builder.exclude(exclude) : builder).analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
  expect(summary).toEqual([]);
}

/** Fails on browser console errors and uncaught exceptions (hydration mismatches, CSP refusals). */
/**
 * Collects the page's console errors and uncaught exceptions; the function returned expects none.
 * `ignore`: messages the page does not cause (Chromium's note when Playwright's own scripts are
 * refused by a sandboxed frame, such as the email preview's).
 */
export function watchConsole(page: Page, { ignore = [] }: { ignore?: RegExp[] } = {}) {
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" && !ignore.some((pattern) => pattern.test(message.text()))) problems.push(message.text());
  });
  page.on("pageerror", (error) => problems.push(error.message));
  return () => expect(problems).toEqual([]);
}

/**
 * The page's checkout posts come from an address of their own (X-Forwarded-For, which the test
 * server trusts from loopback): the checkout limit counts attempts per address (20 in 10
 * minutes), and every test's browser is this machine. Only those posts carry it.
 */
export async function checkoutFromOwnAddress(page: Page) {
  const address = `198.18.${randomInt(0, 256)}.${randomInt(1, 255)}`;
  await page.route(/\/tickets\/checkout(\.data)?(\?|$)/, async (route) => {
    if (route.request().method() !== "POST") return route.fallback();
    return route.continue({ headers: { ...(await route.request().allHeaders()), "x-forwarded-for": address } });
  });
}

/**
 * A free order for one attendee through the public checkout (100% code), so no payment page is
 * involved; `shareWithSponsors` ticks the attendee's consent.
 */
export async function buyFreeTicket(
  page: Page,
  attendee: { name: string; email: string; company?: string; shareWithSponsors?: boolean },
  buyerEmail = "ada.buyer@example.com",
) {
  await checkoutFromOwnAddress(page);
  await page.goto("/tickets");
  await page.getByRole("article", { name: "Full Delegate Pass" }).getByLabel("Quantity").selectOption("1");
  await page.getByLabel("Discount code (optional)").fill("SPEAKERGUEST");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByText("Code SPEAKERGUEST applied.")).toBeVisible();
  await page.getByRole("button", { name: "Continue to attendee details" }).click();
  await page.getByLabel("Your name").fill("Ada Buyer");
  await page.getByLabel("Your email").fill(buyerEmail);
  const form = page.getByRole("group", { name: /^Attendee 1:/ });
  await form.getByLabel("Full name", { exact: true }).fill(attendee.name);
  await form.getByLabel("Email", { exact: true }).fill(attendee.email);
  if (attendee.company) await form.getByLabel("Company (optional)").fill(attendee.company);
  if (attendee.shareWithSponsors) await form.getByRole("checkbox").check();
  await page.getByRole("button", { name: "Confirm free tickets" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "You're going to RE3M 2025" })).toBeVisible();
}

/**
 * The manage link in the newest ticket email to `name`, read from the outbox like a person reads
 * their mail: in a tab of its own, since Playwright probing the sandboxed email frame logs console
 * errors there (microsoft/playwright#33343) that the attendee's pages never cause.
 */
export async function manageLinkFromOutbox(page: Page, name: string) {
  const inbox = await page.context().newPage();
  await inbox.goto("/admin/emails");
  if (new URL(inbox.url()).pathname === "/login") {
    // The organiser seeded by the server under test (no ADMIN_EMAIL set: the development one).
    await inbox.getByLabel("Email").fill(DEV_ADMIN_EMAIL);
    await inbox.getByLabel("Password").fill(DEV_ADMIN_PASSWORD);
    await inbox.getByRole("button", { name: "Log in" }).click();
    await expect(inbox.getByRole("heading", { level: 1, name: "Emails" })).toBeVisible();
  }
  await inbox.getByRole("link", { name: `Your ticket for RE3M 2025, ${name}` }).first().click();
  await expect(inbox.getByRole("heading", { level: 1, name: `Your ticket for RE3M 2025, ${name}` })).toBeVisible();
  const href = await inbox.frameLocator("iframe").getByRole("link", { name: "Manage your ticket" }).getAttribute("href");
  await inbox.close();
  expect(href).toMatch(/\/my\/[A-Za-z0-9_-]{43}$/);
  return new URL(href!).pathname;
}

/** Logs the page in as the seeded organiser, from the login page, and lands on the dashboard. */
export async function logInAsOrganiser(page: Page) {
  await page.goto("/login");
  await page.getByLabel("Email").fill("organiser@re3m.example");
  await page.getByLabel("Password").fill("magnets-2025");
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page).toHaveURL(/\/admin$/);
}
