import { randomUUID } from "node:crypto";
import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { e2eSql } from "./database";
import { buyFreeTicket, expectAccessible, watchConsole, logInAsOrganiser } from "./support";

test("an organiser writes a message to one ticket type, previews it, sends a test, then sends it once and watches it go", async ({ page }) => {
  test.setTimeout(120_000);
  // Someone with a Full Delegate Pass to write to.
  await buyFreeTicket(await (await page.context().browser()!.newContext()).newPage(), { name: "Chien-Shiung Wu", email: `wu.${randomUUID().slice(0, 6)}@example.com` });
  // The preview frame runs no script: when Playwright's instrumentation tries to enter it (each
  // time it gets a new document: the page loads, the draft is saved), Chromium logs that it refused.
  const clean = watchConsole(page, { ignore: [/^Blocked script execution in 'about:srcdoc' because the document's frame is sandboxed/] });
  await logInAsOrganiser(page);
  await page.getByRole("link", { name: "Messages", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Messages" })).toBeVisible();
  await expectAccessible(page);
  // The audience choice shows the ticket types once the page's script runs.
  await page.waitForLoadState("networkidle");

  const subject = `Room change ${randomUUID().slice(0, 6)}`;
  await page.getByLabel("Subject").fill(subject);
  await page.getByLabel("Message", { exact: true }).fill("Hello {{firstname}},\n\nThe **magnet recycling** panel moves to Harbour Hall.");
  // Leaving the field checks it: the message appears under it (and moves what is below).
  await page.getByLabel("Message", { exact: true }).blur();
  await expect(page.getByText("{{firstname}} is not a placeholder")).toBeVisible();
  await page.getByLabel("Holders of some ticket types").check();
  await page.getByLabel("Message", { exact: true }).fill("Hello {{name}},\n\nThe **magnet recycling** panel moves to Harbour Hall.\n\n- Same time\n- [Your ticket]({{link}})");
  await page.getByLabel("Message", { exact: true }).blur();
  await expect(page.getByText("{{firstname}} is not a placeholder")).toHaveCount(0);
  await page.getByRole("button", { name: "Save draft and preview" }).click();
  await expect(page.getByText("Choose at least one ticket type.")).toBeVisible();
  await page.getByRole("group", { name: "Ticket types" }).getByLabel("Full Delegate Pass").check();
  await page.getByRole("button", { name: "Save draft and preview" }).click();

  await expect(page.getByRole("heading", { level: 1, name: subject })).toBeVisible();
  // The preview is the email's HTML in a frame that runs no script (so no locator looks inside it).
  await expect(page.locator("iframe.email-frame")).toHaveAttribute("srcdoc", /magnet recycling/);
  await page.getByRole("button", { name: /^Send a test to / }).click();
  await expect(page.getByRole("status")).toContainText("A test copy is on its way");
  // Before axe, which tries the sandboxed preview frame too and makes the browser log that it refused.
  clean();
  await expectAccessible(page, { exclude: ".email-frame" });
  const email = await page.context().newPage();
  await email.setContent((await page.locator(".email-frame").getAttribute("srcdoc"))!);
  expect((await new AxeBuilder({ page: email }).withTags(["wcag2a", "wcag2aa"]).analyze()).violations.map((v) => v.id)).toEqual([]);
  await email.close();

  const send = page.getByRole("region", { name: "Send" });
  const people = Number((await send.getByText(/people? receives? this message/).textContent())!.match(/^(\d+)/)![1]);
  expect(people).toBeGreaterThan(0);
  await send.getByText(/^Send to \d+ (people|person)$/).click();
  await send.getByRole("button", { name: "Yes, send it now" }).click();
  await expect(page.getByRole("region", { name: "Delivery" })).toBeVisible();
  // Without SMTP the emails are kept ("stored"), which counts as sent.
  await expect(page.getByRole("region", { name: "Delivery" }).getByText("Queued").locator("..")).toContainText("0", { timeout: 60_000 });
  await expectAccessible(page, { exclude: ".email-frame" });

  const [row] = await e2eSql<{ recipients: number; emails: number; addresses: number }>(
    `SELECT (SELECT count(*)::int FROM "MessageRecipient" r WHERE r."messageId" = m.id) AS recipients,
            (SELECT count(*)::int FROM "EmailOutbox" e WHERE e.template = 'message' AND e.payload->>'messageId' = m.id AND NOT (e.payload ? 'test')) AS emails,
            (SELECT count(DISTINCT lower(e."toAddress"))::int FROM "EmailOutbox" e WHERE e.template = 'message' AND e.payload->>'messageId' = m.id AND NOT (e.payload ? 'test')) AS addresses
     FROM "Message" m WHERE m.subject = $1`,
    [subject],
  );
  // One email per person, each address once. The other browser tests buy tickets meanwhile: the
  // message goes to whoever holds one when it is sent, at least those counted on the page.
  expect(row!.emails).toBe(row!.recipients);
  expect(row!.addresses).toBe(row!.recipients);
  expect(row!.recipients).toBeGreaterThanOrEqual(people);
});
