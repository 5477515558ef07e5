// An admin starts the next edition, works on it through the switcher and publishes it; a visitor
// then reads the edition before it at /editions/:year, on a desktop and on a phone. Publishing
// changes what every other browser test reads, so this runs in the project "last", one file at a
// time, and puts the seeded edition back on the site when it is done.
import { expect, test, type Browser } from "@playwright/test";
import { e2eSql } from "./database";
import { expectAccessible, watchConsole, logInAsOrganiser } from "./support";

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

const newPage = async (browser: Browser, viewport: typeof DESKTOP) =>
  (await browser.newContext({ viewport, ...(viewport === PHONE ? { isMobile: true, hasTouch: true } : {}) })).newPage();

let seeded: { id: string; year: number };

test.beforeAll(async () => {
  const [row] = await e2eSql<{ id: string; year: number }>(`SELECT id, extract(year FROM "startsOn")::int AS year FROM "Event" WHERE status = 'PUBLIC'`);
  seeded = row!;
});

// Whatever happened above: the seeded edition is the public one again and the new one is gone.
test.afterAll(async () => {
  await e2eSql(`UPDATE "Event" SET status = 'DRAFT' WHERE status = 'PUBLIC' AND id <> $1`, [seeded.id]);
  await e2eSql(`UPDATE "Event" SET status = 'PUBLIC' WHERE id = $1`, [seeded.id]);
  const others = await e2eSql<{ id: string }>(`SELECT id FROM "Event" WHERE id <> $1 AND "createdAt" > now() - interval '1 hour'`, [seeded.id]);
  for (const { id } of others) {
    await e2eSql(`DELETE FROM "Sponsor" WHERE "eventId" = $1`, [id]);
    await e2eSql(`DELETE FROM "Event" WHERE id = $1`, [id]);
  }
});

test("an admin starts and publishes the next edition, and a visitor reads the previous one at /editions/:year", async ({ browser }) => {
  test.setTimeout(180_000);
  const admin = await newPage(browser, DESKTOP);
  await logInAsOrganiser(admin);
  await admin.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Editions" }).click();
  await expect(admin.getByRole("heading", { level: 1, name: "Editions" })).toBeVisible();
  const form = admin.getByRole("region", { name: "Start the next edition" });
  const firstDay = await form.getByLabel("First day").inputValue();
  const next = Number(firstDay.slice(0, 4));
  expect(next).toBeGreaterThan(seeded.year);
  await expect(form.getByLabel("Short name")).toHaveValue(`RE3M ${next}`);
  await expectAccessible(admin);
  await admin.screenshot({ path: "/tmp/i17-admin-editions-1280x800.png", fullPage: true });

  // A first day in the past is refused, on the field, with what to do.
  await form.getByLabel("First day").fill(`${seeded.year}-01-15`);
  await form.getByRole("button", { name: "Start the next edition" }).click();
  await expect(form.getByText("The first day must be in the future. Enter the first day of the next edition.")).toBeVisible();
  // From here on nothing is refused: the browser logs no error (it logged the 409 above).
  const clean = watchConsole(admin);
  await form.getByLabel("First day").fill(firstDay);
  // Leaving the field checks it again and takes the message away (what is below moves up with it).
  await form.getByLabel("First day").blur();
  await expect(form.getByText("The first day must be in the future.")).toHaveCount(0);
  await form.getByLabel(/The speakers/).check();
  await form.getByRole("button", { name: "Start the next edition" }).click();

  // The new draft: the admin pages now show it, and say so.
  await expect(admin.getByRole("status")).toContainText(`The ${next} edition was started as a draft`);
  const switcher = admin.getByLabel("Edition", { exact: true });
  await expect(switcher.locator("option:checked")).toHaveText(`RE3M ${next} (draft)`);
  await expect(admin.getByText(`You are working on RE3M ${next}, a draft edition not yet on the site.`)).toBeVisible();
  await expectAccessible(admin);
  await admin.screenshot({ path: "/tmp/i17-admin-draft-1280x800.png" });
  await admin.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Orders" }).click();
  await expect(admin).toHaveURL(/\/admin\/orders$/);
  await expect(admin.getByText("No orders match.")).toBeVisible();

  // Back to the public edition with the switcher, on the same section.
  await switcher.selectOption({ label: `RE3M ${seeded.year} (public)` });
  await admin.getByRole("button", { name: "Show" }).click();
  await expect(admin.getByText(/You are working on/)).toHaveCount(0);
  await expect(admin).toHaveURL(/\/admin\/orders$/);
  await expect(switcher.locator("option:checked")).toHaveText(`RE3M ${seeded.year} (public)`);

  // Publishing switches the site; the seeded edition becomes a past one.
  await admin.goto("/admin/editions");
  await admin.getByRole("button", { name: `Publish RE3M ${next}` }).click();
  await expect(admin.getByRole("status")).toContainText(`RE3M ${next} is now the public edition`);
  await expect(admin.getByRole("row", { name: new RegExp(`RE3M ${seeded.year}`) })).toContainText("past");
  clean();

  for (const [viewport, label] of [
    [DESKTOP, "1280x800"],
    [PHONE, "390x844"],
  ] as const) {
    const visitor = await newPage(browser, viewport);
    const quiet = watchConsole(visitor);
    await visitor.goto("/");
    await expect(visitor.getByRole("heading", { level: 1, name: `Rare Earth Mines, Magnets & Motors ${next}` })).toBeVisible();
    await visitor.getByRole("link", { name: String(seeded.year), exact: true }).click();
    await expect(visitor).toHaveURL(new RegExp(`/editions/${seeded.year}$`));
    await expect(visitor.getByRole("heading", { level: 1, name: `Rare Earth Mines, Magnets & Motors ${seeded.year}` })).toBeVisible();
    await expect(visitor.getByText(new RegExp(`RE3M ${seeded.year} took place on`))).toBeVisible();
    await expect(visitor.getByText("its tickets are no longer sold")).toBeVisible();
    await expect(visitor.getByRole("heading", { level: 2, name: "Speakers" })).toBeVisible();
    await expect(visitor.getByRole("heading", { level: 2, name: "Sponsors" })).toBeVisible();
    await expectAccessible(visitor);
    await visitor.screenshot({ path: `/tmp/i17-edition-archive-${label}.png`, fullPage: viewport === DESKTOP });
    await visitor.screenshot({ path: `/tmp/i17-edition-archive-top-${label}.png` });
    quiet();

    // A year without a past edition: a page that says which years have one (the browser logs its 404).
    await visitor.goto("/editions/2031");
    await expect(visitor.getByText(`There is no past edition in “2031”. Past editions: ${seeded.year}.`)).toBeVisible();
    await expectAccessible(visitor);
    if (viewport === PHONE) await visitor.screenshot({ path: `/tmp/i17-edition-missing-${label}.png` });
  }

  // The admin pages at phone size.
  const phoneAdmin = await newPage(browser, PHONE);
  await logInAsOrganiser(phoneAdmin);
  await phoneAdmin.goto("/admin/editions");
  await expect(phoneAdmin.getByLabel("Edition", { exact: true })).toBeVisible();
  await expectAccessible(phoneAdmin);
  await phoneAdmin.screenshot({ path: "/tmp/i17-admin-editions-390x844.png", fullPage: true });

  // Put the seeded edition back on the site: the next one goes back to being a draft.
  await phoneAdmin.getByRole("button", { name: `Publish RE3M ${seeded.year}` }).click();
  await expect(phoneAdmin.getByRole("status")).toContainText(`RE3M ${seeded.year} is now the public edition`);
  await expect(phoneAdmin.getByRole("row", { name: new RegExp(`RE3M ${next}`) })).toContainText("draft");
});
