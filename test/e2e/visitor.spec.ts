import { expect, test } from "@playwright/test";
import { expectAccessible, watchConsole } from "./support";

test("a visitor reads the home page and finds the tickets", async ({ page }) => {
  const clean = watchConsole(page);
  await page.goto("/");
  await expect(page).toHaveTitle(/Rare Earth Mines, Magnets & Motors 2025/);
  await expect(page.getByRole("heading", { level: 1, name: "Rare Earth Mines, Magnets & Motors 2025" })).toBeVisible();
  await expect(page.getByText("Steve Wozniak").first()).toBeVisible();
  await expect(page.getByRole("heading", { name: "Featured speakers" })).toBeVisible();
  await expect(page.locator('meta[property="og:title"]')).toHaveAttribute("content", /Rare Earth/);
  const jsonLd = JSON.parse((await page.locator('script[type="application/ld+json"]').textContent()) ?? "{}");
  expect(jsonLd["@type"]).toBe("Event");
  // The first published session's start, which other browser tests may move earlier on the day
  // (the exact seeded value is checked in test/integration/public-site.test.ts).
  expect(jsonLd.startDate).toMatch(/^2025-09-09T\d\d:\d\d:00-04:00$/);
  expect(jsonLd.offers).toMatchObject({ "@type": "AggregateOffer", priceCurrency: "CAD", lowPrice: expect.stringMatching(/^\d+\.\d\d$/), highPrice: expect.stringMatching(/^\d+\.\d\d$/) });
  await expectAccessible(page);
  await page.getByRole("link", { name: "Get tickets" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Choose your ticket" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Full Delegate Pass" })).toBeVisible();
  await expect(page.getByText(/HST/).first()).toBeVisible();
  await expectAccessible(page);
  clean();
});

test("a visitor filters the agenda by track and switches day", async ({ page }) => {
  const clean = watchConsole(page);
  await page.goto("/agenda");
  await expect(page.getByRole("heading", { level: 1, name: "Tuesday, September 9, 2025" })).toBeVisible();
  await expect(page.getByText(/All times are Toronto time \(EDT/)).toBeVisible();
  const sessions = page.getByRole("list", { name: /Sessions on/ }).getByRole("listitem");
  const allCount = await sessions.count();
  await expectAccessible(page);

  const tracks = page.getByRole("navigation", { name: "Tracks" });
  await tracks.getByRole("link", { name: "Magnets & Materials" }).click();
  await expect(page).toHaveURL(/track=magnets-and-materials/);
  await expect(tracks.getByRole("link", { name: "Magnets & Materials" })).toHaveAttribute("aria-current", "true");
  await expect.poll(() => sessions.count()).toBeLessThan(allCount);
  await expect(page.getByText("Plenary sessions, breaks and networking are shown with every track.")).toBeVisible();

  await page.getByRole("navigation", { name: "Days" }).getByRole("link", { name: /Day 2/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Wednesday, September 10, 2025" })).toBeVisible();
  await expect(page).toHaveURL(/day=2025-09-10&track=magnets-and-materials/);
  await expectAccessible(page);

  await sessions.getByRole("link").first().click();
  await expect(page.getByRole("link", { name: /Add to calendar/ })).toBeVisible();
  await expectAccessible(page);
  clean();
});

test("a visitor reads a speaker's page and a sponsor's page", async ({ page }) => {
  const clean = watchConsole(page);
  await page.goto("/speakers");
  await expect(page.getByRole("heading", { level: 1, name: "The people on stage" })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole("link", { name: "Steve Wozniak" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Steve Wozniak" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Sessions" })).toBeVisible();
  await expectAccessible(page);

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Sponsors" }).click();
  await expect(page.getByRole("heading", { level: 2, name: "Platinum" })).toBeVisible();
  await expectAccessible(page);
  const firstSponsor = page.getByRole("region", { name: "Platinum" }).getByRole("link").first();
  const name = await firstSponsor.textContent();
  await firstSponsor.click();
  await expect(page.getByRole("heading", { level: 1, name: name ?? "" })).toBeVisible();
  await expect(page.getByText("Platinum sponsor")).toBeVisible();
  await expectAccessible(page);
  clean();
});

test("unknown addresses get a friendly 404 page", async ({ page }) => {
  const response = await page.goto("/speakers/no-such-person");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1, name: "We couldn't find that" })).toBeVisible();
  await expect(page.getByRole("link", { name: "See the agenda" })).toBeVisible();
  await expectAccessible(page);
  const other = await page.goto("/no/such/page");
  expect(other?.status()).toBe(404);
});

test("pages are cacheable and revalidate with an ETag", async ({ request }) => {
  const first = await request.get("/agenda");
  expect(first.status()).toBe(200);
  expect(first.headers()["cache-control"]).toContain("s-maxage=");
  expect(first.headers()["cache-control"]).toContain("stale-while-revalidate=");
  expect(first.headers()["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  const etag = first.headers()["etag"];
  expect(etag).toBeTruthy();
  const second = await request.get("/agenda", { headers: { "If-None-Match": etag } });
  expect(second.status()).toBe(304);
  expect(second.headers()["content-security-policy"]).toBe(first.headers()["content-security-policy"]);
});
