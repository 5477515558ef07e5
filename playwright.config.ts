import { existsSync } from "node:fs";
import { defineConfig, devices } from "@playwright/test";
import { chromiumArgs, chromiumPath } from "./test/e2e/browser";

if (!existsSync(chromiumPath)) {
  throw new Error(`No Chromium at ${chromiumPath}. Install it with "apt-get install -y chromium" or set CHROMIUM_PATH.`);
}

const PORT = Number(process.env.E2E_PORT ?? 3100);

const launchOptions = { executablePath: chromiumPath, args: chromiumArgs };

export default defineConfig({
  testDir: "test/e2e",
  fullyParallel: true,
  workers: 2,
  retries: 0,
  reporter: process.env.CI ? "line" : "list",
  // Two Chromiums, the server and PostgreSQL share two cores; on this machine a page with an axe
  // scan takes 2 to 4 s, and the longest flows (check-in, sponsor scanning) visit a dozen pages.
  // Generous limits catch a hang without failing a slow but correct run.
  timeout: 90_000,
  expect: { timeout: 15_000 },
  use: { baseURL: `http://127.0.0.1:${PORT}`, trace: "retain-on-failure", launchOptions },
  projects: [
    { name: "desktop", testIgnore: /\.last\.spec\.ts$/, use: { ...devices["Desktop Chrome"], viewport: { width: 1440, height: 900 }, launchOptions } },
    { name: "phone", testIgnore: /\.last\.spec\.ts$/, use: { ...devices["Pixel 7"], viewport: { width: 375, height: 812 }, launchOptions } },
    // Flows that change the event every other test reads (its dates, its payment settings, which
    // edition is public) run once the others are done, one file at a time.
    {
      name: "last",
      testMatch: /\.last\.spec\.ts$/,
      dependencies: ["desktop", "phone"],
      workers: 1,
      use: { ...devices["Desktop Chrome"], viewport: { width: 1440, height: 900 }, launchOptions },
    },
  ],
  webServer: {
    command: "tsx test/e2e/serve.ts",
    url: `http://127.0.0.1:${PORT}/healthz`,
    env: { E2E_PORT: String(PORT) },
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: "ignore",
    stderr: "pipe",
    // Without it Playwright kills the server with SIGKILL, and the embedded PostgreSQL (a process
    // group of its own) outlived every run; serve.ts stops the server, then the database.
    gracefulShutdown: { signal: "SIGTERM", timeout: 20_000 },
  },
});
