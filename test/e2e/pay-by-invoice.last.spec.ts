// A company buyer pays by invoice and an organiser records the transfer. The organiser first moves
// the event to next year and switches pay by invoice on in the settings, so this runs after the
// other browser tests (project "last"), which read the event as seeded.
import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { e2eSql } from "./database";
import { expectAccessible, watchConsole, logInAsOrganiser } from "./support";

const nextYear = new Date().getUTCFullYear() + 1;

test("a company buyer pays by invoice with names to come, and an organiser records the transfer that issues the tickets", async ({ browser }) => {
  test.setTimeout(180_000);
  const organiser = await (await browser.newContext()).newPage();
  // The buyer comes from an address of their own: by the time this runs, the other browser tests
  // have spent 127.0.0.1's checkout allowance (20 in 10 minutes; the proxy header is trusted from loopback).
  const buyer = await (await browser.newContext({ extraHTTPHeaders: { "X-Forwarded-For": "198.51.100.7" } })).newPage();
  const clean = watchConsole(buyer);

  // The organiser offers pay by invoice for an edition still ahead.
  await logInAsOrganiser(organiser);
  await organiser.goto("/admin/settings");
  await organiser.getByLabel("First day").fill(`${nextYear}-09-09`);
  await organiser.getByLabel("Last day").fill(`${nextYear}-09-10`);
  await organiser.getByLabel(/Offer pay by invoice/).check();
  await organiser.getByLabel("Offered from (tickets per order)").fill("2");
  await organiser.getByLabel("Days to pay").fill("14");
  await organiser.getByLabel("Payment instructions").fill("");
  await organiser.getByRole("button", { name: "Save settings" }).click();
  await expect(organiser.getByText("Enter the payment instructions")).toBeVisible();
  await organiser.getByLabel("Payment instructions").fill("Royal Bank of Canada\nTransit 00002, institution 003, account 1234567\nQuote the invoice number.");
  // Leaving the field checks it again and takes the message away (the button moves up with it).
  await organiser.getByLabel("Payment instructions").blur();
  await expect(organiser.getByText("Enter the payment instructions")).toHaveCount(0);
  await organiser.getByRole("button", { name: "Save settings" }).click();
  await expect(organiser.getByRole("status")).toContainText(/Saved \d+ changes?/);

  // One ticket: pay by invoice is shown, but not offered below two.
  await buyer.goto("/tickets");
  await buyer.getByRole("article", { name: "Full Delegate Pass" }).getByLabel("Quantity").selectOption("1");
  await buyer.getByRole("button", { name: "Continue to attendee details" }).click();
  await expect(buyer.getByText("Pay by invoice is offered from 2 tickets.")).toBeVisible();
  await expect(buyer.getByLabel(/By invoice/)).toBeDisabled();

  await buyer.goto("/tickets");
  await buyer.getByRole("article", { name: "Full Delegate Pass" }).getByLabel("Quantity").selectOption("2");
  await buyer.getByRole("button", { name: "Continue to attendee details" }).click();
  await buyer.getByLabel("Your name").fill("Maren Okafor");
  await buyer.getByLabel("Your email").fill(`maren.${randomUUID().slice(0, 6)}@northern.example`);
  await buyer.getByLabel(/By invoice/).check();
  await buyer.getByLabel(/I will name the attendees later/).check();
  await expect(buyer.getByRole("group", { name: /^Attendee 1:/ })).toHaveCount(0);
  // Without a company to make the invoice out to, it is refused on the company field.
  await buyer.getByRole("button", { name: "Confirm and send the invoice" }).click();
  await expect(buyer.getByText("To pay by invoice, tick “Make the invoice out to a company”")).toBeVisible();
  const details = buyer.getByRole("group", { name: "Your details (the buyer)" });
  await details.getByLabel("Make the invoice out to a company").check();
  await details.getByLabel("Company name").fill("Northern Magnetics Ltd.");
  await details.getByLabel(/Billing address/).fill("100 King St W\nToronto ON M5X 1A9");
  await details.getByLabel("Purchase order number").fill("PO-7781");
  await expectAccessible(buyer);
  await buyer.getByRole("button", { name: "Confirm and send the invoice" }).click();

  await expect(buyer.getByRole("heading", { level: 1, name: "Awaiting your payment by invoice" })).toBeVisible();
  const pay = buyer.getByRole("region", { name: "How to pay" });
  await expect(pay).toContainText("$3,378.70");
  await expect(pay).toContainText("Transit 00002, institution 003, account 1234567");
  const reference = (await buyer.getByText(/^Order RE3M-/).first().textContent())!.replace("Order ", "").trim();
  await expect(pay).toContainText(`(order ${reference})`);
  await expect(buyer.getByRole("region", { name: "Invoices" }).getByRole("link", { name: /^Tax invoice / })).toBeVisible();
  await expectAccessible(buyer);
  clean();

  // The organiser finds the order by its reference and records the transfer.
  await organiser.goto(`/admin/orders?q=${reference}`);
  await organiser.getByRole("link", { name: reference }).click();
  await expect(organiser.getByRole("heading", { level: 1 })).toContainText("Awaiting payment by invoice");
  const section = organiser.getByRole("region", { name: "Payment by invoice" });
  await section.getByLabel(/Amount received/).fill("1000");
  await section.getByLabel("Bank reference (optional)").fill("WIRE 55120");
  await section.getByRole("button", { name: "Record payment" }).click();
  await expect(organiser.getByRole("status")).toContainText("$2,378.70 is still outstanding");
  await expect(section.getByRole("table", { name: "Payments received" })).toContainText("WIRE 55120");
  await section.getByRole("button", { name: "Record payment" }).click();
  await expect(organiser.getByRole("status")).toContainText("paid in full");
  await expect(organiser.getByRole("heading", { level: 1 })).toContainText("Paid");
  await expect(organiser.getByRole("region", { name: "Tickets of this order" })).toContainText("Attendee 2 (to be named)");
  await expectAccessible(organiser);

  // The buyer names the first attendee from the order page.
  await buyer.reload();
  await expect(buyer.getByRole("heading", { level: 1, name: /You're going to/ })).toBeVisible();
  await buyer.getByRole("link", { name: "Name this attendee" }).first().click();
  await expect(buyer.getByRole("heading", { name: "Who is coming on this ticket?" })).toBeVisible();

  const [{ tickets }] = await e2eSql<{ tickets: number }>(`SELECT count(*)::int AS tickets FROM "Ticket" t JOIN "Order" o ON o.id = t."orderId" WHERE o.reference = $1`, [reference]);
  expect(tickets).toBe(2);
});
