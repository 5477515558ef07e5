import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { buyFreeTicket, expectAccessible, manageLinkFromOutbox, watchConsole } from "./support";

test("an attendee edits their ticket, withdraws consent and transfers it; only the new link works", async ({ page }) => {
  test.slow();
  const clean = watchConsole(page);
  const run = randomUUID().slice(0, 6);
  const holder = `Grace Hopper ${run}`;
  const successor = `Katherine Johnson ${run}`;

  // A buyer gets a free ticket for one attendee, who agrees to share their details with sponsors.
  await buyFreeTicket(page, { name: holder, email: `grace.${run}@example.com`, company: "Sample Magnetics", shareWithSponsors: true }, `ada.${run}@example.com`);

  // The buyer can send the ticket email again.
  await page.getByRole("button", { name: `Resend ticket email to ${holder}` }).click();
  await expect(page.getByRole("status").filter({ hasText: `Sent again to grace.${run}@example.com` })).toBeVisible();
  await expectAccessible(page);

  // The attendee opens the link from their ticket email.
  const oldLink = await manageLinkFromOutbox(page, holder);
  await page.goto(oldLink);
  await expect(page.getByRole("heading", { level: 1, name: holder })).toBeVisible();
  await expect(page.getByRole("img", { name: /QR code of .*ticket/ })).toBeVisible();
  await expect(page.getByText("Badge code", { exact: true })).toBeVisible();
  await expectAccessible(page);

  // A wrong email is refused at the field; a correct edit is saved.
  const details = page.getByRole("region", { name: "Your details" });
  await details.getByLabel("Email").fill("grace-at-example");
  await details.getByRole("button", { name: "Save my details" }).click();
  await expect(details.getByText("Email must be a valid email address, like name@company.com.")).toBeVisible();
  await details.getByLabel("Email").fill(`grace.${run}@example.com`);
  await details.getByLabel("Company (optional)").fill("Neodymium Works");
  await details.getByRole("button", { name: "Save my details" }).click();
  await expect(details.getByRole("status")).toHaveText("Your details are saved.");
  await expect(details.getByLabel("Company (optional)")).toHaveValue("Neodymium Works");

  // Consent given at checkout is withdrawn.
  const sharing = page.getByRole("region", { name: "Sharing with sponsors" });
  await expect(sharing.getByText("Sharing is on", { exact: true })).toBeVisible();
  await sharing.getByRole("button", { name: "Stop sharing my contact details" }).click();
  await expect(sharing.getByRole("status")).toContainText("left out of every sponsor lead export from now on");
  await expect(sharing.getByText("Sharing is off", { exact: true })).toBeVisible();

  // A session goes on the personal agenda, with its calendar link.
  const agenda = page.getByRole("region", { name: "Your agenda" });
  await agenda.getByText(/Choose sessions/).click();
  await agenda.getByRole("checkbox", { name: /Fireside Chat with Steve Wozniak/ }).check();
  await agenda.getByRole("button", { name: "Save my agenda" }).click();
  await expect(agenda.getByRole("status")).toHaveText("Your agenda is saved.");
  await expect(agenda.getByRole("link", { name: /^Add to calendar\s+– Fireside Chat with Steve Wozniak$/ })).toHaveAttribute("href", /\.ics$/);
  await expectAccessible(page);

  // The printable ticket.
  await page.getByRole("link", { name: "Print or save as PDF" }).click();
  await expect(page.getByRole("article", { name: `Ticket of ${holder}` })).toContainText("Neodymium Works");
  await expectAccessible(page);
  await page.getByRole("link", { name: "← Back to your ticket" }).click();

  // The ticket goes to a colleague.
  await page.getByRole("link", { name: "Transfer this ticket" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Transfer your ticket" })).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel("Full name").fill(successor);
  await page.getByLabel("Email").fill(`katherine.${run}@example.com`);
  await page.getByRole("button", { name: "Transfer the ticket" }).click();
  await expect(page.getByText("Tick the box to confirm.", { exact: false })).toBeVisible();
  await page.getByRole("checkbox", { name: /I understand/ }).check();
  await page.getByRole("button", { name: "Transfer the ticket" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "The ticket is on its way to its new holder" })).toBeVisible();
  expect(page.url()).not.toContain(oldLink);
  await expectAccessible(page);

  // The new holder's link comes by email and works; it starts clean.
  const newLink = await manageLinkFromOutbox(page, successor);
  expect(newLink).not.toBe(oldLink);
  await page.goto(newLink);
  await expect(page.getByRole("heading", { level: 1, name: successor })).toBeVisible();
  await expect(page.getByRole("region", { name: "Your details" }).getByLabel("Company (optional)")).toHaveValue("");
  await expect(page.getByRole("region", { name: "Sharing with sponsors" }).getByText("Sharing is off", { exact: true })).toBeVisible();
  clean();

  // The old link is dead, with the same friendly 404 as any wrong link.
  for (const link of [oldLink, `${oldLink}/transfer`, `${oldLink}/print`, "/my/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"]) {
    const response = await page.goto(link);
    expect(response?.status()).toBe(404);
    expect(response?.headers()["cache-control"]).toBe("private, no-store");
    await expect(page.getByRole("heading", { level: 1, name: "We couldn't find that" })).toBeVisible();
    await expect(page.getByText("Use the newest link from your ticket email")).toBeVisible();
  }
  await expectAccessible(page);
});

test("ticket pages are private: no caching, no referrer, no indexing", async ({ request }) => {
  const response = await request.get("/my/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
  expect(response.status()).toBe(404);
  expect(response.headers()["cache-control"]).toBe("private, no-store");
  // Only the page's own policy, not the site-wide default beside it.
  expect(response.headers()["referrer-policy"]).toBe("no-referrer");
  expect(await response.text()).toContain('<meta name="robots" content="noindex"/>');
});
