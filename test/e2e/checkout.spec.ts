import { randomUUID } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { e2eSql } from "./database";
import { checkoutFromOwnAddress, expectAccessible, watchConsole } from "./support";

async function chooseTickets(page: Page, type: string, quantity: number, code?: string) {
  await checkoutFromOwnAddress(page);
  await page.goto("/tickets");
  const card = page.getByRole("article", { name: type });
  await card.getByLabel("Quantity").selectOption(String(quantity));
  if (code) {
    await page.getByLabel("Discount code (optional)").fill(code);
    await page.getByRole("button", { name: "Apply" }).click();
    await expect(page.getByText(`Code ${code.toUpperCase()} applied.`)).toBeVisible();
  }
  await page.getByRole("button", { name: "Continue to attendee details" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Who is coming?" })).toBeVisible();
}

async function fillAttendees(page: Page, names: string[]) {
  await page.getByLabel("Your name").fill("Ada Buyer");
  await page.getByLabel("Your email").fill("ada.buyer@example.com");
  for (const [i, name] of names.entries()) {
    const form = page.getByRole("group", { name: new RegExp(`^Attendee ${i + 1}:`) });
    await form.getByLabel("Full name", { exact: true }).fill(name);
    await form.getByLabel("Email", { exact: true }).fill(`${name.split(" ")[0]!.toLowerCase()}@example.com`);
    await form.getByLabel("Company (optional)").fill("Sample Magnetics");
  }
}

test("a buyer buys two tickets with a discount code and sees them", async ({ page }) => {
  const clean = watchConsole(page);
  await chooseTickets(page, "Full Delegate Pass", 2, "magnet15");
  const summary = page.getByRole("table", { name: "Order summary" });
  await expect(summary.getByRole("row", { name: /Discount \(MAGNET15\)/ })).toContainText("−$448.50");
  await expect(summary.getByRole("row", { name: /HST 13%/ })).toContainText("$330.40");
  await expect(summary.getByRole("row", { name: /Total/ })).toContainText("$2,871.90");
  await expectAccessible(page);
  await fillAttendees(page, ["Grace Hopper", "Alan Turing"]);
  await page.getByRole("group", { name: /^Attendee 1:/ }).getByRole("checkbox").check();
  clean();
  await page.getByRole("button", { name: "Continue to payment" }).click();

  await expect(page.getByText("Stripe test emulator")).toBeVisible();
  await expect(page.getByText("$2,871.90").first()).toBeVisible();
  await page.getByRole("button", { name: "Pay with test card" }).click();

  await expect(page.getByRole("heading", { level: 1, name: "You're going to RE3M 2025" })).toBeVisible();
  const tickets = page.getByRole("region", { name: "Tickets" });
  await expect(tickets.getByText("Grace Hopper")).toBeVisible();
  await expect(tickets.getByText("Alan Turing")).toBeVisible();
  await expect(page.getByRole("table", { name: /Order RE3M-/ }).getByRole("row", { name: /Total/ })).toContainText("$2,871.90");
  await expectAccessible(page);
});

test("a wrong code or an empty choice brings the buyer back to the tickets page with the choice kept and the reason", async ({ page }) => {
  const clean = watchConsole(page);
  await page.goto("/tickets");
  const quantity = page.getByRole("article", { name: "Full Delegate Pass" }).getByLabel("Quantity");
  const code = page.getByLabel("Discount code (optional)");
  await quantity.selectOption("2");
  await code.fill("NOSUCHCODE");
  await page.getByRole("button", { name: "Continue to attendee details" }).click();
  await expect(page.getByRole("alert")).toHaveText("The code “NOSUCHCODE” is not valid. Check the spelling or remove it.");
  await expect(page).toHaveURL(/\/tickets\?.*refused=1/);
  await expect(quantity).toHaveValue("2");
  await expect(code).toHaveValue("NOSUCHCODE");
  await expectAccessible(page);

  await code.fill("");
  await quantity.selectOption("0");
  await page.getByRole("button", { name: "Continue to attendee details" }).click();
  await expect(page.getByRole("alert")).toHaveText("Choose at least one ticket.");
  await page.reload();
  await expect(page.getByRole("alert")).toHaveText("Choose at least one ticket.");
  clean();
});

test("a declined card keeps the buyer on the payment page, and cancelling returns to the form with inputs kept", async ({ page }) => {
  await chooseTickets(page, "Academic & Government", 1);
  await fillAttendees(page, ["Marie Curie"]);
  await page.getByRole("button", { name: "Continue to payment" }).click();
  await page.getByRole("button", { name: "Pay with declined card" }).click();
  await expect(page.getByRole("alert")).toContainText("Your card was declined.");

  await page.getByRole("button", { name: "Cancel and return" }).or(page.getByRole("link", { name: "Cancel and return" })).click();
  await expect(page.getByRole("heading", { level: 1, name: "Who is coming?" })).toBeVisible();
  await expect(page.getByText("Payment was cancelled and your seats were released.")).toBeVisible();
  await expect(page.getByLabel("Your name")).toHaveValue("Ada Buyer");
  await expect(page.getByRole("group", { name: /^Attendee 1:/ }).getByLabel("Full name", { exact: true })).toHaveValue("Marie Curie");
  const [order] = await e2eSql<{ status: string }>(
    `SELECT o.status FROM "Order" o WHERE o."buyerEmail" = 'ada.buyer@example.com'
       AND EXISTS (SELECT 1 FROM "OrderAttendee" a WHERE a."orderId" = o.id AND a.name = 'Marie Curie') ORDER BY o."createdAt" DESC LIMIT 1`,
  );
  expect(order?.status).toBe("CANCELLED");
  await expectAccessible(page);
});

test("a sold-out type offers the waitlist", async ({ page }) => {
  const slug = `sold-out-${randomUUID().slice(0, 8)}`;
  await e2eSql(
    `INSERT INTO "TicketType" (id, "eventId", slug, name, description, includes, "priceCents", capacity, sold, position, "updatedAt")
     SELECT $1, id, $2, $3, 'A test type with no seats left.', '{}', 50000, 1, 1, 99, now() FROM "Event" LIMIT 1`,
    [randomUUID(), slug, `Masterclass ${slug.slice(-8)}`],
  );
  await page.goto("/tickets");
  const card = page.getByRole("article", { name: `Masterclass ${slug.slice(-8)}` });
  await expect(card.getByText("Sold out")).toBeVisible();
  await card.getByRole("link", { name: "Join the waitlist" }).click();
  await expect(page.getByRole("heading", { level: 1, name: /is sold out/ })).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel("Full name").fill("Wai Ting");
  await page.getByLabel("Email").fill("wai.ting@example.com");
  await page.getByRole("button", { name: "Join the waitlist" }).click();
  await expect(page.getByText(/You are on the waitlist for Masterclass/)).toBeVisible();
  const entries = await e2eSql(`SELECT 1 FROM "WaitlistEntry" WHERE email = 'wai.ting@example.com' AND "ticketTypeId" = (SELECT id FROM "TicketType" WHERE slug = $1)`, [slug]);
  expect(entries).toHaveLength(1);
});

test("a buyer who loses the last seat while filling in the form is told at once and keeps what was typed", async ({ page }) => {
  const slug = `last-seat-${randomUUID().slice(0, 8)}`;
  const name = `Workshop ${slug.slice(-8)}`;
  await e2eSql(
    `INSERT INTO "TicketType" (id, "eventId", slug, name, description, includes, "priceCents", capacity, position, "updatedAt")
     SELECT $1, id, $2, $3, 'A test type with one seat.', '{}', 50000, 1, 99, now() FROM "Event" LIMIT 1`,
    [randomUUID(), slug, name],
  );
  await chooseTickets(page, name, 1);
  await fillAttendees(page, ["Lise Meitner"]);
  // Someone else buys the last seat meanwhile.
  await e2eSql(`UPDATE "TicketType" SET sold = 1 WHERE slug = $1`, [slug]);

  const requests: string[] = [];
  page.on("request", (request) => requests.push(`${request.method()} ${new URL(request.url()).pathname}`));
  await page.getByRole("button", { name: "Continue to payment" }).click();
  await expect(page.getByRole("alert")).toContainText(`${name} is sold out. You can join the waitlist instead.`);
  await expect(page.getByRole("group", { name: /^Attendee 1:/ }).getByLabel("Full name", { exact: true })).toHaveValue("Lise Meitner");
  await expect(page.getByLabel("Your email")).toHaveValue("ada.buyer@example.com");
  // One request, the refused checkout: the page's data is not fetched again.
  expect(requests).toEqual(["POST /tickets/checkout.data"]);
  const orders = await e2eSql(`SELECT 1 FROM "OrderAttendee" WHERE name = 'Lise Meitner'`);
  expect(orders).toHaveLength(0);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("a buyer whose form finds the last seat gone is sent back to the tickets page, which says so", async ({ page }) => {
    const slug = `no-js-seat-${randomUUID().slice(0, 8)}`;
    const name = `Field trip ${slug.slice(-8)}`;
    await e2eSql(
      `INSERT INTO "TicketType" (id, "eventId", slug, name, description, includes, "priceCents", capacity, position, "updatedAt")
       SELECT $1, id, $2, $3, 'A test type with one seat.', '{}', 20000, 1, 99, now() FROM "Event" LIMIT 1`,
      [randomUUID(), slug, name],
    );
    await chooseTickets(page, name, 1);
    const attendee = `Emmy Noether ${slug.slice(-8)}`;
    await fillAttendees(page, [attendee]);
    // Someone else buys the last seat meanwhile.
    await e2eSql(`UPDATE "TicketType" SET sold = 1 WHERE slug = $1`, [slug]);
    await page.getByRole("button", { name: "Continue to payment" }).click();
    // The tickets page again, with every quantity as chosen (the form sends them all).
    await expect(page).toHaveURL(/\/tickets\?.*&refused=1$/);
    expect(new URL(page.url()).searchParams.get(`quantities.${slug}`)).toBe("1");
    await expect(page.getByRole("alert")).toContainText(`${name} is sold out. You can join the waitlist instead.`);
    await expect(page.getByRole("article", { name }).getByRole("link", { name: "Join the waitlist" })).toBeVisible();
    expect(await e2eSql(`SELECT 1 FROM "OrderAttendee" WHERE name = $1`, [attendee])).toHaveLength(0);
  });
});

test("a company buyer adds its billing details, pays, and opens the tax invoice made out to the company", async ({ page }) => {
  test.setTimeout(90_000);
  const clean = watchConsole(page);
  await chooseTickets(page, "Full Delegate Pass", 1);
  await fillAttendees(page, ["Katherine Johnson"]);
  await page.getByText("Buying for a company? Add its details to the invoice").click();
  await page.getByLabel("Make the invoice out to a company").check();
  await page.getByRole("button", { name: "Continue to payment" }).click();
  await expect(page.getByText("Company name is required for a company invoice.")).toBeVisible();
  await expect(page.getByText("Billing address is required for a company invoice.")).toBeVisible();

  const po = `PO-${randomUUID().slice(0, 6)}`;
  const buyer = page.getByRole("group", { name: "Your details (the buyer)" });
  await buyer.getByLabel("Company name").fill("Sample Magnetics Ltd.");
  await buyer.getByLabel(/Billing address/).fill("1 Magnet Way\nHamilton, ON L8P 1A1");
  await buyer.getByLabel("Country").fill("Canada");
  await buyer.getByLabel("Purchase order number").fill(po);
  await expectAccessible(page);
  clean();
  await page.getByRole("button", { name: "Continue to payment" }).click();
  await page.getByRole("button", { name: "Pay with test card" }).click();
  await expect(page.getByRole("heading", { level: 1, name: /You're going to/ })).toBeVisible();

  const invoices = page.getByRole("region", { name: "Invoices" });
  await invoices.getByRole("link", { name: /^Tax invoice / }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Tax invoice" })).toBeVisible();
  const invoice = page.getByRole("article", { name: "Tax invoice" });
  await expect(invoice).toContainText("Sample Magnetics Ltd.");
  await expect(invoice).toContainText(`Purchase order: ${po}`);
  await expect(invoice.getByRole("row", { name: /Total \(CAD\)/ })).toContainText("$1,689.35");
  await expectAccessible(page);
  const pdf = await page.request.get((await page.getByRole("link", { name: "Download PDF" }).getAttribute("href"))!);
  expect(pdf.headers()["content-type"]).toBe("application/pdf");
  expect((await pdf.body()).subarray(0, 5).toString()).toBe("%PDF-");
});

test("the checkout form points out a wrong email in the browser, without sending it and without a CSP violation", async ({ page }) => {
  // zod compiles its parsers with `new Function` unless told not to, which our CSP refuses (ADR 0021).
  await page.addInitScript(() => {
    const seen: { violations: string[]; shift: number } = { violations: [], shift: 0 };
    (window as unknown as { seen: typeof seen }).seen = seen;
    document.addEventListener("securitypolicyviolation", (event) => seen.violations.push(`${event.violatedDirective} ${event.blockedURI}`));
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as (PerformanceEntry & { value: number; hadRecentInput: boolean })[]) if (!entry.hadRecentInput) seen.shift += entry.value;
    }).observe({ type: "layout-shift", buffered: true });
  });
  await chooseTickets(page, "Full Delegate Pass", 1);
  const posts: string[] = [];
  page.on("request", (request) => void (request.method() === "POST" && posts.push(request.url())));
  await page.getByLabel("Your email").fill("not-an-email");
  await page.getByLabel("Your email").blur();
  await expect(page.getByText("Your email must be a valid email address, like name@company.com.")).toBeVisible();
  await page.getByLabel("Your email").fill("ada.buyer@example.com");
  await expect(page.getByText("Your email must be a valid email address, like name@company.com.")).toBeHidden();
  expect(posts).toEqual([]);
  const seen = await page.evaluate(() => (window as unknown as { seen: { violations: string[]; shift: number } }).seen);
  expect(seen.violations).toEqual([]);
  expect(seen.shift).toBeLessThan(0.1);
});
