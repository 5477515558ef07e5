// The door without a network (ADR 0016): a device keeps checking people in when its connection
// drops (by code, by name), opens the page again offline, and sends its queue when the connection
// returns; two devices that admitted one ticket offline both keep their time, the later one shown
// as a second entry.
import { mkdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { expect, test, type Browser, type Page, type TestInfo } from "@playwright/test";
import { badgeFixture, insertTicket } from "./badges";
import { e2eSql } from "./database";
import { expectAccessible, logInAsOrganiser } from "./support";

const screenshots = path.join(os.tmpdir(), "re3m-offline-check-in");
mkdirSync(screenshots, { recursive: true });
const shoot = (page: Page, info: TestInfo, state: string) => page.screenshot({ path: path.join(screenshots, `${info.project.name}-${state}.png`), fullPage: true });

/**
 * Fails on browser console errors, but for the requests the browser reports as failed while it is
 * offline: those are the point of these tests (the page catches each one).
 */
function watchConsoleOffline(page: Page) {
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" && !/ERR_INTERNET_DISCONNECTED|Failed to fetch/.test(message.text())) problems.push(message.text());
  });
  page.on("pageerror", (error) => problems.push(error.message));
  return () => expect(problems).toEqual([]);
}

async function ticketFor(name: string, company: string) {
  const badge = badgeFixture("offline");
  const { ticketId } = await insertTicket({ qrCode: badge.qrCode, shortCode: badge.shortCode, name, company, email: `${randomBytes(4).toString("hex")}@door.example`, shareWithSponsors: false });
  return { ...badge, id: ticketId, name };
}

/** A door device: its own browser context (its own localStorage and service worker), logged in as the organiser. */
async function doorDevice(browser: Browser, info: TestInfo) {
  const { viewport, userAgent, deviceScaleFactor, isMobile, hasTouch, baseURL } = info.project.use;
  const context = await browser.newContext({ viewport, userAgent, deviceScaleFactor, isMobile, hasTouch, baseURL });
  const page = await context.newPage();
  await logInAsOrganiser(page);
  await page.goto("/admin/check-in");
  await expectReady(page);
  return { context, page };
}

const status = (page: Page) => page.getByRole("region", { name: /^(Online|Offline|Connecting…)$/ });

/** Online, with the list downloaded, and the page kept by the service worker for opening offline. */
async function expectReady(page: Page) {
  await expect(status(page)).toContainText("Online");
  await expect(status(page)).toContainText(/Ticket list of \d+ last synced at \d{1,2}:\d{2} [ap]\.m\. E[DS]T/);
  await expect.poll(() => page.evaluate(async () => Boolean(await caches.match("/admin/check-in")))).toBe(true);
}

async function typeCode(page: Page, code: string) {
  await page.getByLabel("Or type the code under the QR").fill(code);
  await page.getByRole("button", { name: "Check in by code" }).click();
}

test("a door device checks people in offline by code and by name, reopens the page offline, and sends its queue when the connection returns", async ({ browser }, info) => {
  const tag = randomBytes(3).toString("hex");
  const byCode = await ticketFor(`Offline Code ${tag}`, "Terbium Traders");
  const byName = await ticketFor(`Offline Name ${tag}`, "Samarium Motors");
  const refunded = await ticketFor(`Offline Refunded ${tag}`, "Cerium Cells");
  await e2eSql(`UPDATE "Ticket" SET status = 'REFUNDED' WHERE id = $1`, [refunded.id]);

  const { context, page } = await doorDevice(browser, info);
  const clean = watchConsoleOffline(page);
  await expect(status(page)).toContainText("Nothing queued on this device.");
  await expectAccessible(page);
  await shoot(page, info, "1-online");

  await context.setOffline(true);
  await expect(status(page)).toContainText("Offline");
  const result = page.getByRole("alert");

  await typeCode(page, byCode.shortCode.toLowerCase());
  await expect(result).toContainText("Checked in");
  await expect(result).toContainText(byCode.name);
  await expect(result).toContainText("on this device. It is sent to the server when the connection returns.");
  await expect(status(page)).toContainText("1 check-in queued on this device");

  await page.getByLabel("Name, email, company or badge code").fill(`offline name ${tag}`);
  await page.getByRole("button", { name: "Search" }).click();
  await page.getByRole("button", { name: `Check in ${byName.name}` }).click();
  await expect(result).toContainText(byName.name);
  await expect(status(page)).toContainText("2 check-ins queued on this device");

  // The same badge again, and a ticket refunded before the list was downloaded.
  await typeCode(page, byCode.shortCode);
  await expect(result).toContainText(/Already checked in at \d{1,2}:\d{2}/);
  await typeCode(page, refunded.shortCode);
  await expect(result).toContainText("Refused: this ticket was refunded.");
  await expect(status(page)).toContainText("2 check-ins queued on this device");

  // The page opens again without a network, from the service worker, with its queue. (A search's
  // address opens the kept page, without the search: proof that the server was not asked.)
  await page.goto(`/admin/check-in?q=${tag}`);
  await expect(page.getByRole("heading", { level: 1, name: "Check-in" })).toBeVisible();
  await expect(page.getByLabel("Name, email, company or badge code")).toHaveValue("");
  await expect(status(page)).toContainText("Offline");
  await expect(status(page)).toContainText("2 check-ins queued on this device, sent when the connection returns.");
  await typeCode(page, byName.shortCode);
  await expect(result).toContainText(/Already checked in at/);
  await expectAccessible(page);
  await shoot(page, info, "2-offline-with-queue");

  await context.setOffline(false);
  await expect(status(page)).toContainText("Online");
  await expect(status(page)).toContainText("Nothing queued on this device.");
  const sent = page.getByRole("region", { name: "Sent from this device" });
  await expect(sent).toContainText(`${byCode.name}: checked in at`);
  await expect(sent).toContainText(`${byName.name}: checked in at`);
  const stored = await e2eSql<{ id: string; entries: string }>(
    `SELECT t.id, count(e.id)::text AS entries FROM "Ticket" t LEFT JOIN "CheckInEntry" e ON e."ticketId" = t.id WHERE t.id = ANY($1) AND t."checkedInAt" IS NOT NULL GROUP BY t.id ORDER BY t.id`,
    [[byCode.id, byName.id, refunded.id]],
  );
  expect(stored).toEqual([byCode.id, byName.id].sort().map((id) => ({ id, entries: "1" })));

  // Logging out forgets what names people: the ticket list, the reports and the page kept for
  // opening offline. The device keeps its id (and would keep check-ins not yet sent).
  const kept = () => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("re3m.door.")).map((k) => k.split(".")[2]!).sort());
  expect(await kept()).toEqual(["device", "list", "queue", "reports"]);
  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page).toHaveURL(/\/login$/);
  expect(await kept()).toEqual(["device", "queue"]);
  await expect.poll(() => page.evaluate(async () => Boolean(await caches.match("/admin/check-in")))).toBe(false);
  clean();
  await context.close();
});

test("two devices that admitted one ticket offline both keep their time; the later one is shown as a second entry", async ({ browser }, info) => {
  const tag = randomBytes(3).toString("hex");
  const ticket = await ticketFor(`Twice Admitted ${tag}`, "Praseodymium Partners");
  const a = await doorDevice(browser, info);
  const b = await doorDevice(browser, info);
  const cleanA = watchConsoleOffline(a.page);
  const cleanB = watchConsoleOffline(b.page);
  await a.context.setOffline(true);
  await b.context.setOffline(true);
  await typeCode(a.page, ticket.shortCode);
  await expect(a.page.getByRole("alert")).toContainText("Checked in");
  await typeCode(b.page, ticket.shortCode);
  await expect(b.page.getByRole("alert")).toContainText("Checked in");

  await a.context.setOffline(false);
  await expect(a.page.getByRole("region", { name: "Sent from this device" })).toContainText(`${ticket.name}: checked in at`);
  await b.context.setOffline(false);
  const sentB = b.page.getByRole("region", { name: "Sent from this device" });
  await expect(sentB).toContainText("Second entry");
  const deviceA = (await status(a.page).textContent())!.match(/This is device ([A-Z0-9]+)\./)![1];
  await expect(sentB).toContainText(new RegExp(`${ticket.name}: also admitted at \\d{1,2}:\\d{2} [ap]\\.m\\. E[DS]T on this device\\. First checked in at .+ on device ${deviceA} `));
  // The answer on screen, "Checked in" while offline, now says what the server made of it.
  await expect(b.page.getByRole("alert")).toContainText("Second entry");
  await expectAccessible(b.page);
  await shoot(b.page, info, "3-second-entry");

  // Online, a search shows both admissions of the ticket.
  await b.page.getByLabel("Name, email, company or badge code").fill(ticket.name);
  await b.page.getByRole("button", { name: "Search" }).click();
  const row = b.page.getByRole("region", { name: "Find by name" }).getByRole("listitem").filter({ hasText: ticket.name });
  await expect(row).toContainText(/Also admitted at \d{1,2}:\d{2} [ap]\.m\. E[DS]T on device [A-Z0-9]+ \(/);
  await expect(row).toContainText("In at");
  await shoot(b.page, info, "4-second-entry-search");
  cleanA();
  cleanB();
  await a.context.close();
  await b.context.close();
});
