import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { buyFreeTicket, expectAccessible, watchConsole, logInAsOrganiser } from "./support";

test("an organiser prints everyone's badges and one person's label", async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  const name = `Αλέξανδρος Konstantinopoulou-Papadakis ${randomUUID().slice(0, 6)}`;
  await buyFreeTicket(page, { name, email: `badge-${randomUUID().slice(0, 8)}@example.com`, company: "Hellenic Rare Earth Magnet Manufacturing and Recycling S.A." });

  // Screenshots go to test-results/, to look at. The sizes the page was designed for: a phone held at the registration desk, a laptop.
  await page.setViewportSize(testInfo.project.name === "phone" ? { width: 390, height: 844 } : { width: 1280, height: 800 });
  const clean = watchConsole(page);
  await logInAsOrganiser(page);

  await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Badges" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Badges" })).toBeVisible();
  await expect(page.getByLabel("Whose badges")).toHaveValue("all");
  await expect(page.getByRole("radio", { name: /Sheets of six/ })).toBeChecked();
  await expectAccessible(page);
  await page.screenshot({ path: testInfo.outputPath("badges-page.png"), fullPage: true });

  const sheets = page.waitForResponse((r) => r.url().includes("/admin/badges.pdf"));
  await page.getByRole("button", { name: "Open the badges PDF" }).click();
  const pdf = await sheets;
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()["content-type"]).toBe("application/pdf");
  expect(new URL(pdf.url()).searchParams.get("layout")).toBe("sheet");

  await page.goto("/admin/badges");
  await page.getByRole("searchbox", { name: "Name, email, company or badge code" }).fill(name);
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.getByText(name, { exact: true })).toBeVisible();
  await expectAccessible(page);
  await page.screenshot({ path: testInfo.outputPath("badges-person-found.png"), fullPage: true });
  const label = await page.getByRole("link", { name: `Label (PDF) for ${name}` }).getAttribute("href");
  const answer = await page.request.get(label!);
  expect(answer.status()).toBe(200);
  expect(answer.headers()["content-type"]).toBe("application/pdf");

  // Door staff's way in: the same label from the check-in search.
  await page.goto(`/admin/check-in?q=${encodeURIComponent(name)}`);
  await expect(page.getByRole("link", { name: `Print badge of ${name} (PDF)` })).toHaveAttribute("href", label!);
  clean();
});
