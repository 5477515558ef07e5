import { randomUUID } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { expectAccessible, logInAsOrganiser } from "./support";

/** Browser errors, except the log line Chromium writes for the 409 that carries the clash list. */
function watchConsole(page: Page) {
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" && !message.text().includes("status of 409 (Conflict)")) problems.push(message.text());
  });
  page.on("pageerror", (error) => problems.push(error.message));
  return () => expect(problems).toEqual([]);
}

test("an organiser adds a clashing session, resolves the clash, publishes it and finds it on the agenda", async ({ page }, testInfo) => {
  // Three axe scans and six page loads: more than the default 30 s on a busy machine.
  test.setTimeout(90_000);
  const clean = watchConsole(page);
  const title = `Magnet recycling clinic ${randomUUID().slice(0, 6)}`;
  // Each project resolves the clash into its own early slot, so parallel runs do not clash with each other.
  const resolved = testInfo.project.name === "phone" ? { start: "06:00", end: "06:30" } : { start: "07:00", end: "07:30" };

  await logInAsOrganiser(page);

  await page.goto("/admin/sessions");
  await expect(page.getByRole("heading", { level: 1, name: "Agenda" })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole("link", { name: "Add a session" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "New session" })).toBeVisible();
  await expectAccessible(page);

  // The opening keynote holds the Plenary Hall from 9:00 to 9:20 on day 1.
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Kind").selectOption({ label: "Workshop" });
  await page.getByLabel("Day").fill("2025-09-09");
  await page.getByLabel("Starts").fill("09:00");
  await page.getByLabel("Ends").fill("09:30");
  await page.getByLabel("Room").selectOption({ label: "Plenary Hall" });
  await page.getByRole("button", { name: "Add session" }).click();

  const clashes = page.getByRole("region", { name: "Clashes with the agenda" });
  await expect(clashes).toContainText("Plenary Hall is already used by “Welcome & Opening Remarks”");
  await expect(page.getByLabel("Save anyway: I know about the clashes above.")).toBeVisible();
  await expect(page.getByLabel("Title")).toHaveValue(title);
  await expectAccessible(page);

  await page.getByLabel("Starts").fill(resolved.start);
  await page.getByLabel("Ends").fill(resolved.end);
  await page.getByRole("button", { name: "Add session" }).click();
  await expect(page.getByRole("status")).toContainText("Saved as a draft");

  await page.getByRole("link", { name: "← All sessions" }).click();
  await page.getByRole("button", { name: `Publish ${title}` }).click();
  await expect(page.getByRole("status")).toContainText("Your changes were saved.");
  await expect(page.getByRole("row", { name: new RegExp(title) })).toContainText("Published");

  await page.goto("/agenda?day=2025-09-09");
  await expect(page.getByRole("link", { name: title })).toBeVisible();
  clean();
});

test("an organiser opens the day's timetable, which passes axe", async ({ page }) => {
  const clean = watchConsole(page);
  await page.goto("/login?redirectTo=/admin/timetable");
  await page.getByLabel("Email").fill("organiser@re3m.example");
  await page.getByLabel("Password").fill("magnets-2025");
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByRole("heading", { level: 1, name: /^Timetable/ })).toBeVisible();
  await expectAccessible(page);
  clean();
});
